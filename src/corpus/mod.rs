//! Finds the source documents and reads them into [`RawDoc`]s: `.txt` and `.md` files (with an
//! optional front-matter block) and `.jsonl` / `.jsonl.gz` files holding one document per line.
//!
//! Reading is forgiving by design: a file that is not UTF-8 is decoded lossily, an empty or
//! binary file is skipped, a malformed JSONL line is skipped — each with a [`Warning`] naming
//! the file — and one bad file never aborts the run.

mod frontmatter;
mod jsonl;

use std::fs;
use std::path::{Path, PathBuf};

use xxhash_rust::xxh3::xxh3_64;

use crate::report::{Reporter, Warning};

pub(crate) use frontmatter::split_front_matter;

/// One source document as read, before any cleaning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawDoc {
    /// Stable, unique id: the file's path relative to its source folder without extension
    /// (`000_89de5a12d8fb28cf`, `2024/kunar`), or the JSONL record's `id`/`_id`.
    pub id: String,
    /// The file it came from, as the index stores it (`seeds/000_89de5a12d8fb28cf.txt`; see
    /// `SourceFile::stored`).
    pub file: String,
    /// 1-based line of a JSONL record.
    pub line: Option<usize>,
    /// Title from front matter or JSONL; otherwise the cleaner finds it in the text.
    pub title: Option<String>,
    /// Date as written in front matter or JSONL (parsed later).
    pub date: Option<String>,
    pub source: Option<String>,
    pub url: Option<String>,
    /// The document text (front matter removed). Spans elsewhere are byte ranges into this.
    pub text: String,
    /// What identifies this exact version of the document: a hash of the bytes it was read
    /// from and of the file they were in (see `stamp`). Unchanged stamp, unchanged document.
    pub stamp: u64,
}

/// The stamp of a document: its bytes' hash combined with its file's (and the id the file
/// gives it), so a document that moves to another file, or is read under another source
/// folder, is re-indexed (its `path` or id changed) and one that stays is recognised
/// without parsing it. A JSONL record's line is not part of it: deleting or inserting lines
/// above a record does not change the record. A document longer than the cap on what one
/// document may hold (`max_bytes`) has the cap in its stamp too, so that raising the cap
/// re-indexes exactly the documents it cut.
pub(crate) fn stamp(content: &[u8], file_hash: u64, max_bytes: usize) -> u64 {
    let stamp = xxh3_64(content) ^ file_hash.rotate_left(17);
    if content.len() > max_bytes {
        stamp ^ xxh3_64(&(max_bytes as u64).to_le_bytes())
    } else {
        stamp
    }
}

/// `text` cut to at most `max_bytes` (at a character boundary), with a warning naming
/// `location` when anything was cut.
pub(crate) fn capped(
    mut text: String,
    max_bytes: usize,
    location: &str,
    reporter: &dyn Reporter,
) -> String {
    if text.len() > max_bytes {
        // In MiB to one decimal, or in bytes when that would show the two sizes the same.
        let mib = |n: usize| format!("{:.1} MiB", n as f64 / (1 << 20) as f64);
        let (size, cap) = match (mib(text.len()), mib(max_bytes)) {
            (a, b) if a == b => (
                format!("{} bytes", text.len()),
                format!("{max_bytes} bytes"),
            ),
            pair => pair,
        };
        reporter.warn(Warning::of_kind(
            location,
            "too much text; only the first part is indexed (--max-document-mib)",
            format!("{size} of text; only the first {cap} are indexed (--max-document-mib)"),
        ));
        text.truncate(text.floor_char_boundary(max_bytes));
    }
    text
}

/// Receives what a source file holds.
pub(crate) trait Sink {
    /// Called with a document's stamp and size before it is decoded and parsed; returning
    /// true skips it (the index already holds exactly this version).
    fn known(&mut self, _stamp: u64, _bytes: usize) -> bool {
        false
    }

    /// A document that was not known.
    fn document(&mut self, doc: RawDoc);
}

impl<F: FnMut(RawDoc)> Sink for F {
    fn document(&mut self, doc: RawDoc) {
        self(doc)
    }
}

