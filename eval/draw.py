#!/usr/bin/env python3
"""Draws the documents of durand's hand-labelled development sets from ../shared/data.

Prints one JSON object per drawn document: {"set", "id", "file", "stratum", "split"}. The
labels themselves were written by hand by reading each document (see eval/*/README.md); this
script only says which documents were read, so the draw can be repeated and extended.

Usage: eval/draw.py tags|tags2|…|tags5|tags-test2|tags6|tags7|tags8|tags9|tags10|events|events2|…|events7|events-test2|events8|events9|events10|events11|events12|events13|events14|events15|events16|heldout|events-rss
       [--data DIR]

`tags2` is a second draw for the tag set (more documents, more state forces), excluding
everything `tags` drew; `tags3` a third (state forces again, all dev), excluding both; `events2` a second draw for the event set (all of it a dev split, to
tune on more documents), excluding everything `events` drew; `events3` a third (all dev),
excluding everything the first two drew; `events4` a fourth (all dev, most of it items whose
title has a conflict word: where wrong event types come from), excluding the first three;
`tags4` and `events5` a fourth tag draw and a fifth event draw (all dev), each excluding every
earlier draw of its set, to score once untouched and then tune on; `tags5` (dates written
without a year, and state forces) and `events6` likewise; `events7` repeats the first
event draw's strata (casualty, hard, random, PANDA), scaled down, since the test split was
drawn from them.

`tags6` and `events8` (all dev) come after the second test draws and exclude them too:
`tags6` draws documents that write a calendar date in any form (a month name or a
numeric date), for the dates in the text; `events8` repeats the first event draw's strata,
scaled down, to measure once untouched and then tune on. `events9` (all dev) does so again
with more casualty items, leaving out the reports of all five incident files and the tag
labels' test documents.

`tags8` (all dev) draws documents that write three dates or more, for the dates in the text,
leaving out the event labels' test documents as `tags7` does; `tags9` (all dev) draws more
of them, and `events10` (all dev) repeats `events9`'s strata, each to score once untouched
and then tune on. `events11` (all dev) returns to `events5`'s strata — items whose title has a
conflict word, and casualty items — for the event types, where the test split stays furthest
below dev; `events12` and `events13` (all dev) draw those strata once more, and `events14`, `events15`
and `events16` (all dev) the first draw's (the test split's) once more. `tags10` (all
dev) draws documents of any kind that write a calendar date (30, then 15 more with a conflict
word), the test split's mix restricted to the dates in the text.

`tags-test2` and `events-test2` are second test draws (every document `test`, never tuned
on), made because every draw after the first went to dev and left the test splits far below a
third of the labels (99 of 479 tag documents, 56 of 637 event documents): each repeats its
set's earlier draws to exclude what they took and draws the first draw's strata again (for
events also leaving out every report and mention of the three incident files, whose titles
were read in tuning).

`heldout` draws from another corpus, the 524,069 RSS items of 2023 in
`01_news_rss2023/` (47 publishers), for a held-out look at both sets (split `test`, never
tuned on): 60 items naming an Af-Pak place or actor (stratum `afpak`, for tags) and 60 that
also have a casualty word (stratum `afpak-casualty`, for figures and types), leaving out any
item whose title is also an Af-Pak RSS item's. `events-rss` (all dev) draws 60 more such
pakobserver.net items with a casualty or crime word, none of `heldout`'s nor the Af-Pak
ones, to tune on what the held-out set showed to be missing: crime news.
"""
import argparse
import gzip
import json
import random
import re
import sys
from pathlib import Path

RSS = "05_afpak_news/afpak_rss_items_2021_2023.jsonl"
RSS2023 = "01_news_rss2023/rss2023_news_en.jsonl.gz"
# Words that place an item in the Af-Pak conflict news (the held-out draw).
AFPAK = re.compile(
    r"\b(pakistan\w*|afghan\w*|taliban|kabul|islamabad|peshawar|karachi|lahore|quetta|"
    r"waziristan|baloch\w*|baluch\w*|khyber|rawalpindi|kandahar|helmand|ttp|kunar|bajaur)\b",
    re.I,
)
PANDA = "05_afpak_news/panda_pakistani_news_2017_2018.jsonl"

