//! `durand similar DOC`: documents like one, by its distinctive words, fused with its meaning
//! when the index keeps vectors (`--words` for words alone).

use std::process::ExitCode;

use anyhow::anyhow;

use super::search::{open_or_build, print_results};
use super::{Context, note, options};
use crate::cli::SimilarArgs;
use crate::index::DurandIndex;
use crate::search::hybrid::{DEFAULT_FUSION, SemanticQuery};
use crate::search::like::document_vector;
use crate::search::{SearchOptions, filter_notes, search};
use crate::text::closest;

/// The id of the document `typed` names: itself when the index holds it, else the one id
/// the terminal shows as `typed` (an id with control characters is shown with `�`, and a
/// copied `�` must still find it), in either Unicode form; else the error, with the nearest
/// id.
pub(crate) fn document_id(index: &DurandIndex, typed: &str) -> anyhow::Result<String> {
    if index
        .document_record(&index.reader.searcher(), typed)?
        .is_some()
    {
        return Ok(typed.to_string());
    }
    // Not as written: as the terminal shows it, and in Unicode's composed form (a file name
    // from macOS writes "é" as "e" and an accent, which looks the same typed either way).
    {
        use unicode_normalization::UnicodeNormalization as _;
        let key = |s: &str| s.nfc().collect::<String>();
        let wanted = key(typed);
        let shown: Vec<String> = index
            .documents()?
            .into_iter()
            .map(|d| d.doc_id)
            .filter(|id| key(&crate::text::printable_line(id)) == wanted)
            .collect();
        match shown.as_slice() {
            [one] => return Ok(one.clone()),
            [] => {}
            many => {
                return Err(anyhow!(
                    "{} documents have ids shown as {typed:?}; give the id as written (`durand docs --json` lists them)",
                    many.len()
                ));
            }
        }
    }
    Err(no_document(index, typed)?)
}

/// The error for a document id the index does not hold, with the nearest id.
pub(crate) fn no_document(index: &DurandIndex, doc: &str) -> anyhow::Result<anyhow::Error> {
    let ids: Vec<String> = index.documents()?.into_iter().map(|d| d.doc_id).collect();
    let hint = match closest(doc, ids.iter().map(|id| (id.as_str(), id.as_str()))) {
        // as the terminal shows it, which `document_id` takes back
        Some(id) => format!(" — did you mean {}?", crate::text::printable_line(id)),
        None => " — `durand docs` lists the ids".to_string(),
    };
    Ok(anyhow!("no document {doc:?} in the index{hint}"))
}

pub(crate) fn run(ctx: &Context, args: SimilarArgs) -> anyhow::Result<ExitCode> {
    let mut o = SearchOptions::new("");
    o.filters = options::filters(&args.filters)?;
    o.limit = args.limit;
    o.collapse = !args.no_collapse;
    let index = open_or_build(ctx)?;
    let doc = document_id(&index, &args.doc)?;
    o.like = Some(doc.clone());
    for n in filter_notes(&index, &o.filters)? {
        note(n);
    }
    if !args.words
        && index.semantic()?.is_some()
        && let Some(vector) = document_vector(&index, &doc)?
    {
        o.semantic = Some(SemanticQuery {
            vector,
            only: false,
            fusion: DEFAULT_FUSION,
        });
    }
    let results = search(&index, &o)?;
    super::search::note_unembedded(&index, &results);
    std::mem::forget(index);
    print_results(ctx, args.output.format(), &results, 0)
}
