//! `durand export`: the records `push` sends, or an index configuration, for Elasticsearch,
//! OpenSearch or Quickwit.

use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context as _;

use super::search::open_or_build;
use super::{Context, note};
use crate::cli::{ExportArgs, ExportConfigArg, ExportFormatArg};
use crate::index::layout::write_atomically_with;
use crate::remote::export::{self, Engine};
use crate::remote::record::documents;

pub(crate) fn run(ctx: &Context, args: ExportArgs) -> anyhow::Result<ExitCode> {
    export::check_index_name(&args.name)?;
    if let Some(engine) = args.config {
        let engine = match engine {
            ExportConfigArg::Quickwit => Engine::Quickwit,
            ExportConfigArg::Elasticsearch => Engine::Elasticsearch,
        };
        let config = export::config(engine, &args.name);
        return emit(args.out.as_deref(), &ctx.dir, |out| {
            serde_json::to_writer_pretty(&mut *out, &config)?;
            out.write_all(b"\n")?;
            Ok(ExitCode::SUCCESS)
        });
    }
    let index = open_or_build(ctx)?;
    // Document by document: the records are never all in memory.
    let (records, docs) = emit(args.out.as_deref(), &ctx.dir, |out| {
        let (mut records, mut docs) = (0, 0);
        for doc in documents(&index)? {
            let doc = doc?;
            records += match args.format {
                ExportFormatArg::Ndjson => export::ndjson(&doc, out)?,
                ExportFormatArg::EsBulk => export::es_bulk(&doc, &args.name, out)?,
            };
            docs += 1;
        }
        Ok((records, docs))
    })?;
    if let Some(out) = &args.out {
        note(format!(
            "wrote {records} records of {docs} documents to {}",
            out.display()
        ));
    }
    Ok(ExitCode::SUCCESS)
}

/// Refuses an `--out` that is a folder, or inside the index folder: its files are durand's (an
/// export written over `meta.json` or `durand.json` would damage the index it was read from).
/// Asked when the export is written, after a first use has built the index folder.
fn check_out(out: &Path, dir: &Path) -> anyhow::Result<()> {
    if std::fs::metadata(out).is_ok_and(|m| m.is_dir()) {
        anyhow::bail!(
            "--out {} is a folder: give the file the export goes into",
            out.display()
        );
    }
    let Ok(index) = std::fs::canonicalize(dir) else {
        return Ok(());
    };
    // The file may not exist yet: its folder, resolved, and its name.
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let resolved = std::fs::canonicalize(out).ok().or_else(|| {
        let folder = std::fs::canonicalize(parent).ok()?;
        Some(
            out.file_name()
                .map_or(folder.clone(), |name| folder.join(name)),
        )
    });
    if resolved.is_some_and(|r| r.starts_with(&index)) {
        anyhow::bail!(
            "--out {} lies inside the index at {}, whose files are durand's: write the export elsewhere",
            out.display(),
            crate::index::shown(dir),
        );
    }
    Ok(())
}

/// Runs `write` on the file `out` (replaced atomically: a failed export leaves the old one;
/// through a symbolic link, the file it points to) or on stdout. What is not a file — a
/// device such as `/dev/null`, a named pipe — is written to as it is, never replaced.
fn emit<T>(
    out: Option<&Path>,
    index: &Path,
    write: impl FnOnce(&mut dyn Write) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    if let Some(out) = out {
        check_out(out, index)?;
    }
    match out {
        Some(path) if std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) => {
            let file = std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .with_context(|| format!("opening {}", path.display()))?;
            let mut out = io::BufWriter::new(file);
            let value = write(&mut out).with_context(|| format!("writing {}", path.display()))?;
            out.flush()
                .with_context(|| format!("writing {}", path.display()))?;
            Ok(value)
        }
        Some(path) => write_atomically_with(path, write)
            .with_context(|| format!("writing {}", path.display())),
        None => {
            let mut stdout = io::BufWriter::new(super::stdout());
            let value = write(&mut stdout)?;
            stdout.flush()?;
            Ok(value)
        }
    }
}