CONFLICT = re.compile(
    r"\b(killed|kills|killing|attack|attacks|attacked|blast|bomb|bombing|militants?|"
    r"terrorists?|soldiers|martyred|suicide|gunmen|clash|clashes|drone|airstrikes?|"
    r"insurgents?|operation)\b",
    re.I,
)
CASUALTY = re.compile(
    r"\b(killed|dead|died|injured|wounded|martyred|abducted|kidnapped|death toll|"
    r"lost their lives|shot dead|bodies)\b",
    re.I,
)
# Mentions of state forces (police, army, paramilitaries), for the second tag draw.
FORCES = re.compile(
    r"\b(police|policemen|army|soldiers|troops|rangers|levies|frontier corps|FC|"
    r"security forces|navy|air force|marines|CTD)\b",
    re.I,
)
# A day and month written without a year ("Nov. 8", "8 November", "on March 3,"), for the
# fifth tag draw: where dates in the text go wrong.
MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
YEARLESS = re.compile(
    rf"\b(?:{MONTH} \d{{1,2}}(?:st|nd|rd|th)?|\d{{1,2}}(?:st|nd|rd|th)? {MONTH})\b(?!,? ?\d{{4}})"
)
# Any calendar date: a month name or a numeric day/month/year, for the sixth tag draw.
ANYDATE = re.compile(rf"\b(?:{MONTH}|\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}})(?![a-z])")
# A year of the last two centuries, for the eighth tag draw (documents with many dates).
YEAR = re.compile(r"\b(?:19|20)\d\d\b")
# Hard negatives for casualty extraction: totals, history, accidents, disasters, threats.
HARD = re.compile(
    r"\b(floods?|earthquake|accident|crash|collision|threatened to kill|threat|"
    r"this year|so far|since \d{4}|in \d{4}|anniversary|heatwave|landslide|drowned)\b",
    re.I,
)


# Draws added after the first, all of them dev: scored once untouched, then tuned on.
DEV_ONLY = ("tags3", "tags4", "tags5", "tags6", "tags7", "tags8", "tags9", "tags10", "events2", "events3", "events4", "events5", "events6", "events7", "events8", "events9", "events10", "events11", "events12", "events13", "events14", "events15", "events16")
# Draws added later, all of them test: never tuned on.
TEST_ONLY = ("tags-test2", "events-test2")
# The event draws in order: each later one repeats the earlier ones to exclude what they took.
EVENTS = ("events", "events2", "events3", "events4", "events5", "events6", "events7", "events-test2", "events8", "events9", "events10", "events11", "events12", "events13", "events14", "events15", "events16")