impl RawDoc {
    /// `file` or `file:line`, for messages (a hit's `path` is the file: lines shift).
    pub fn location(&self) -> String {
        match self.line {
            Some(line) => format!("{}:{line}", self.file),
            None => self.file.clone(),
        }
    }
}

/// What a source file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    /// One document per file (`.txt`, `.md`, `.markdown`).
    Text,
    /// One document per line (`.jsonl`, `.ndjson`).
    Jsonl,
    /// Gzip-compressed JSONL (`.jsonl.gz`, `.ndjson.gz`).
    JsonlGz,
}

impl Format {
    /// The format of a file name and the name without its extension, or `None` when durand
    /// does not read that kind of file.
    pub fn of(name: &str) -> Option<(Format, &str)> {
        let lower = name.to_ascii_lowercase();
        for (ext, format) in [
            (".jsonl.gz", Format::JsonlGz),
            (".ndjson.gz", Format::JsonlGz),
            (".jsonl", Format::Jsonl),
            (".ndjson", Format::Jsonl),
            (".txt", Format::Text),
            (".md", Format::Text),
            (".markdown", Format::Text),
        ] {
            if lower.ends_with(ext) && lower.len() > ext.len() {
                return Some((format, &name[..name.len() - ext.len()]));
            }
        }
        None
    }
}

/// A file to read, with the id prefix its documents get.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SourceFile {
    pub path: PathBuf,
    /// The path as shown to the user (relative to the working directory, as given).
    pub display: String,
    /// The path as the index stores it (a hit's `path`): relative to the folder that holds
    /// the index when it lies below it, else absolute; the same from whatever folder durand
    /// runs, so a run from elsewhere recognises every file.
    pub stored: String,
    /// For text files, the document id (relative path without extension).
    pub id: String,
    pub format: Format,
}

/// Errors that stop a scan before anything is read.
#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    #[error("source {0} does not exist")]
    Missing(String),
    #[error("{0}: durand reads .txt, .md, .jsonl and .jsonl.gz files")]
    Unsupported(String),
    #[error("source {0} is neither a file nor a folder")]
    NotFileOrFolder(String),
}

/// The files found, and the paths that could not be listed (their indexed documents are
/// kept as they are).
#[derive(Debug, Default)]
pub(crate) struct Scan {
    pub files: Vec<SourceFile>,
    pub unreadable: Vec<String>,
}

/// A metadata date as written, with a warning when durand cannot read it as a date (the
/// document is then dated as if it had none: by a dateline or its text).
pub(crate) fn checked_date(
    date: Option<String>,
    location: &str,
    reporter: &dyn Reporter,
) -> Option<String> {
    if let Some(d) = &date
        && !d.trim().is_empty()
        && crate::date::parse_date_value(d).is_none()
    {
        reporter.warn(Warning::new(
            location,
            "its date is not one durand reads (ISO 8601, DD-MM-YYYY or written out, as 5 March 2023), ignored",
        ));
    }
    date
}

fn display_path(path: &Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    match s.strip_prefix("./") {
        Some(rest) if !rest.is_empty() => rest.to_string(),
        _ => s,
    }
}

fn is_hidden(entry: &walkdir::DirEntry) -> bool {
    entry.depth() > 0 && entry.file_name().to_string_lossy().starts_with('.')
}

/// The stored form of `path` (see [`SourceFile::stored`]) given the canonical folder `base`
/// that holds the index.
pub(crate) fn stored_path(base: Option<&Path>, path: &Path) -> String {
    let absolute = fs::canonicalize(path)
        .or_else(|_| std::path::absolute(path))
        .unwrap_or_else(|_| path.to_path_buf());
    let shown = match base.and_then(|b| absolute.strip_prefix(b).ok()) {
        Some(rel) if rel.as_os_str().is_empty() => ".".to_string(),
        Some(rel) => rel.to_string_lossy().into_owned(),
        None => absolute.to_string_lossy().into_owned(),
    };
    shown.replace('\\', "/")
}

