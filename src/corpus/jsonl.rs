//! JSON Lines sources: one document per line, plain or gzip-compressed, so users can bring
//! scraped datasets (and we can index public test collections) without exploding them into
//! files. A record needs an id (`id` or `_id`, string or number) and some text (`text`, or
//! `description` / `body` / `content` / `abstract` as feeds and datasets name it).

use std::fs::File;
use std::io::{BufRead, BufReader, Read};

use flate2::read::MultiGzDecoder;
use serde::Deserialize;
use serde_json::Value;
use serde_json::value::RawValue;

use super::{Format, RawDoc, Sink, SourceFile, capped, stamp};
use crate::report::{Reporter, Warning};

#[derive(Deserialize)]
struct Record {
    id: Option<Box<RawValue>>,
    #[serde(rename = "_id")]
    underscore_id: Option<Box<RawValue>>,
    title: Option<Value>,
    text: Option<Value>,
    description: Option<Value>,
    body: Option<Value>,
    content: Option<Value>,
    #[serde(rename = "abstract")]
    abstract_: Option<Value>,
    date: Option<Value>,
    source: Option<Value>,
    publisher: Option<Value>,
    url: Option<Value>,
    link: Option<Value>,
}

/// Why a line is skipped: valid JSON of another shape is said as that, not as serde's
/// "expected struct Record with 13 elements".
fn invalid(location: &str, line: &[u8], e: &serde_json::Error) -> Warning {
    match serde_json::from_slice::<Value>(line)
        .ok()
        .as_ref()
        .and_then(crate::text::json_kind)
    {
        Some(what) => Warning::of_kind(
            location,
            "not a JSON object, skipped",
            format!("not a JSON object but {what}, skipped"),
        ),
        None => Warning::of_kind(
            location,
            "invalid JSON, skipped",
            format!("invalid JSON ({e}), skipped"),
        ),
    }
}

/// An id as written: a string's text, or a number's digits exactly as they stand (a number
/// too large for 64 bits read as a float would round, and two ids would become one).
fn id_of(v: Option<Box<RawValue>>) -> Option<String> {
    let raw = v?;
    let text = raw.get().trim();
    if text.starts_with('"') {
        scalar(serde_json::from_str(text).ok())
    } else if text.starts_with(|c: char| c == '-' || c.is_ascii_digit()) {
        Some(text.to_string())
    } else {
        None
    }
}

