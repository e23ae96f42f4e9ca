#!/usr/bin/env python3
"""How far two hand readings of the same documents agree: the ceiling a measured extractor
can be held to.

`draw` prints the ids of the dev documents given to a second, blind reading of the event
labels (eval/events/README.md, "blind second readings"): 60 dev documents with a labelled
type or figure and 20 without, drawn with seed 20261206 from the sixteen `afpak-dev*.jsonl`
files. `test` prints the ids of the test split (the test third of `afpak-dev.jsonl`, then
`afpak-test2.jsonl`), every one of which was read a second time too. `score [SECOND]` scores
a second reading (default `events/afpak-dev-second.jsonl`) against the first, the labels of
those files, as `durand eval --events` scores an index: event types micro-averaged over
documents, casualty figures matched on kind and numbers (min, max), and `who` over the
matched figures; it prints only the summary, so a test reading can be scored without
showing its documents. `first [SECOND]` prints the first reading's lines of the second
reading's documents, so `durand eval --events` can score an index on the same ones.

Usage: eval/agreement.py draw
       eval/agreement.py test
       eval/agreement.py score [SECOND.jsonl]
       eval/agreement.py first [SECOND.jsonl]
"""
import json
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
FILES = ["afpak-dev.jsonl"] + [f"afpak-dev{n}.jsonl" for n in range(2, 17)]
TEST_FILES = ["afpak-dev.jsonl", "afpak-test2.jsonl"]
SEED = 20261206


def read(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def first_reading(split="dev"):
    rows = []
    # The file names sorted as strings: the order the draw read them in.
    for name in sorted(FILES) if split == "dev" else TEST_FILES:
        rows += [d for d in read(HERE / "events" / name) if d.get("split") == split]
    return rows


def draw():
    rows = first_reading()
    told = [d for d in rows if d.get("types") or d.get("figures")]
    quiet = [d for d in rows if not (d.get("types") or d.get("figures"))]
    rng = random.Random(SEED)
    picked = rng.sample(told, 60) + rng.sample(quiet, 20)
    rng.shuffle(picked)
    return [d["id"] for d in picked]


def ratio(a, b):
    return a / b if b else 0.0


def f1(p, r):
    return 2 * p * r / (p + r) if p + r else 0.0


def score(second_path):
    first = {d["id"]: d for d in first_reading("dev") + first_reading("test")}
    second = read(second_path)
    missing = [d["id"] for d in second if d["id"] not in first]
    if missing:
        sys.exit(f"agreement.py: not in the labels: {', '.join(missing)}")
    t_both = t_second = t_first = 0
    f_both = f_second = f_first = who = 0
    for d in second:
        gold = first[d["id"]]
        a, b = set(gold.get("types", [])), set(d.get("types", []))
        t_both += len(a & b)
        t_second += len(b - a)
        t_first += len(a - b)
        open_ = list(gold.get("figures", []))
        for f in d.get("figures", []):
            at = next(
                (
                    i
                    for i, g in enumerate(open_)
                    if (g["kind"], g["min"], g.get("max")) == (f["kind"], f["min"], f.get("max"))
                ),
                None,
            )
            if at is None:
                f_second += 1
            else:
                f_both += 1
                who += open_.pop(at)["who"] == f["who"]
        f_first += len(open_)
    p, r = ratio(t_both, t_both + t_second), ratio(t_both, t_both + t_first)
    print(f"{len(second)} documents read twice")
    print(
        f"event types      P {p:.3f}  R {r:.3f}  F1 {f1(p, r):.3f}  "
        f"({t_both} agree, {t_second} only second, {t_first} only first)"
    )
    p, r = ratio(f_both, f_both + f_second), ratio(f_both, f_both + f_first)
    print(
        f"casualty figures P {p:.3f}  R {r:.3f}  F1 {f1(p, r):.3f}  "
        f"({f_both} agree, {f_second} only second, {f_first} only first)"
    )
    print(f"who agrees       {ratio(who, f_both):.3f}  ({who} of {f_both})")


def main(argv):
    if argv[1:2] in (["draw"], ["test"]) and len(argv) == 2:
        ids = draw() if argv[1] == "draw" else [d["id"] for d in first_reading("test")]
        for i in ids:
            print(i)
    elif argv[1:2] in (["score"], ["first"]) and len(argv) <= 3:
        second = argv[2] if len(argv) == 3 else HERE / "events" / "afpak-dev-second.jsonl"
        if argv[1] == "score":
            score(second)
        else:
            first = {d["id"]: d for d in first_reading("dev") + first_reading("test")}
            for d in read(second):
                print(json.dumps(first[d["id"]], ensure_ascii=False))
    else:
        sys.exit(__doc__.split("Usage: ")[1])


if __name__ == "__main__":
    main(sys.argv)