/// `root` (a stored path) joined with a relative path below it.
fn below(root: &str, rel: &Path) -> String {
    let rel = display_path(rel);
    if root == "." || rel.is_empty() {
        if rel.is_empty() {
            root.to_string()
        } else {
            rel
        }
    } else {
        format!("{}/{rel}", root.trim_end_matches('/'))
    }
}

/// Lists the files of every source (a folder walked recursively, following links, hidden
/// entries skipped; or a single file), in a stable order. Entries that cannot be listed are
/// reported and recorded in [`Scan::unreadable`]; a missing source is an error unless
/// `allow_missing` (then it holds nothing), an unsupported one always is. `base` is the
/// canonical folder holding the index, which stored paths are relative to; `index`, the
/// index's own canonical folder, is never walked into (a source folder may hold it).
pub(crate) fn scan(
    sources: &[PathBuf],
    base: Option<&Path>,
    index: Option<&Path>,
    allow_missing: bool,
    reporter: &dyn Reporter,
) -> Result<Scan, CorpusError> {
    let mut scan = Scan::default();
    for source in sources {
        let meta = match fs::metadata(source) {
            Ok(meta) => meta,
            Err(_) if allow_missing => {
                reporter.warn(Warning::new(
                    display_path(source),
                    "does not exist (any more); its documents are removed",
                ));
                continue;
            }
            Err(_) => return Err(CorpusError::Missing(display_path(source))),
        };
        if !meta.is_file() && !meta.is_dir() {
            // A device, pipe or socket (`/dev/null`) holds no documents to keep.
            return Err(CorpusError::NotFileOrFolder(display_path(source)));
        }
        let root = stored_path(base, source);
        if meta.is_file() {
            let name = source.file_name().unwrap_or_default().to_string_lossy();
            let (format, stem) =
                Format::of(&name).ok_or_else(|| CorpusError::Unsupported(display_path(source)))?;
            scan.files.push(SourceFile {
                path: source.clone(),
                display: display_path(source),
                stored: root,
                id: stem.to_string(),
                format,
            });
            continue;
        }
        let walker = walkdir::WalkDir::new(source)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                let own = e.file_type().is_dir()
                    && index.is_some_and(|i| fs::canonicalize(e.path()).is_ok_and(|p| p == i));
                !is_hidden(e) && !own
            });
        for entry in walker {
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => {
                    let path = e.path().map_or_else(|| display_path(source), display_path);
                    let rel = e
                        .path()
                        .and_then(|p| p.strip_prefix(source).ok())
                        .unwrap_or(Path::new(""));
                    // A loop is said without its paths (the warning names the link), so that
                    // many loops count as one warning repeated, not a flood of new ones.
                    let cause = if e.loop_ancestor().is_some() {
                        "a symbolic link back to a folder above it".to_string()
                    } else {
                        e.io_error()
                            .map_or_else(|| e.to_string(), ToString::to_string)
                    };
                    reporter.warn(Warning::new(
                        &path,
                        format!("cannot read ({cause}), skipped (documents indexed from it before are kept)"),
                    ));
                    scan.unreadable.push(below(&root, rel));
                    continue;
                }
            };
            if !entry.file_type().is_file() {
                continue;
            }
            let rel_path = entry.path().strip_prefix(source).unwrap_or(entry.path());
            let rel = display_path(rel_path);
            let Some((format, stem)) = Format::of(&rel) else {
                continue;
            };
            scan.files.push(SourceFile {
                path: entry.path().to_path_buf(),
                display: display_path(entry.path()),
                stored: below(&root, rel_path),
                id: stem.to_string(),
                format,
            });
        }
    }
    // A file reached twice through links (a linked folder, a link to a file) is read once,
    // where it lies without a link if it is met there, else where it was met first: read
    // again, it would be a second document under another id.
    let real: Vec<Option<PathBuf>> = scan
        .files
        .iter()
        .map(|f| fs::canonicalize(&f.path).ok())
        .collect();
    let direct = |i: usize| {
        std::path::absolute(&scan.files[i].path).is_ok_and(|p| Some(&p) == real[i].as_ref())
    };
    let mut chosen: std::collections::HashMap<&PathBuf, usize> = std::collections::HashMap::new();
    for (i, r) in real.iter().enumerate() {
        if let Some(r) = r {
            let keep = chosen.entry(r).or_insert(i);
            if !direct(*keep) && direct(i) {
                *keep = i;
            }
        }
    }
    let mut warnings = Vec::new();
    let keep: Vec<bool> = (0..scan.files.len())
        .map(|i| match real[i].as_ref().map(|r| chosen[r]) {
            Some(k) if k != i => {
                warnings.push((i, k));
                false
            }
            _ => true,
        })
        .collect();
    for (i, k) in warnings {
        reporter.warn(Warning::of_kind(
            &scan.files[i].display,
            "the same file as another (through a link): read once",
            format!(
                "the same file as {} (through a link): read once",
                scan.files[k].display
            ),
        ));
    }
    let mut keep = keep.into_iter();
    scan.files.retain(|_| keep.next().unwrap_or(true));
    Ok(scan)
}

