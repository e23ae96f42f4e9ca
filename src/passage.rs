//! Cuts a cleaned document into passages, the unit durand ranks and shows: paragraphs first,
//! a long paragraph cut at sentence boundaries (UAX #29) into pieces of about
//! [`MAX_WORDS`] words at most. Headings are not passages (they name the section of the
//! passages under them) and a tiny fragment joins a neighbour in the same section. A fragment
//! that is all its section holds (a "See also" line) stays a passage of its own: joining it
//! across a heading would file it under the wrong section, and dropping it would make it
//! unsearchable.

use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;

use crate::clean::{BlockKind, CleanDoc};

/// A passage never holds more words than this, unless one sentence alone is longer and has
/// to be cut between words.
pub const MAX_WORDS: usize = 120;
/// A piece with fewer words than this is a fragment and joins a neighbour.
pub const MIN_WORDS: usize = 8;

/// One passage of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passage {
    /// 0-based position in the document.
    pub ord: u32,
    /// Byte range into the cleaned text ([`CleanDoc::text`]).
    pub range: Range<usize>,
    pub section: Option<String>,
}

struct Piece {
    range: Range<usize>,
    words: usize,
    section: Option<String>,
}

/// Splits `doc` into passages. A document whose text is empty gets one empty passage so its
/// title stays searchable.
pub fn split(doc: &CleanDoc) -> Vec<Passage> {
    let mut pieces = Vec::new();
    for block in &doc.blocks {
        if block.kind == BlockKind::Heading {
            continue;
        }
        let text = doc.block_text(block);
        for range in cut(text, block.range.start) {
            pieces.push(Piece {
                words: doc.text[range.clone()].unicode_words().count(),
                range,
                section: block.section.clone(),
            });
        }
    }
    let pieces = merge_fragments(&doc.text, pieces);
    let mut passages: Vec<Passage> = pieces
        .into_iter()
        .enumerate()
        .map(|(i, p)| Passage {
            ord: i as u32,
            range: p.range,
            section: p.section,
        })
        .collect();
    if passages.is_empty() {
        passages.push(Passage {
            ord: 0,
            range: 0..0,
            section: None,
        });
    }
    passages
}

/// Cuts one block into ranges of at most `MAX_WORDS` words at sentence boundaries; `base` is
/// the block's offset in the cleaned text.
fn cut(text: &str, base: usize) -> Vec<Range<usize>> {
    let total = text.unicode_words().count();
    if total <= MAX_WORDS {
        return std::iter::once(base..base + text.len()).collect();
    }
    // Aim for even pieces: 130 words become 65 + 65, not 120 + 10.
    let target = total.div_ceil(total.div_ceil(MAX_WORDS));
    let mut out = Vec::new();
    let mut current: Option<(usize, usize, usize)> = None; // start, end, words
    for (offset, sentence) in text.split_sentence_bound_indices() {
        let words = sentence.unicode_words().count();
        let end = offset + sentence.trim_end().len();
        if words > MAX_WORDS {
            if let Some((s, e, _)) = current.take() {
                out.push(base + s..base + e);
            }
            out.extend(cut_words(sentence, base + offset));
            continue;
        }
        current = match current {
            Some((s, _, w)) if w + words <= MAX_WORDS && w < target => Some((s, end, w + words)),
            Some((s, e, _)) => {
                out.push(base + s..base + e);
                Some((offset, end, words))
            }
            None => Some((offset, end, words)),
        };
    }
    if let Some((s, e, _)) = current {
        out.push(base + s..base + e);
    }
    out.retain(|r| !r.is_empty());
    out
}

/// Cuts a sentence that alone exceeds `MAX_WORDS` between words.
fn cut_words(sentence: &str, base: usize) -> Vec<Range<usize>> {
    let words: Vec<(usize, &str)> = sentence.unicode_word_indices().collect();
    words
        .chunks(MAX_WORDS)
        .map(|chunk| {
            let (first, _) = chunk[0];
            let (last, w) = chunk[chunk.len() - 1];
            base + first..base + last + w.len()
        })
        .collect()
}

