//! The passages' vectors for semantic search, kept beside the tantivy index in its
//! generation folder as `vectors.bin`.
//!
//! The file is append-only: a header (magic, dimensions, the model's fingerprint), then
//! fixed-size records, each a passage's key ([`crate::embed::key`], a hash of the text the
//! vector was made from), its vector as 384 signed bytes with one scale, and a checksum.
//! Vectors are keyed by content, not by tantivy's document numbers (which merges change),
//! so a passage whose text did not change keeps its vector across incremental runs and
//! rebuilds, and an indexing run embeds only the passages whose key has no vector yet.
//!
//! Crash safety: records are appended and synced in chunks after tantivy's commit, so a run
//! killed while embedding keeps every chunk it finished and the next run embeds the rest; a
//! torn last record, or one whose bytes were damaged, fails its checksum and is simply
//! missing (and embedded again). Rewriting (dropping vectors of passages that are gone) goes
//! through a temporary file and a rename, so a reader sees the old file or the new.
//!
//! Quantisation: a unit vector's components are scaled so the largest is ±127; the cosine
//! with a query vector is the scale times the dot product of the bytes with the query. On
//! SciFact this ranks as the f32 vectors do (see BENCHMARKS.md), at a quarter of the size.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::Path;

use rustc_hash::FxHashSet;
use xxhash_rust::xxh3::xxh3_64;

use crate::embed::DIM;

/// The file's name in a generation folder.
pub const FILE: &str = "vectors.bin";
const MAGIC: &[u8; 8] = b"durvec01";
/// Magic, dimensions (u32), reserved (u32), fingerprint (16 ASCII hex digits).
const HEADER: usize = 32;
/// Key (u64), scale (f32), the vector's bytes, checksum (u32).
pub const RECORD: usize = 8 + 4 + DIM + 4;

fn header(fingerprint: &str) -> [u8; HEADER] {
    let mut h = [0u8; HEADER];
    h[..8].copy_from_slice(MAGIC);
    h[8..12].copy_from_slice(&(DIM as u32).to_le_bytes());
    let fp = fingerprint.as_bytes();
    let n = fp.len().min(16);
    h[16..16 + n].copy_from_slice(&fp[..n]);
    h
}

/// The fingerprint a header names, or `None` when it is not a header of this format.
fn header_fingerprint(bytes: &[u8]) -> Option<String> {
    let h = bytes.get(..HEADER)?;
    if &h[..8] != MAGIC || h[8..12] != (DIM as u32).to_le_bytes() {
        return None;
    }
    let fp = &h[16..32];
    let end = fp.iter().position(|b| *b == 0).unwrap_or(16);
    std::str::from_utf8(&fp[..end]).ok().map(str::to_string)
}

/// A unit vector as bytes and the scale that turns them back: `x ≈ scale · q`.
pub fn quantise(v: &[f32]) -> (f32, Vec<i8>) {
    let max = v.iter().fold(0f32, |m, x| m.max(x.abs()));
    if max == 0.0 {
        return (0.0, vec![0; v.len()]);
    }
    let scale = max / 127.0;
    let q = v
        .iter()
        .map(|x| (x / scale).round().clamp(-127.0, 127.0) as i8)
        .collect();
    (scale, q)
}

fn record(key: u64, v: &[f32]) -> [u8; RECORD] {
    let (scale, q) = quantise(v);
    let mut r = [0u8; RECORD];
    r[..8].copy_from_slice(&key.to_le_bytes());
    r[8..12].copy_from_slice(&scale.to_le_bytes());
    for (dst, x) in r[12..12 + DIM].iter_mut().zip(q) {
        *dst = x as u8;
    }
    let check = xxh3_64(&r[..RECORD - 4]) as u32;
    r[RECORD - 4..].copy_from_slice(&check.to_le_bytes());
    r
}

/// One stored vector.
#[derive(Debug, Clone, Copy)]
pub struct Stored<'a> {
    pub key: u64,
    scale: f32,
    bytes: &'a [u8],
}

