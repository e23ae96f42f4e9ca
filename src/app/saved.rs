//! `durand saved add|list|rm` and `durand alerts`: searches kept with the index and what
//! arrived for each since it was last shown. Also the "N new for NAME" lines that `index`
//! and `watch` print after a sync.

use std::collections::HashSet;
use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context as _, anyhow, bail};

use super::search::open_or_build;
use super::{Context, note, options};
use crate::cli::{AlertsArgs, SavedAddArgs, SavedListArgs, SavedRmArgs};
use crate::index::sync::NewFor;
use crate::index::{self, DurandIndex};
use crate::render::Format;
use crate::saved::{Alert, Broken, Saved, SavedRow, SavedSearch, Store, check_name};
use crate::search::census::{Census, census};
use crate::search::{ModeChoice, SearchOptions, filter_notes, search};

/// The search a saved line asks for. An alert means "a document that matches this query":
/// every word, unless the line says `--any`. `durand search`'s fallback to any word, when
/// nothing has them all, would make a saved search of a misspelt word alert on every
/// document with the other one.
fn saved_options(line: &str) -> Result<SearchOptions, String> {
    let mut options = options::line_options(line)?;
    if options.mode == ModeChoice::Auto {
        options.mode = ModeChoice::All;
    }
    Ok(options)
}

/// The search a saved search runs, and what it matches now.
fn run_saved(
    index: &DurandIndex,
    name: &str,
    saved: &SavedSearch,
) -> anyhow::Result<(SearchOptions, Census)> {
    let options = saved_options(&saved.line)
        .map_err(|m| anyhow!("saved search {name} ({}): {m}", saved.line))?;
    let found = census(index, &options).with_context(|| format!("saved search {name}"))?;
    Ok((options, found))
}

/// Whether a saved search failed because of the index (damaged, unreadable), not because
/// the search itself no longer runs: the index's trouble is every search's, an error, never
/// a note that blames the saved search.
fn index_trouble(e: &anyhow::Error) -> bool {
    use crate::search::SearchError;
    e.chain().any(|cause| {
        matches!(
            cause.downcast_ref::<SearchError>(),
            Some(SearchError::Open(_) | SearchError::Index(_) | SearchError::Embed(_))
        ) || cause.downcast_ref::<index::IndexError>().is_some()
            || cause.downcast_ref::<tantivy::TantivyError>().is_some()
    })
}

fn now() -> String {
    jiff::Timestamp::now()
        .round(jiff::Unit::Second)
        .map_or_else(|_| jiff::Timestamp::now().to_string(), |t| t.to_string())
}

pub(crate) fn add(ctx: &Context, args: SavedAddArgs) -> anyhow::Result<ExitCode> {
    check_name(&args.name)?;
    let line = options::words_line(&args.query)
        .map_err(|e| anyhow!("the search cannot be saved as one line: {e}"))?;
    // What is checked is what runs later: the line as saved.
    let options = saved_options(&line).map_err(|m| {
        // Only flags after the name: the query is what is missing (clap's own usage line
        // would be the inner query line's, which has no command).
        if m.contains("<QUERY>") {
            anyhow!("{m} (usage: durand saved add <NAME> <QUERY>... [filters])")
        } else {
            anyhow!("{m}")
        }
    })?;
    if options.semantic.is_some() {
        bail!("a saved search runs by words (it counts what is new); drop --hybrid or --semantic");
    }
    options::LineUse::Saved
        .check(&line)
        .map_err(|m| anyhow!(m))?;
    if Store::new(&ctx.dir)
        .load()?
        .searches
        .contains_key(&args.name)
    {
        return Err(crate::saved::SavedError::Exists(args.name).into());
    }
    let index = open_or_build(ctx)?;
    for n in filter_notes(&index, &options.filters)? {
        note(n);
    }
    let found = census(&index, &options)?;
    Store::new(&ctx.dir).update(|s| s.add(&args.name, &line, &now(), &found.documents))?;
    let mut out = super::stdout();
    writeln!(
        out,
        "saved {}: {} — {} now and {} as seen; `durand alerts {}` shows what arrives later",
        args.name,
        crate::text::printable(&line),
        match found.documents.len() {
            1 => "1 document matches".to_string(),
            n => format!("{n} documents match"),
        },
        if found.documents.len() == 1 {
            "counts"
        } else {
            "count"
        },
        args.name
    )?;
    Ok(ExitCode::SUCCESS)
}