/// Joins fragments to the previous piece of the same section, else to the next one.
fn merge_fragments(text: &str, pieces: Vec<Piece>) -> Vec<Piece> {
    let adjacent = |a: &Range<usize>, b: &Range<usize>| text[a.end..b.start].trim().is_empty();
    let mut out: Vec<Piece> = Vec::with_capacity(pieces.len());
    let mut pending: Option<Piece> = None; // a fragment waiting for the next piece
    for mut piece in pieces {
        if let Some(frag) = pending.take() {
            if frag.section == piece.section && adjacent(&frag.range, &piece.range) {
                piece.range.start = frag.range.start;
                piece.words += frag.words;
            } else {
                out.push(frag);
            }
        }
        if piece.words < MIN_WORDS {
            if let Some(prev) = out.last_mut()
                && prev.section == piece.section
                && adjacent(&prev.range, &piece.range)
            {
                prev.range.end = piece.range.end;
                prev.words += piece.words;
                continue;
            }
            pending = Some(piece);
            continue;
        }
        out.push(piece);
    }
    out.extend(pending);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clean::clean;

    use crate::testing::{SEED_FILES, seed};

    fn passages_of(raw: &str) -> (CleanDoc, Vec<Passage>) {
        let doc = clean(raw, None);
        let p = split(&doc);
        (doc, p)
    }

    #[test]
    fn every_seed_passage_is_bounded_and_non_empty() {
        for name in SEED_FILES {
            let (doc, passages) = passages_of(&seed(name));
            assert!(passages.len() >= 5, "{name}: {}", passages.len());
            for p in &passages {
                let text = &doc.text[p.range.clone()];
                let words = text.unicode_words().count();
                assert!(
                    words <= MAX_WORDS,
                    "{name} passage {}: {words} words",
                    p.ord
                );
                // Only a fragment alone in its section ("See also" in 000) may be short.
                let alone = passages.iter().filter(|q| q.section == p.section).count() == 1;
                assert!(words >= MIN_WORDS || alone, "{name}: {text}");
                assert_eq!(text.trim(), text);
            }
        }
    }

    #[test]
    fn sections_carry_over_and_the_long_wiki_paragraph_is_cut() {
        let (doc, passages) = passages_of(&seed("000_89de5a12d8fb28cf.txt"));
        let pressure: Vec<_> = passages
            .iter()
            .filter(|p| p.section.as_deref() == Some("Background > Pakistani pressure"))
            .collect();
        // The 240-word "At the meeting…" paragraph is cut in two.
        assert!(pressure.len() >= 4, "{}", pressure.len());
        let hot = pressure
            .iter()
            .filter(|p| doc.text[p.range.clone()].contains("hot pursuit"))
            .count();
        assert!(hot >= 1);
        let infobox = &passages[0];
        assert!(doc.text[infobox.range.clone()].starts_with("- Conflict: 2014 Kunar Offensive"));
        let last = passages.last().unwrap();
        assert_eq!(last.section.as_deref(), Some("See also"));
    }

    #[test]
    fn fragments_join_their_neighbour() {
        let doc = clean(
            "Title\n\nA first paragraph that has more than eight words in it.\n\nShort bit.\n\nAnother paragraph that also has more than eight words.",
            None,
        );
        let p = split(&doc);
        assert_eq!(p.len(), 2);
        assert!(doc.text[p[0].range.clone()].ends_with("Short bit."));
    }

    #[test]
    fn an_empty_document_has_one_empty_passage() {
        let doc = clean("", Some("Only a title"));
        let p = split(&doc);
        assert_eq!(p.len(), 1);
        assert!(p[0].range.is_empty());
    }

    #[test]
    fn a_huge_sentence_is_cut_between_words() {
        let sentence = vec!["word"; 300].join(" ");
        let doc = clean(&format!("Title\n\n{sentence}."), None);
        let p = split(&doc);
        assert_eq!(p.len(), 3);
        for q in &p {
            assert!(doc.text[q.range.clone()].unicode_words().count() <= MAX_WORDS);
        }
    }
}
