//! `durand push` and `durand export`, and what `--remote` needs: a client for the cluster
//! named on the command line and the entity names its filters resolve against.

use std::io::{self, Write};
use std::process::ExitCode;

use anyhow::{Context as _, bail};

use super::progress::StderrReporter;
use super::search::open_or_build;
use super::{Context, note};
use crate::cli::{ExportArgs, ExportConfigArg, ExportFormatArg, PushArgs, RemoteAccessArgs};
use crate::index::layout::write_atomically;
use crate::remote::Remote;
use crate::remote::export::{self, Engine};
use crate::remote::push::{PushOptions, push};
use crate::remote::query::Vocabulary;
use crate::remote::record::collection;
use crate::remote::schema::check_collection_name;
use crate::render::Format;

/// A client for the cluster at `urls` with the collection and key of `access`.
pub(crate) fn connect(urls: &str, access: &RemoteAccessArgs) -> anyhow::Result<Remote> {
    let key = access.api_key.as_deref().unwrap_or("");
    Ok(Remote::new(urls, key, &access.collection)?)
}

/// The names remote filters resolve against: the local index's tables when it opens, else
/// the built-in ones (a remote search needs no local index).
pub(crate) fn vocabulary(ctx: &Context) -> Vocabulary {
    Vocabulary::of_index_dir(&ctx.dir)
}

pub(crate) fn push_command(ctx: &Context, args: PushArgs) -> anyhow::Result<ExitCode> {
    let remote = connect(&args.url, &args.access)?;
    let index = open_or_build(ctx)?;
    let reporter = StderrReporter::new(args.quiet, !args.output.json);
    let options = PushOptions {
        batch: args.batch,
        full: args.full,
    };
    let summary = push(&index, &remote, options, &reporter)?;
    let format = if args.output.json {
        Format::Json
    } else {
        Format::Text
    };
    let mut out = ctx.output(format);
    out.push_summary(&summary)?;
    out.flush()?;
    if !summary.rejected.is_empty() {
        bail!(
            "the cluster rejected {} of the records (listed above); they are sent again by the next push",
            summary.rejected.len()
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn export_command(ctx: &Context, args: ExportArgs) -> anyhow::Result<ExitCode> {
    check_collection_name(&args.name)?;
    let mut bytes = Vec::new();
    if let Some(engine) = args.config {
        let engine = match engine {
            ExportConfigArg::Quickwit => Engine::Quickwit,
            ExportConfigArg::Elasticsearch => Engine::Elasticsearch,
        };
        serde_json::to_writer_pretty(&mut bytes, &export::config(engine, &args.name))?;
        bytes.push(b'\n');
    } else {
        let index = open_or_build(ctx)?;
        let docs = collection(&index)?;
        let n = match args.format {
            ExportFormatArg::Ndjson => export::ndjson(&docs, &mut bytes)?,
            ExportFormatArg::EsBulk => export::es_bulk(&docs, &args.name, &mut bytes)?,
        };
        if let Some(out) = &args.out {
            note(format!(
                "wrote {n} records of {} documents to {}",
                docs.len(),
                out.display()
            ));
        }
    }
    match &args.out {
        Some(path) => {
            write_atomically(path, &bytes).with_context(|| format!("writing {}", path.display()))?
        }
        None => {
            let mut stdout = io::stdout().lock();
            stdout.write_all(&bytes)?;
            stdout.flush()?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