/// Saved searches live with an index: with none there (not even a damaged one), say so as
/// `saved add` does rather than "no saved searches".
fn require_index(ctx: &Context) -> anyhow::Result<()> {
    index::check_folder(&ctx.dir)?;
    if index::exists(&ctx.dir) || index::remembers(&ctx.dir) {
        return Ok(());
    }
    if let Some(running) = super::search::first_build_running(ctx) {
        return Err(running);
    }
    Err(index::IndexError::Missing {
        path: index::shown(&ctx.dir),
    }
    .into())
}

pub(crate) fn list(ctx: &Context, args: SavedListArgs) -> anyhow::Result<ExitCode> {
    require_index(ctx)?;
    let saved = Store::new(&ctx.dir).load()?;
    let mut rows = Vec::new();
    if !saved.searches.is_empty() {
        let index = open_or_build(ctx)?;
        // One that no longer runs is listed with why, not in place of the others.
        for (name, s) in &saved.searches {
            let (new, error) = match run_saved(&index, name, s) {
                Ok((_, found)) => (s.unseen(&found.documents).len(), None),
                Err(e) if index_trouble(&e) => return Err(e),
                Err(e) => (0, Some(super::one_line(&e))),
            };
            rows.push(SavedRow {
                name: name.clone(),
                search: s.line.clone(),
                created: s.created.clone(),
                shown: s.shown.clone(),
                seen: s.seen.len(),
                new,
                error,
            });
        }
    }
    let mut out = ctx.paged_output(args.output.format());
    out.saved(&rows)?;
    out.flush()?;
    Ok(if rows.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

pub(crate) fn rm(ctx: &Context, args: SavedRmArgs) -> anyhow::Result<ExitCode> {
    require_index(ctx)?;
    // Every name is checked before any is removed; a name given twice is removed once.
    let mut names: Vec<&String> = Vec::new();
    for name in &args.names {
        if !names.contains(&name) {
            names.push(name);
        }
    }
    Store::new(&ctx.dir).update(|s| {
        for name in &names {
            s.get(name)?;
        }
        for name in &names {
            s.remove(name)?;
        }
        Ok(())
    })?;
    Ok(ExitCode::SUCCESS)
}

/// The saved searches `names` picks (all when empty), each checked to exist.
fn chosen<'a>(
    saved: &'a Saved,
    names: &[String],
) -> anyhow::Result<Vec<(&'a String, &'a SavedSearch)>> {
    if names.is_empty() {
        return Ok(saved.searches.iter().collect());
    }
    let mut out: Vec<(&String, &SavedSearch)> = Vec::new();
    for name in names {
        saved.get(name)?;
        // A name given twice is shown once.
        if out.iter().all(|(n, _)| *n != name) {
            out.extend(saved.searches.get_key_value(name));
        }
    }
    Ok(out)
}

pub(crate) fn alerts(ctx: &Context, args: AlertsArgs) -> anyhow::Result<ExitCode> {
    require_index(ctx)?;
    let store = Store::new(&ctx.dir);
    let saved = store.load()?;
    if saved.searches.is_empty() {
        note("no saved searches; `durand saved add NAME QUERY` saves one");
        // JSON and CSV still get their (empty) document.
        if args.output.format() != Format::Text {
            let mut out = ctx.output(args.output.format());
            out.alerts(&[], &[])?;
            out.flush()?;
        }
        return Ok(ExitCode::from(1));
    }
    let chosen = chosen(&saved, &args.names)?;
    let index = open_or_build(ctx)?;
    let mut alerts = Vec::new();
    let mut broken = Vec::new();
    let mut seen: Vec<(String, Vec<String>)> = Vec::new();
    for (name, s) in chosen {
        // Named, it must run; among all, one that no longer runs is a note, and the others
        // still show their news.
        let (mut options, found) = match run_saved(&index, name, s) {
            Ok(ran) => ran,
            Err(e) if args.names.is_empty() && !index_trouble(&e) => {
                note(format!(
                    "{}; `durand saved rm {name}` and add it again",
                    super::one_line(&e)
                ));
                broken.push(Broken {
                    name: name.clone(),
                    error: super::one_line(&e),
                });
                continue;
            }
            Err(e) => return Err(e),
        };
        let new: Vec<String> = if args.all {
            found.documents.clone()
        } else {
            s.unseen(&found.documents).into_iter().cloned().collect()
        };
        if new.is_empty() {
            continue;
        }
        options.filters.docs = Some(new.clone());
        // N new documents, each by its best passage.
        options.limit = args.limit;
        options.offset = 0;
        options.by_document = true;
        let results = search(&index, &options).with_context(|| format!("saved search {name}"))?;
        // What was shown becomes seen: the documents of the hits, and the other reports of
        // their stories (shown as "+N similar"). The rest stays new for next time.
        let stories: HashSet<&str> = results.hits.iter().map(|h| h.story.as_str()).collect();
        let docs: HashSet<&str> = results.hits.iter().map(|h| h.doc.as_str()).collect();
        let fresh: HashSet<&str> = new.iter().map(String::as_str).collect();
        let shown: Vec<String> = found
            .documents
            .iter()
            .zip(&found.document_stories)
            .filter(|(d, story)| {
                fresh.contains(d.as_str())
                    && (docs.contains(d.as_str()) || stories.contains(story.as_str()))
            })
            .map(|(d, _)| d.clone())
            .collect();
        alerts.push(Alert {
            name: name.clone(),
            search: s.line.clone(),
            new: new.len(),
            shown: shown.len(),
            all: args.all,
            results,
        });
        seen.push((name.clone(), shown));
    }
    let mut out = ctx.paged_output(args.output.format());
    out.alerts(&alerts, &broken)?;
    out.flush()?;
    drop(out);
    // Output the pager lost was not seen: it stays new.
    if super::pager::failed() && !alerts.is_empty() {
        bail!(
            "nothing was marked as seen, since the pager failed; `durand alerts --no-pager` shows it"
        );
    }
    if !args.keep {
        let shown = now();
        store.update(|s| {
            for (name, docs) in &seen {
                // A search removed meanwhile is not brought back.
                if let Some(search) = s.searches.get_mut(name) {
                    search.seen.extend(docs.iter().cloned());
                    search.shown = Some(shown.clone());
                }
            }
            Ok(())
        })?;
    }
    if alerts.is_empty() {
        note("nothing new");
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// After a sync: each saved search that matches documents the sync added or changed
/// (`written`; `None` for every document, after a first build or a rebuild) and has not
/// shown, and how many; none for a saved search with none. The sync went through: saved
/// searches that cannot be read, or an index that does not open, are a warning, not a
/// failure (and not silence).
pub(crate) fn new_counts(dir: &std::path::Path, written: Option<&[String]>) -> Vec<NewFor> {
    counts(dir, written).unwrap_or_else(|e| {
        note(format!(
            "warning: new hits of saved searches not counted: {}",
            super::one_line(&e)
        ));
        Vec::new()
    })
}

/// [`new_counts`], or why they cannot be counted. A saved search that no longer runs (its
/// flags name what the tables no longer know) is a note; the others are counted.
fn counts(dir: &std::path::Path, written: Option<&[String]>) -> anyhow::Result<Vec<NewFor>> {
    let saved = Store::new(dir).load()?;
    if saved.searches.is_empty() {
        return Ok(Vec::new());
    }
    let index = crate::index::open(dir)?;
    let written: Option<HashSet<&str>> =
        written.map(|ids| ids.iter().map(String::as_str).collect());
    let mut out = Vec::new();
    for (name, s) in &saved.searches {
        match run_saved(&index, name, s) {
            Ok((_, found)) => {
                let new = s
                    .unseen(&found.documents)
                    .into_iter()
                    .filter(|d| written.as_ref().is_none_or(|w| w.contains(d.as_str())))
                    .count();
                if new > 0 {
                    out.push(NewFor {
                        name: name.clone(),
                        new,
                    });
                }
            }
            Err(e) if index_trouble(&e) => return Err(e),
            Err(e) => note(super::one_line(&e)),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_hits_of_saved_searches_over_an_index_that_does_not_open_are_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let index = dir.path().join("index");
        Store::new(&index)
            .update(|s| s.add("kunar", "kunar", "2026-01-01T00:00:00Z", &[]))
            .unwrap();
        let err = counts(&index, None).unwrap_err();
        assert!(index_trouble(&err), "{err:#}");
        // With nothing saved, there is nothing to count and nothing to open.
        let empty = dir.path().join("empty");
        assert!(counts(&empty, None).unwrap().is_empty());
    }
}