/// How much of a file looks at to decide that it is binary.
const BINARY_SNIFF: usize = 8192;

/// Decodes bytes as UTF-8, lossily with a warning, or as UTF-16 or UTF-32 when they start
/// with its byte-order mark (Windows editors save text so); `None` (with a warning) for binary data.
pub(crate) fn decode(bytes: &[u8], location: &str, reporter: &dyn Reporter) -> Option<String> {
    // UTF-32's marks begin like UTF-16's: they are looked at first.
    let utf32 = match bytes {
        [0xFF, 0xFE, 0, 0, rest @ ..] => Some((rest, u32::from_le_bytes as fn([u8; 4]) -> u32)),
        [0, 0, 0xFE, 0xFF, rest @ ..] => Some((rest, u32::from_be_bytes as fn([u8; 4]) -> u32)),
        _ => None,
    };
    if let Some((rest, unit)) = utf32 {
        return Some(
            rest.chunks_exact(4)
                .map(|c| char::from_u32(unit([c[0], c[1], c[2], c[3]])).unwrap_or('\u{FFFD}'))
                .collect(),
        );
    }
    let utf16 = match bytes {
        [0xFF, 0xFE, rest @ ..] => Some((rest, u16::from_le_bytes as fn([u8; 2]) -> u16)),
        [0xFE, 0xFF, rest @ ..] => Some((rest, u16::from_be_bytes as fn([u8; 2]) -> u16)),
        _ => None,
    };
    if let Some((rest, unit)) = utf16 {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|pair| unit([pair[0], pair[1]]))
            .collect();
        return Some(String::from_utf16_lossy(&units));
    }
    if bytes[..bytes.len().min(BINARY_SNIFF)].contains(&0) {
        reporter.warn(Warning::new(location, "binary file, skipped"));
        return None;
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => Some(s.to_string()),
        Err(_) => {
            reporter.warn(Warning::new(
                location,
                "not valid UTF-8; decoded with replacement characters",
            ));
            Some(String::from_utf8_lossy(bytes).into_owned())
        }
    }
}

impl SourceFile {
    /// Reads the file and hands each document to `sink`. Problems with the content become
    /// warnings; an I/O error (unreadable file, corrupt gzip) is returned after the documents
    /// read so far were delivered, so the caller can keep what the index already has.
    /// Documents longer than `max_bytes` are cut there, with a warning.
    pub fn read(
        &self,
        reporter: &dyn Reporter,
        sink: &mut dyn Sink,
        max_bytes: usize,
    ) -> std::io::Result<()> {
        match self.format {
            Format::Text => self.read_text(reporter, sink, max_bytes),
            Format::Jsonl | Format::JsonlGz => jsonl::read(self, reporter, sink, max_bytes),
        }
    }

    /// The hash of this file's stored path and, for a text file, of the id it gives its
    /// document (which depends on the source folder it was read under), part of every stamp
    /// read from it: the same file read under another source folder is another document,
    /// not an unchanged one.
    pub fn path_hash(&self) -> u64 {
        match self.format {
            Format::Text => xxh3_64(format!("{}\0{}", self.stored, self.id).as_bytes()),
            // A record's id is its own, wherever its file is read from.
            Format::Jsonl | Format::JsonlGz => xxh3_64(self.stored.as_bytes()),
        }
    }