impl Stored<'_> {
    /// The cosine with a unit query vector. Eight running sums rather than one, so the
    /// compiler can keep them in one SIMD register (a single sum of floats must be added in
    /// order, one at a time).
    pub fn cosine(&self, query: &[f32]) -> f32 {
        let mut lanes = [0f32; 8];
        for (b, q) in self.bytes.chunks_exact(8).zip(query.chunks_exact(8)) {
            for i in 0..8 {
                lanes[i] += f32::from(b[i] as i8) * q[i];
            }
        }
        self.scale * lanes.iter().sum::<f32>()
    }

    /// The vector, dequantised.
    pub fn vector(&self) -> Vec<f32> {
        self.bytes
            .iter()
            .map(|b| f32::from(*b as i8) * self.scale)
            .collect()
    }
}

/// The vectors of a generation, read whole.
#[derive(Debug, Clone)]
pub struct Vectors {
    bytes: Vec<u8>,
    fingerprint: String,
}

impl Vectors {
    /// Reads the file; `None` when there is none. A file that is not a vector file of this
    /// format is `InvalidData`.
    pub fn open(path: &Path) -> io::Result<Option<Vectors>> {
        let bytes = match fs::read(path) {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e),
        };
        let fingerprint = header_fingerprint(&bytes).ok_or_else(|| {
            io::Error::new(io::ErrorKind::InvalidData, "not a durand vector file")
        })?;
        Ok(Some(Vectors {
            bytes: intact(bytes),
            fingerprint,
        }))
    }

    /// The fingerprint of the model that made them.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// Every record, in file order (a key may occur more than once; its vectors are the
    /// same). Only intact ones were kept when the file was read.
    pub fn iter(&self) -> impl Iterator<Item = Stored<'_>> {
        self.bytes[HEADER..].chunks_exact(RECORD).map(|r| Stored {
            key: u64::from_le_bytes(r[..8].try_into().expect("8 bytes")),
            scale: f32::from_le_bytes(r[8..12].try_into().expect("4 bytes")),
            bytes: &r[12..12 + DIM],
        })
    }

    /// The keys that have a vector.
    pub fn keys(&self) -> FxHashSet<u64> {
        self.iter().map(|s| s.key).collect()
    }
}

/// Whether a record's checksum holds.
fn is_intact(r: &[u8]) -> bool {
    let check = u32::from_le_bytes(r[RECORD - 4..].try_into().expect("4 bytes"));
    xxh3_64(&r[..RECORD - 4]) as u32 == check
}

/// The header and the intact records of a file's bytes, checked once when it is read (a
/// torn last record, or one whose bytes were damaged, is left out).
fn intact(mut bytes: Vec<u8>) -> Vec<u8> {
    let records = (bytes.len() - HEADER) / RECORD;
    let mut kept = 0;
    for i in 0..records {
        let at = HEADER + i * RECORD;
        if is_intact(&bytes[at..at + RECORD]) {
            let to = HEADER + kept * RECORD;
            if to != at {
                bytes.copy_within(at..at + RECORD, to);
            }
            kept += 1;
        }
    }
    bytes.truncate(HEADER + kept * RECORD);
    bytes
}

/// Appends vectors to a generation's file.
pub struct Appender {
    out: BufWriter<File>,
}

impl Appender {
    /// Opens `path` for appending vectors of the model `fingerprint`, and returns the keys it
    /// already holds. A missing file, one of another model or with a damaged header is
    /// started afresh; a torn last record is cut off.
    pub fn open(path: &Path, fingerprint: &str) -> io::Result<(Appender, FxHashSet<u64>)> {
        let existing = match Vectors::open(path) {
            Ok(Some(v)) if v.fingerprint() == fingerprint => Some(v),
            Ok(_) | Err(_) => None,
        };
        let (file, keys) = match existing {
            Some(v) => {
                // Whole records of the file as it is (damaged ones in the middle stay: they
                // are skipped when read); only a torn tail goes.
                let file = OpenOptions::new().write(true).open(path)?;
                let len = (file.metadata()?.len() as usize).max(HEADER);
                let whole = HEADER + (len - HEADER) / RECORD * RECORD;
                file.set_len(whole as u64)?;
                (file, v.keys())
            }
            None => {
                // A folder in the file's place (damage from outside) cannot be renamed over.
                if fs::symlink_metadata(path).is_ok_and(|m| m.is_dir()) {
                    fs::remove_dir_all(path)?;
                }
                super::layout::write_atomically(path, &header(fingerprint))?;
                (
                    OpenOptions::new().write(true).open(path)?,
                    FxHashSet::default(),
                )
            }
        };
        let mut out = BufWriter::new(file);
        use std::io::Seek;
        out.seek(io::SeekFrom::End(0))?;
        Ok((Appender { out }, keys))
    }

