"""``tidings eval dedup``: are copies found, and only copies?

A test stream is built from a corpus (JSONL with ``id``, ``title``, ``text``):
every article once, in file order, each with its own URL, and for a seeded
random ``fraction`` of them a near-duplicate variant inserted at a later
position. A variant applies one or two of:

- ``reorder``: sentences shuffled (the first kept in place half of the time);
- ``reword``: about one word in twelve dropped, or swapped with its neighbour,
  or replaced by a common synonym;
- ``boilerplate``: syndication furniture added before and after (credit line,
  "share this", copyright, related links);
- ``truncate``: cut to its first 55–90% of sentences (a shortened wire copy).

The truth: a variant copies its source; articles whose texts are equal once
whitespace is ignored copy each other (the BBC corpus has such groups). An
article should be flagged when an earlier article of its group precedes it in
the stream. ``precision`` = flagged articles pointing into their own group /
flagged; ``recall`` = those / articles that should be flagged. Every flag that
points outside its group is listed (``false_positives``) for reading: a real,
unlabelled near-duplicate in the corpus counts against precision here.

The stream goes through the same code as ingest: the ``clean`` stage, the
:class:`~tidings.dedup.DuplicateFinder` and the store (in memory).
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..article import Article
from ..dedup import DuplicateFinder, shingles, similar, words
from ..pipeline import Pipeline
from ..settings import Settings
from ..store import Store
from . import read_jsonl

_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'‘“])")

SYNONYMS = {
    "said": "stated", "says": "states", "big": "large", "large": "big", "start": "begin",
    "buy": "purchase", "help": "assist", "show": "indicate", "shows": "indicates",
    "people": "individuals", "about": "around", "also": "additionally", "but": "however",
    "very": "highly", "get": "obtain", "make": "create", "made": "created", "new": "fresh",
    "use": "employ", "used": "employed", "because": "since", "rise": "increase",
    "fall": "decline", "rose": "increased", "fell": "declined", "firm": "company",
    "company": "firm", "government": "administration", "told": "informed", "main": "principal",
}  # fmt: skip

HEADERS = [
    "By Staff Reporter | Wire Services",
    "Share this article: Facebook Twitter Email",
    "ADVERTISEMENT",
    "This story was first published by our partner agency.",
]
FOOTERS = [
    "Copyright 2026 The Daily Example. All rights reserved. This material may not be "
    "published, broadcast, rewritten or redistributed.",
    "Related: More stories from this section. Sign up for our newsletter.",
    "Follow us on social media for the latest updates.",
    "Reporting by our correspondents; editing by the news desk.",
]

KINDS = ("reorder", "reword", "boilerplate", "truncate")


def sentences(text: str) -> list[str]:
    out = []
    for paragraph in text.split("\n"):
        out += [s for s in _SENTENCE.split(paragraph.strip()) if s]
    return out


def make_variant(text: str, kinds: tuple[str, ...], rng: random.Random) -> str:
    """``text`` changed by each of ``kinds`` in turn (see the module docstring)."""
    parts = sentences(text)
    for kind in kinds:
        if kind == "reorder" and len(parts) > 2:
            keep_first = rng.random() < 0.5
            rest = parts[1:] if keep_first else parts[:]
            rng.shuffle(rest)
            parts = [parts[0], *rest] if keep_first else rest
        elif kind == "reword":
            parts = [_reword(p, rng) for p in parts]
        elif kind == "boilerplate":
            parts = [rng.choice(HEADERS), *parts, *rng.sample(FOOTERS, 2)]
        elif kind == "truncate" and len(parts) > 3:
            parts = parts[: max(2, round(len(parts) * rng.uniform(0.55, 0.9)))]
    return "\n\n".join(parts)


def _reword(sentence: str, rng: random.Random) -> str:
    tokens = sentence.split(" ")
    out: list[str] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        r = rng.random()
        if r < 1 / 12:
            bare = token.strip(".,;:").lower()
            if bare in SYNONYMS:
                out.append(token.lower().replace(bare, SYNONYMS[bare]))
            elif r < 1 / 24 and i + 1 < len(tokens):
                out += [tokens[i + 1], token]
                i += 1
            elif not token.endswith((".", "!", "?")):
                pass  # dropped
            else:
                out.append(token)
        else:
            out.append(token)
        i += 1
    return " ".join(out)


LABEL_SHINGLE = 5
LABEL_CONTAINMENT = 0.5


def corpus_near_duplicates(rows: list[dict[str, Any]]) -> list[tuple[str, str, float]]:
    """Pairs of corpus articles that copy each other, labelled independently of the finder.

    Exhaustive (every pair sharing a word 5-gram is compared, no sampling, no
    MinHash): a pair is a near-duplicate when at least half of the shorter
    text's word 5-grams occur in the longer one. Chance rarely repeats five
    words in a row; copying does.
    """
    grams = [shingles(words(r["text"]), LABEL_SHINGLE) for r in rows]
    index: dict[str, list[int]] = {}
    for i, g in enumerate(grams):
        for gram in g:
            index.setdefault(gram, []).append(i)
    shared: Counter[tuple[int, int]] = Counter()
    for ids in index.values():
        if 1 < len(ids) <= 50:  # a 5-gram in over 50 articles is boilerplate, not copying
            for x in range(len(ids)):
                for y in range(x + 1, len(ids)):
                    shared[(ids[x], ids[y])] += 1
    pairs = []
    for (i, j), n in shared.items():
        smaller = min(len(grams[i]), len(grams[j]))
        if smaller and n / smaller >= LABEL_CONTAINMENT:
            pairs.append((rows[i]["id"], rows[j]["id"], round(n / smaller, 3)))
    return pairs


def build_stream(
    rows: list[dict[str, Any]], *, fraction: float, seed: int
) -> list[tuple[str, str | None, str, str, str]]:
    """[(stream id, title, text, group id, kind)] in stream order."""
    rng = random.Random(seed)
    parent: dict[str, str] = {r["id"]: r["id"] for r in rows}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b, _ in corpus_near_duplicates(rows):  # exact copies are among these too
        parent[root(b)] = root(a)
    stream: list[tuple[str, str | None, str, str, str]] = []
    variants: list[tuple[int, tuple[str, str | None, str, str, str]]] = []
    for position, row in enumerate(rows):
        group = root(row["id"])
        stream.append((row["id"], row.get("title"), row["text"], group, "original"))
        if rng.random() < fraction and len(sentences(row["text"])) >= 3:
            n = 1 if rng.random() < 0.6 else 2
            kinds = tuple(sorted(rng.sample(KINDS, n), key=KINDS.index))
            text = make_variant(row["text"], kinds, rng)
            at = rng.randint(position + 1, len(rows))
            variants.append(
                (at, (f"{row['id']}~copy", row.get("title"), text, group, "+".join(kinds)))
            )
    out: list[tuple[str, str | None, str, str, str]] = []
    by_position: dict[int, list[tuple[str, str | None, str, str, str]]] = {}
    for at, item in variants:
        by_position.setdefault(at, []).append(item)
    for position, item in enumerate(stream):
        out += by_position.get(position, [])
        out.append(item)
    out += by_position.get(len(stream), [])
    return out


def evaluate_dedup(
    path: Path,
    settings: Settings,
    *,
    fraction: float = 0.2,
    seed: int = 13,
    limit: int = 0,
    batch_size: int = 32,
    progress: Callable[[], None] | None = None,
) -> dict[str, Any]:
    """Precision and recall of duplicate detection on a stream made from ``path``."""
    rows = read_jsonl(path, ("id", "text"), "an article with id and text", limit=limit)
    stream = build_stream(rows, fraction=fraction, seed=seed)
    clean = Pipeline.from_settings(settings.replace(stages="clean"))
    group_of = {sid: group for sid, _, _, group, _ in stream}
    kind_of = {sid: kind for sid, _, _, _, kind in stream}
    seen_groups: set[str] = set()
    should: list[str] = []
    flagged: dict[str, str] = {}  # stream id → stream id of what it copies
    texts: dict[str, str] = {}
    with Store(":memory:") as store:
        finder = DuplicateFinder(store)
        sid_of_article: dict[str, str] = {}
        for start in range(0, len(stream), batch_size):
            chunk = stream[start : start + batch_size]
            articles = []
            for sid, title, text, group, _ in chunk:
                if group in seen_groups:
                    should.append(sid)
                seen_groups.add(group)
                a = Article.from_input(text, title=title, url=f"https://eval.invalid/{sid}")
                articles.append(a)
                texts[sid] = text
            clean.run(articles)
            for (sid, *_), a in zip(chunk, articles, strict=True):
                sid_of_article[a.id] = sid
            finder.mark(articles)
            for (sid, *_), a in zip(chunk, articles, strict=True):
                if a.duplicate_of:
                    flagged[sid] = sid_of_article.get(a.duplicate_of, a.duplicate_of)
                if progress:
                    progress()
            store.write([a.release() for a in articles if not a.dropped and not a.failed])
    right = [s for s, o in flagged.items() if group_of.get(o) == group_of[s]]
    wrong = [s for s in flagged if s not in set(right)]
    should_set = set(should)
    by_kind: dict[str, list[int]] = {}
    for sid in should:
        hit = by_kind.setdefault(kind_of[sid], [0, 0])
        hit[1] += 1
        hit[0] += sid in set(right)
    false_positives = []
    for sid in wrong[:20]:
        mine, theirs = shingles(words(texts[sid])), shingles(words(texts[flagged[sid]]))
        _, jaccard, containment = similar(mine, theirs)
        false_positives.append(
            {"article": sid, "flagged_as_copy_of": flagged[sid], "jaccard": round(jaccard, 3),
             "containment": round(containment, 3)}
        )  # fmt: skip
    return {
        "n": len(stream),
        "originals": len(rows),
        "variants": len(stream) - len(rows),
        "should_flag": len(should_set),
        "flagged": len(flagged),
        "precision": round(len(right) / len(flagged), 4) if flagged else 1.0,
        "recall": round(len([s for s in right if s in should_set]) / len(should_set), 4)
        if should_set
        else 1.0,
        "recall_by_kind": {k: round(h / n, 4) for k, (h, n) in sorted(by_kind.items())},
        "real_duplicates_in_corpus": by_kind.get("original", [0, 0])[1],
        "missed": [s for s in should if s not in set(right)][:20],
        "false_positives": false_positives,
        "kinds": dict(Counter(kind_of.values())),
    }