def load(data, rel):
    with open(data / rel, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def text_of(r):
    return " ".join(str(r.get(k) or "") for k in ("title", "description", "text"))


def test_documents(folder):
    """Every document of the test split of the label files in eval/FOLDER (a label's `id`, or
    an incident's `docs` and `mentions`): never read in tuning, so never drawn for dev."""
    held = set()
    for path in sorted((Path(__file__).resolve().parent / folder).glob("*.jsonl")):
        with open(path) as f:
            for line in f:
                label = json.loads(line)
                if label.get("split") == "test":
                    held.update([label.get("id")] + label.get("docs", []) + label.get("mentions", []))
    return held


def pick(rng, pool, n, taken):
    pool = [r for r in pool if r["id"] not in taken]
    chosen = rng.sample(pool, min(n, len(pool)))
    taken.update(r["id"] for r in chosen)
    return chosen


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("set", choices=["tags", "tags2", "tags3", "tags4", "tags5", "tags-test2", "tags6", "tags7", "tags8", "tags9", "tags10", "events", "events2", "events3", "events4", "events5", "events6", "events7", "events-test2", "events8", "events9", "events10", "events11", "events12", "events13", "events14", "events15", "events16", "heldout", "events-rss"])
    ap.add_argument("--data", default=str(Path(__file__).resolve().parents[2] / "shared/data"))
    args = ap.parse_args()
    data = Path(args.data)
    rss, panda = load(data, RSS), load(data, PANDA)
    files = {id(r): RSS.split("/")[-1] for r in rss} | {id(r): PANDA.split("/")[-1] for r in panda}
    taken = set()
    strata = []

    def reaches(name):
        return args.set in EVENTS and EVENTS.index(args.set) >= EVENTS.index(name)

    def first_tag_strata(seed, n_rss, n_panda, n_keyword_rss, n_keyword_panda):
        """The first tag draw's strata: documents of any kind, then with a conflict word."""
        rng = random.Random(seed)
        return (
            [("random", r) for r in pick(rng, rss, n_rss, taken)]
            + [("random", r) for r in pick(rng, panda, n_panda, taken)]
            + [("keyword", r) for r in pick(rng, [r for r in rss if CONFLICT.search(text_of(r))], n_keyword_rss, taken)]
            + [("keyword", r) for r in pick(rng, [r for r in panda if CONFLICT.search(text_of(r))], n_keyword_panda, taken)]
        )

    if args.set in ("heldout", "events-rss"):
        return heldout(data, {(r.get("title") or "").strip().lower() for r in rss}, args.set)
    if args.set == "tags":
        strata = first_tag_strata(20261202, 115, 35, 38, 12)
    elif args.set in ("tags2", "tags3", "tags4", "tags5", "tags-test2", "tags6", "tags7", "tags8", "tags9", "tags10"):
        first_tag_strata(20261202, 115, 35, 38, 12)
        rng = random.Random(20261204)
        strata += [("random", r) for r in pick(rng, rss, 45, taken)]
        strata += [("random", r) for r in pick(rng, panda, 15, taken)]
        strata += [("forces", r) for r in pick(rng, [r for r in rss if FORCES.search(text_of(r))], 30, taken)]
        strata += [("forces", r) for r in pick(rng, [r for r in panda if FORCES.search(text_of(r))], 9, taken)]
        if args.set in ("tags3", "tags4", "tags5", "tags-test2", "tags6", "tags7", "tags8", "tags9", "tags10"):
            strata = []
            rng = random.Random(20261208)
            strata += [("forces", r) for r in pick(rng, [r for r in rss if FORCES.search(text_of(r))], 40, taken)]
            strata += [("forces", r) for r in pick(rng, [r for r in panda if FORCES.search(text_of(r))], 10, taken)]
            strata += [("random", r) for r in pick(rng, rss, 10, taken)]
        if args.set in ("tags4", "tags5", "tags-test2", "tags6", "tags7", "tags8", "tags9", "tags10"):
            strata = []
            rng = random.Random(20261211)
            strata += [("forces", r) for r in pick(rng, [r for r in rss if FORCES.search(text_of(r))], 40, taken)]
            strata += [("forces", r) for r in pick(rng, [r for r in panda if FORCES.search(text_of(r))], 10, taken)]
            strata += [("random", r) for r in pick(rng, rss, 10, taken)]
        if args.set in ("tags5", "tags-test2", "tags6", "tags7", "tags8", "tags9", "tags10"):
            strata = []
            rng = random.Random(20261205)
            strata += [("dates", r) for r in pick(rng, [r for r in rss if YEARLESS.search(text_of(r))], 30, taken)]
            strata += [("forces", r) for r in pick(rng, [r for r in rss if FORCES.search(text_of(r))], 20, taken)]
            strata += [("dates", r) for r in pick(rng, [r for r in panda if YEARLESS.search(text_of(r))], 10, taken)]
        if args.set in ("tags-test2", "tags6", "tags7", "tags8", "tags9", "tags10"):
            # The first draw's strata again, all test.
            strata = first_tag_strata(20261216, 45, 15, 22, 8)
        if args.set in ("tags6", "tags7", "tags8", "tags9", "tags10"):
            # Any calendar date written in the text, all dev.
            strata = []
            rng = random.Random(20261219)
            strata += [("dates", r) for r in pick(rng, [r for r in rss if ANYDATE.search(text_of(r))], 35, taken)]
            strata += [("dates", r) for r in pick(rng, [r for r in panda if ANYDATE.search(text_of(r))], 10, taken)]
        if args.set in ("tags7", "tags8", "tags9", "tags10"):
            # The first draw's strata again, all dev: documents like the test split's, to
            # score untouched and then tune on.
            strata = first_tag_strata(20261206, 30, 15, 10, 5)
        def many(r):
            return len(ANYDATE.findall(text_of(r))) + len(YEAR.findall(text_of(r))) >= 3
        if args.set in ("tags8", "tags9", "tags10"):
            # Documents that write three dates or more (the dates in the text), all dev.
            strata = []
            rng = random.Random(20261223)
            strata += [("dates3", r) for r in pick(rng, [r for r in rss if many(r)], 30, taken)]
            strata += [("dates3", r) for r in pick(rng, [r for r in panda if many(r)], 10, taken)]
        if args.set in ("tags9", "tags10"):
            # More of them, all dev (the PANDA articles with three dates are all drawn).
            strata = []
            rng = random.Random(20261225)
            strata += [("dates3", r) for r in pick(rng, [r for r in rss if many(r)], 40, taken)]
        if args.set == "tags10":
            # Documents of any kind that write a calendar date, like the test split's mix
            # (the first draw's strata restricted to a date in the text), all dev.
            strata = []
            rng = random.Random(20261231)
            dated = [r for r in rss if ANYDATE.search(text_of(r))]
            strata += [("dates", r) for r in pick(rng, dated, 30, taken)]
            strata += [("dates", r) for r in pick(rng, [r for r in dated if CONFLICT.search(text_of(r))], 15, taken)]
        if args.set in ("tags7", "tags8", "tags9", "tags10"):
            # Documents of the event labels' test split are not read in tuning.
            held = test_documents("events")
            strata = [(s, r) for s, r in strata if r["id"] not in held]
    else:
        casualty = [r for r in rss if CASUALTY.search(text_of(r))]

        def first_strata(seed, n_casualty, n_hard, n_random, n_panda):
            """The first event draw's strata (casualty, hard, random, PANDA casualty)."""
            rng = random.Random(seed)
            out = [("casualty", r) for r in pick(rng, casualty, n_casualty, taken)]
            out += [("hard", r) for r in pick(rng, [r for r in rss if HARD.search(text_of(r))], n_hard, taken)]
            out += [("random", r) for r in pick(rng, rss, n_random, taken)]
            out += [("casualty", r) for r in pick(rng, [r for r in panda if CASUALTY.search(text_of(r))], n_panda, taken)]
            return out

        strata = first_strata(20261203, 95, 30, 25, 20)
        if reaches("events2"):
            strata = []
            rng = random.Random(20261205)
            strata += [("casualty", r) for r in pick(rng, casualty, 70, taken)]
            strata += [("hard", r) for r in pick(rng, [r for r in rss if HARD.search(text_of(r))], 25, taken)]
            strata += [("random", r) for r in pick(rng, [r for r in rss if CONFLICT.search(text_of(r))], 25, taken)]
            strata += [("casualty", r) for r in pick(rng, [r for r in panda if CASUALTY.search(text_of(r))], 10, taken)]
        if reaches("events3"):
            strata = []
            rng = random.Random(20261207)
            strata += [("casualty", r) for r in pick(rng, casualty, 60, taken)]
            strata += [("random", r) for r in pick(rng, [r for r in rss if CONFLICT.search(text_of(r))], 20, taken)]
            strata += [("casualty", r) for r in pick(rng, [r for r in panda if CASUALTY.search(text_of(r))], 10, taken)]
        titled = [r for r in rss if CONFLICT.search(r.get("title") or "")]

        def title_strata(seed, n_title, n_casualty):
            """Items whose title has a conflict word, then casualty items (`events5`'s strata)."""
            rng = random.Random(seed)
            out = [("title", r) for r in pick(rng, titled, n_title, taken)]
            return out + [("casualty", r) for r in pick(rng, casualty, n_casualty, taken)]

        if reaches("events4"):
            strata = []
            rng = random.Random(20261209)
            strata += [("title", r) for r in pick(rng, titled, 45, taken)]
            strata += [("casualty", r) for r in pick(rng, casualty, 25, taken)]
            strata += [("casualty", r) for r in pick(rng, [r for r in panda if CASUALTY.search(text_of(r))], 10, taken)]
        # Each later draw in turn (each run repeats the earlier ones, so that `taken` holds
        # what they drew): its strata and sizes.
        later = [
            ("events5", title_strata, (20261211, 45, 20)),
            ("events6", title_strata, (20261205, 45, 20)),
            # the first draw's strata again, scaled down: the test split was drawn from them
            ("events7", first_strata, (20261215, 40, 15, 10, 10)),
            # the first draw's strata again, all test
            ("events-test2", first_strata, (20261217, 80, 27, 25, 18)),
            # the first draw's strata again, scaled down, all dev
            ("events8", first_strata, (20261219, 35, 12, 8, 8)),
            # more of the casualty items the test split is mostly made of, all dev
            ("events9", first_strata, (20261221, 60, 10, 5, 10)),
            ("events10", first_strata, (20261225, 60, 10, 5, 10)),
            # items whose title has a conflict word, and casualty items, all dev: where event
            # types are won and lost
            ("events11", title_strata, (20261227, 70, 30)),
            ("events12", title_strata, (20261229, 60, 40)),
            ("events13", title_strata, (20261231, 60, 40)),
            # the first draw's strata (the test split's) once more, all dev
            ("events14", first_strata, (20270102, 60, 10, 5, 10)),
            ("events15", first_strata, (20270104, 60, 10, 5, 10)),
            ("events16", first_strata, (20270106, 60, 10, 5, 10)),
        ]
        for name, draw, sizes in later:
            if reaches(name):
                strata = draw(*sizes)
    if reaches("events2"):
        # Reports of the held-out incidents (eval/events/incidents-2023.jsonl, split test)
        # are not tuned on.
        # From `events6` on, every report of both incident files is left out, already labelled.
        held = set()
        labelled = ["incidents-2023.jsonl"] + (["incidents-2023b.jsonl"] if reaches("events6") else [])
        labelled += ["incidents-2023c.jsonl"] if reaches("events-test2") else []
        labelled += ["incidents-2023d.jsonl"] if reaches("events8") else []
        labelled += ["incidents-2021-22.jsonl"] if reaches("events9") else []
        for name in labelled:
            with open(Path(__file__).resolve().parent / "events" / name) as f:
                for line in f:
                    incident = json.loads(line)
                    if incident["split"] == "test" or reaches("events6"):
                        held.update(incident["docs"] + incident.get("mentions", []))
        strata = [(s, r) for s, r in strata if r["id"] not in held]
    if reaches("events9"):
        # Nor documents of the tag labels' test split (their dates are not read in tuning).
        held = test_documents("tags")
        strata = [(s, r) for s, r in strata if r["id"] not in held]
    # Every third document of each stratum, in draw order, is held out as the test split.
    seen = {}
    for stratum, r in strata:
        n = seen.get(stratum, 0)
        seen[stratum] = n + 1
        out = {
            "set": args.set,
            "id": r["id"],
            "file": files[id(r)],
            "stratum": stratum,
            "split": "dev" if args.set in DEV_ONLY else "test" if args.set in TEST_ONLY
            else ("test" if n % 3 == 2 else "dev"),
        }
        print(json.dumps(out))


# Crime and casualty words, for the dev draw after the held-out one.
CRIME = re.compile(
    r"\b(killed|dead|died|injured|wounded|martyred|abducted|kidnapped|shot|dacoits?|robbers?|"
    r"encounter|murder\w*|gunmen|firing|attack\w*|blast|militants?|terrorists?)\b",
    re.I,
)


def heldout(data, afpak_titles, which):
    with gzip.open(data / RSS2023, "rt", encoding="utf-8") as f:
        items = [json.loads(line) for line in f if line.strip()]
    fresh = [
        r for r in items
        if AFPAK.search(text_of(r)) and (r.get("title") or "").strip().lower() not in afpak_titles
    ]
    rng = random.Random(20261205)
    taken = set()
    strata = [("afpak", r) for r in pick(rng, fresh, 60, taken)]
    strata += [("afpak-casualty", r) for r in pick(rng, [r for r in fresh if CASUALTY.search(text_of(r))], 60, taken)]
    if which == "events-rss":
        # Pakistani news with a casualty or crime word, named places or not.
        pakistani = [
            r for r in items
            if r.get("source") == "pakobserver.net" and CRIME.search(text_of(r))
            and (r.get("title") or "").strip().lower() not in afpak_titles
        ]
        rng = random.Random(20261206)
        strata = [("pk-crime", r) for r in pick(rng, pakistani, 60, taken)]
    for stratum, r in strata:
        print(json.dumps({"set": which, "id": r["id"], "file": RSS2023.split("/")[-1],
                          "stratum": stratum, "split": "test" if which == "heldout" else "dev"}))


if __name__ == "__main__":
    sys.exit(main())