    pub fn append(&mut self, key: u64, vector: &[f32]) -> io::Result<()> {
        self.out.write_all(&record(key, vector))
    }

    /// Writes what was appended through to the disk.
    pub fn sync(&mut self) -> io::Result<()> {
        self.out.flush()?;
        self.out.get_ref().sync_data()
    }
}

/// Rewrites `path` with one vector per key of `live` that it holds (the vectors of passages
/// that are gone are dropped), atomically.
pub fn compact(path: &Path, live: &FxHashSet<u64>) -> io::Result<()> {
    let Some(v) = Vectors::open(path)? else {
        return Ok(());
    };
    let mut out = Vec::with_capacity(HEADER + live.len() * RECORD);
    out.extend_from_slice(&header(v.fingerprint()));
    let mut kept = FxHashSet::default();
    for s in v.iter() {
        if live.contains(&s.key) && kept.insert(s.key) {
            out.extend_from_slice(&record(s.key, &s.vector()));
        }
    }
    super::layout::write_atomically(path, &out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(seed: u64) -> Vec<f32> {
        let v: Vec<f32> = (0..DIM as u64)
            .map(|i| ((i * 7919 + seed * 104729) % 1000) as f32 / 500.0 - 1.0)
            .collect();
        let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        v.into_iter().map(|x| x / n).collect()
    }

    #[test]
    fn quantised_cosines_stay_within_a_hundredth() {
        for seed in 0..20 {
            let (a, b) = (unit(seed), unit(seed + 100));
            let exact = crate::embed::cosine(&a, &b);
            let r = record(1, &a);
            let v = Vectors {
                bytes: [header("f").as_slice(), &r].concat(),
                fingerprint: "f".into(),
            };
            let got = v.iter().next().unwrap().cosine(&b);
            assert!((got - exact).abs() < 0.01, "{got} vs {exact}");
        }
        assert_eq!(quantise(&[0.0, 0.0]), (0.0, vec![0, 0]));
    }

    #[test]
    fn appends_survive_a_torn_tail_and_damage_and_another_model_starts_afresh() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE);
        let (mut a, keys) = Appender::open(&path, "model-a").unwrap();
        assert!(keys.is_empty());
        for k in 1..=3 {
            a.append(k, &unit(k)).unwrap();
        }
        a.sync().unwrap();
        drop(a);
        // A run killed half-way through a record, and one damaged byte in record 2.
        let mut bytes = fs::read(&path).unwrap();
        bytes.extend_from_slice(&record(4, &unit(4))[..100]);
        bytes[HEADER + RECORD + 20] ^= 0xff;
        fs::write(&path, &bytes).unwrap();
        let v = Vectors::open(&path).unwrap().unwrap();
        let mut keys: Vec<u64> = v.keys().into_iter().collect();
        keys.sort();
        assert_eq!(keys, vec![1, 3]);
        // Appending again cuts the torn record off and adds after the last whole one.
        let (mut a, keys) = Appender::open(&path, "model-a").unwrap();
        assert_eq!(keys.len(), 2);
        a.append(2, &unit(2)).unwrap();
        a.sync().unwrap();
        drop(a);
        assert_eq!(
            fs::metadata(&path).unwrap().len() as usize,
            HEADER + 4 * RECORD
        );
        let found = Vectors::open(&path).unwrap().unwrap();
        let stored = found.iter().find(|s| s.key == 2).unwrap();
        assert!((stored.cosine(&unit(2)) - 1.0).abs() < 0.01);
        // Compaction keeps one vector per live key.
        compact(&path, &[2, 3].into_iter().collect()).unwrap();
        let v = Vectors::open(&path).unwrap().unwrap();
        assert_eq!(v.iter().map(|s| s.key).collect::<Vec<_>>(), vec![3, 2]);
        // Vectors of another model are never mixed in.
        let (_, keys) = Appender::open(&path, "model-b").unwrap();
        assert!(keys.is_empty());
        assert_eq!(
            Vectors::open(&path).unwrap().unwrap().fingerprint(),
            "model-b"
        );
        // Not a vector file at all.
        fs::write(&path, b"hello").unwrap();
        assert!(Vectors::open(&path).is_err());
    }
}