/// A string or a number, as text; anything else (null, arrays, objects) counts as absent.
fn scalar(v: Option<Value>) -> Option<String> {
    match v? {
        Value::String(s) => {
            let t = s.trim();
            (!t.is_empty()).then(|| t.to_string())
        }
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

pub(super) fn read(
    file: &SourceFile,
    reporter: &dyn Reporter,
    sink: &mut dyn Sink,
    max_bytes: usize,
) -> std::io::Result<()> {
    let path_hash = file.path_hash();
    let f = File::open(&file.path)?;
    let inner: Box<dyn Read> = match file.format {
        Format::JsonlGz => Box::new(MultiGzDecoder::new(f)),
        _ => Box::new(f),
    };
    let mut reader = BufReader::with_capacity(1 << 16, inner);
    // UTF-16 or UTF-32 (their byte-order marks): every line would be invalid JSON.
    let head = reader
        .fill_buf()
        .map_err(|e| std::io::Error::new(e.kind(), format!("at the start: {e}")))?;
    if let Some(encoding) = wide_encoding(head) {
        reporter.warn(Warning::new(
            &file.display,
            format!("{encoding} text; a .jsonl is read as UTF-8 (save it so), skipped"),
        ));
        return Ok(());
    }
    let mut buf = Vec::with_capacity(4096);
    let mut line_no = 0usize;
    let mut records = 0usize;
    loop {
        buf.clear();
        let n = reader
            .read_until(b'\n', &mut buf)
            .map_err(|e| std::io::Error::new(e.kind(), format!("after line {line_no}: {e}")))?;
        if n == 0 {
            if records == 0 {
                reporter.warn(Warning::new(&file.display, "empty file, skipped"));
            }
            return Ok(());
        }
        line_no += 1;
        let mut line = buf.trim_ascii();
        // A byte-order mark opening the file (some Windows tools write one) is no JSON.
        if line_no == 1 {
            line = line
                .strip_prefix(b"\xEF\xBB\xBF")
                .unwrap_or(line)
                .trim_ascii();
        }
        if line.is_empty() {
            continue;
        }
        records += 1;
        let stamp = stamp(line, path_hash, max_bytes);
        if sink.known(stamp, line.len()) {
            continue;
        }
        let location = format!("{}:{line_no}", file.display);
        let record: Record = match serde_json::from_slice(line) {
            Ok(r) => r,
            Err(e) if e.is_syntax() || e.is_eof() || e.is_data() => {
                // serde_json rejects invalid UTF-8 inside strings; retry lossily.
                let lossy = String::from_utf8_lossy(line);
                if let std::borrow::Cow::Owned(ref fixed) = lossy
                    && let Ok(r) = serde_json::from_str::<Record>(fixed)
                {
                    reporter.warn(Warning::new(
                        &location,
                        "not valid UTF-8; decoded with replacement characters",
                    ));
                    r
                } else {
                    reporter.warn(invalid(&location, line, &e));
                    continue;
                }
            }
            Err(e) => {
                reporter.warn(invalid(&location, line, &e));
                continue;
            }
        };
        let Some(mut id) = id_of(record.id).or_else(|| id_of(record.underscore_id)) else {
            reporter.warn(Warning::new(
                &location,
                "record has no \"id\" or \"_id\", skipped",
            ));
            continue;
        };
        // Ids name things and are kept as written (the terminal shows their control
        // characters as �), but `show ID` must be able to take one: no command line can
        // carry a NUL.
        if id.contains('\0') {
            id.retain(|c| c != '\0');
            if id.trim().is_empty() {
                reporter.warn(Warning::new(
                    &location,
                    "record id is only NUL bytes, skipped",
                ));
                continue;
            }
            reporter.warn(Warning::of_kind(
                &location,
                "record id has NUL bytes, which no command line can carry",
                format!(
                    "record id has NUL bytes, which no command line can carry; indexed as {id:?}"
                ),
            ));
        }
        let title = scalar(record.title);
        let text = scalar(record.text)
            .or_else(|| scalar(record.description))
            .or_else(|| scalar(record.body))
            .or_else(|| scalar(record.content))
            .or_else(|| scalar(record.abstract_))
            .unwrap_or_default();
        if text.is_empty() && title.is_none() {
            reporter.warn(Warning::of_kind(
                &location,
                "record has no text, skipped",
                format!("record {id} has no text, skipped"),
            ));
            continue;
        }
        sink.document(RawDoc {
            text: capped(text, max_bytes, &location, reporter),
            id,
            file: file.stored.clone(),
            line: Some(line_no),
            title,
            date: super::checked_date(scalar(record.date), &location, reporter),
            source: scalar(record.source).or_else(|| scalar(record.publisher)),
            url: scalar(record.url).or_else(|| scalar(record.link)),
            stamp,
        });
    }
}

/// The encoding a byte-order mark at the start of `bytes` names, when it is not UTF-8.
fn wide_encoding(bytes: &[u8]) -> Option<&'static str> {
    match bytes {
        [0xFF, 0xFE, 0, 0, ..] | [0, 0, 0xFE, 0xFF, ..] => Some("UTF-32"),
        [0xFF, 0xFE, ..] | [0xFE, 0xFF, ..] => Some("UTF-16"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;
    use crate::report::Collect;

    fn read_str(name: &str, content: &[u8]) -> (Vec<RawDoc>, Vec<Warning>) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        let mut f = File::create(&path).unwrap();
        if name.ends_with(".gz") {
            let mut enc = flate2::write::GzEncoder::new(f, flate2::Compression::fast());
            enc.write_all(content).unwrap();
            enc.finish().unwrap();
        } else {
            f.write_all(content).unwrap();
        }
        let (format, _) = Format::of(name).unwrap();
        let sf = SourceFile {
            path,
            display: name.to_string(),
            stored: name.to_string(),
            id: String::new(),
            format,
        };
        let reporter = Collect::default();
        let mut docs = Vec::new();
        sf.read(&reporter, &mut |d| docs.push(d), usize::MAX)
            .unwrap();
        (docs, reporter.take())
    }

    #[test]
    fn reads_ids_titles_and_fallback_text_fields() {
        let (docs, warnings) = read_str(
            "a.jsonl",
            br#"{"id": "x1", "title": "T", "text": "Body", "date": "2024-01-02", "extra": [1]}
{"_id": 42, "description": "Feed text", "link": "http://e"}

{"id": "bad", "title": null}
not json
"#,
        );
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].id, "x1");
        assert_eq!(docs[0].date.as_deref(), Some("2024-01-02"));
        assert_eq!(docs[1].id, "42");
        assert_eq!(docs[1].text, "Feed text");
        assert_eq!(docs[1].url.as_deref(), Some("http://e"));
        assert_eq!(docs[1].line, Some(2));
        assert_eq!(warnings.len(), 2);
        assert!(warnings[0].location == "a.jsonl:4" && warnings[0].message.contains("no text"));
        assert!(warnings[1].location == "a.jsonl:5" && warnings[1].message.contains("invalid"));
    }

    #[test]
    fn a_nul_leaves_an_id_with_a_warning_other_control_characters_stay() {
        let (docs, warnings) = read_str(
            "ctl.jsonl",
            b"{\"id\":\"ctl\\u0000\",\"text\":\"A blast\"}\n{\"id\":\"\\u0000\",\"text\":\"B\"}\n{\"id\":\"bel\\u0007\",\"text\":\"C\"}\n",
        );
        let ids: Vec<&str> = docs.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["ctl", "bel\u{7}"]);
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(warnings[0].message.contains("indexed as \"ctl\""));
        assert!(warnings[1].message.contains("only NUL bytes"));
    }

    #[test]
    fn a_date_durand_cannot_read_is_a_warning() {
        let (docs, warnings) = read_str(
            "d.jsonl",
            b"{\"id\":\"a\",\"text\":\"A\",\"date\":\"2023-13-45\"}\n{\"id\":\"b\",\"text\":\"B\",\"date\":\"2023-02-03\"}\n",
        );
        assert_eq!(docs.len(), 2);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].location == "d.jsonl:1" && warnings[0].message.contains("its date"));
    }

    #[test]
    fn a_byte_order_mark_opening_the_file_is_not_part_of_line_one() {
        let (docs, warnings) = read_str(
            "bom.jsonl",
            b"\xEF\xBB\xBF{\"id\":\"one\",\"text\":\"first\"}\n{\"id\":\"two\",\"text\":\"second\"}\n",
        );
        assert!(warnings.is_empty(), "{warnings:?}");
        let ids: Vec<&str> = docs.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["one", "two"]);
    }

    #[test]
    fn a_wide_encoding_is_one_warning_not_a_warning_per_line() {
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(
                "{\"id\":\"a\",\"text\":\"x\"}\n{\"id\":\"b\",\"text\":\"y\"}\n"
                    .encode_utf16()
                    .flat_map(u16::to_le_bytes),
            )
            .collect();
        let (docs, warnings) = read_str("w.jsonl", &utf16);
        assert!(docs.is_empty());
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(
            warnings[0]
                .to_string()
                .contains("UTF-16 text; a .jsonl is read as UTF-8")
        );
    }

    #[test]
    fn reads_gzip() {
        let (docs, warnings) = read_str("b.jsonl.gz", b"{\"id\":\"g\",\"text\":\"zipped\"}\n");
        assert!(warnings.is_empty());
        assert_eq!(docs[0].text, "zipped");
    }

    #[test]
    fn invalid_utf8_in_a_line_is_decoded_lossily() {
        let (docs, warnings) = read_str("c.jsonl", b"{\"id\":\"u\",\"text\":\"caf\xe9\"}\n");
        assert_eq!(docs[0].text, "caf\u{fffd}");
        assert!(warnings[0].message.contains("UTF-8"));
    }
}