    fn read_text(
        &self,
        reporter: &dyn Reporter,
        sink: &mut dyn Sink,
        max_bytes: usize,
    ) -> std::io::Result<()> {
        let bytes = fs::read(&self.path)?;
        let stamp = stamp(&bytes, self.path_hash(), max_bytes);
        if sink.known(stamp, bytes.len()) {
            return Ok(());
        }
        let Some(content) = decode(&bytes, &self.display, reporter) else {
            return Ok(());
        };
        let (front, body) = split_front_matter(&content);
        if body.trim().is_empty() {
            reporter.warn(Warning::new(&self.display, "empty file, skipped"));
            return Ok(());
        }
        sink.document(RawDoc {
            id: self.id.clone(),
            file: self.stored.clone(),
            line: None,
            title: front.title,
            date: checked_date(front.date, &self.display, reporter),
            source: front.source,
            url: front.url,
            text: capped(body.to_string(), max_bytes, &self.display, reporter),
            stamp,
        });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_by_extension() {
        assert_eq!(Format::of("a.txt"), Some((Format::Text, "a")));
        assert_eq!(
            Format::of("dir/b.JSONL.gz"),
            Some((Format::JsonlGz, "dir/b"))
        );
        assert_eq!(Format::of("c.jsonl"), Some((Format::Jsonl, "c")));
        assert_eq!(Format::of("d.pdf"), None);
        assert_eq!(Format::of(".txt"), None);
    }

    #[test]
    fn a_cut_document_has_the_cap_in_its_stamp() {
        let text = b"0123456789";
        // Under the cap the cap does not matter; over it, each cap gives another stamp.
        assert_eq!(stamp(text, 7, 100), stamp(text, 7, 50));
        assert_ne!(stamp(text, 7, 5), stamp(text, 7, 6));
        assert_ne!(stamp(text, 7, 5), stamp(text, 7, 100));
        let r = crate::report::Collect::default();
        let cut = capped("aé".repeat(10), 4, "f.txt", &r);
        assert_eq!(cut, "aéa", "cut at a character boundary");
        // Sizes that would read the same in MiB are given in bytes.
        assert!(
            r.take()[0]
                .to_string()
                .starts_with("f.txt: 30 bytes of text; only the first 4 bytes are indexed")
        );
        capped("a".repeat(3 << 20), 1 << 20, "g.txt", &r);
        assert!(
            r.take()[0]
                .to_string()
                .starts_with("g.txt: 3.0 MiB of text; only the first 1.0 MiB")
        );
    }

    #[test]
    fn binary_and_invalid_utf8() {
        let r = crate::report::Collect::default();
        assert_eq!(decode(b"a\0b", "f", &r), None);
        assert_eq!(decode(b"caf\xe9", "g", &r).unwrap(), "caf\u{fffd}");
        let w = r.take();
        assert_eq!(w.len(), 2);
        assert!(w[0].message.contains("binary"));
        assert!(w[1].to_string().starts_with("g: not valid UTF-8"));
    }

    #[test]
    fn utf16_with_its_byte_order_mark_is_text() {
        let r = crate::report::Collect::default();
        let text = "Kunar — کنړ";
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert_eq!(decode(&le, "le", &r).as_deref(), Some(text));
        assert_eq!(decode(&be, "be", &r).as_deref(), Some(text));
        // UTF-32, whose little-endian mark begins like UTF-16's.
        let le32: Vec<u8> = [0xFF, 0xFE, 0, 0]
            .into_iter()
            .chain(text.chars().flat_map(|c| u32::from(c).to_le_bytes()))
            .collect();
        let be32: Vec<u8> = [0, 0, 0xFE, 0xFF]
            .into_iter()
            .chain(text.chars().flat_map(|c| u32::from(c).to_be_bytes()))
            .collect();
        assert_eq!(decode(&le32, "le32", &r).as_deref(), Some(text));
        assert_eq!(decode(&be32, "be32", &r).as_deref(), Some(text));
        assert!(r.take().is_empty());
    }
}
