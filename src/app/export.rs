//! `durand export`: the records `push` sends, or an index configuration, for Elasticsearch,
//! OpenSearch or Quickwit.

use std::io::{self, Write};
use std::process::ExitCode;

use anyhow::Context as _;

use super::search::open_or_build;
use super::{Context, note};
use crate::cli::{ExportArgs, ExportConfigArg, ExportFormatArg};
use crate::index::layout::write_atomically;
use crate::remote::export::{self, Engine};
use crate::remote::record::collection;
use crate::remote::schema::check_collection_name;

pub(crate) fn run(ctx: &Context, args: ExportArgs) -> anyhow::Result<ExitCode> {
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
