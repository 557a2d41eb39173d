"""Duplicate articles: exact copies and near-duplicates, found on ingest.

Two tests, both against everything stored and everything recently seen:

- **exact**: a BLAKE2b hash of the text's words, case-folded (whitespace,
  punctuation and case do not matter);
- **near**: word 3-gram shingles summarised by a MinHash signature (128
  permutations, datasketch), indexed by locality-sensitive hashing in
  ``BANDS`` bands of ``ROWS`` rows, stored in the ``lsh_bands`` table so the
  index survives restarts and a lookup is one indexed query however large the
  store grows. Candidates sharing a band are then checked exactly: a
  near-duplicate has shingle Jaccard similarity ≥ ``JACCARD`` (0.4) or, for a
  truncated or extended copy, ≥ ``CONTAINMENT`` (0.65) of the shorter text's shingles
  inside the longer one.

A duplicate keeps its own article row with ``duplicate_of`` set to the
original's id (the first one stored; a copy of a copy points at the first) and
skips the pipeline's heavy stages.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .article import Article
    from .store import Store

DEDUP_AFTER = "clean"  # copies are found once the text is clean, before the heavy stages
NUM_PERM = 128
BANDS = 64
ROWS = 2  # BANDS * ROWS == NUM_PERM; pairs at Jaccard 0.4 meet in a band with p > 0.99
SHINGLE = 3
JACCARD = 0.4
CONTAINMENT = 0.65
MIN_SHINGLES = 20  # shorter texts are compared by their exact hash only
MAX_CANDIDATES = 8
RECENT = 20_000  # fingerprints kept in memory for articles not yet stored

_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def shingles(tokens: Sequence[str], k: int = SHINGLE) -> set[str]:
    if len(tokens) < k:
        return {" ".join(tokens)} if tokens else set()
    return {" ".join(tokens[i : i + k]) for i in range(len(tokens) - k + 1)}


@dataclass
class Fingerprint:
    """What the store keeps of an article to find its copies."""

    exact: str
    shingles: set[str]
    bands: list[int]  # one signed 64-bit key per LSH band; empty for short texts


def _minhash_bands(grams: set[str]) -> list[int]:
    from datasketch import MinHash

    mh = MinHash(num_perm=NUM_PERM, seed=1)
    mh.update_batch([g.encode("utf-8") for g in grams])
    values = mh.hashvalues
    keys = []
    for band in range(BANDS):
        chunk = values[band * ROWS : (band + 1) * ROWS].tobytes()
        digest = hashlib.blake2b(chunk, digest_size=8, person=band.to_bytes(2, "little"))
        keys.append(int.from_bytes(digest.digest(), "little", signed=True))
    return keys


def fingerprint(text: str) -> Fingerprint:
    tokens = words(text)
    exact = hashlib.blake2b(" ".join(tokens).encode("utf-8"), digest_size=16).hexdigest()
    grams = shingles(tokens)
    bands = _minhash_bands(grams) if len(grams) >= MIN_SHINGLES else []
    return Fingerprint(exact, grams, bands)


def similar(a: set[str], b: set[str]) -> tuple[bool, float, float]:
    """(near-duplicate?, Jaccard, containment of the smaller in the larger)."""
    if not a or not b:
        return False, 0.0, 0.0
    common = len(a & b)
    jaccard = common / (len(a) + len(b) - common)
    containment = common / min(len(a), len(b))
    near = jaccard >= JACCARD or (
        containment >= CONTAINMENT and min(len(a), len(b)) >= MIN_SHINGLES
    )
    return near, jaccard, containment


class DuplicateFinder:
    """Marks articles that copy an article already stored or seen (``duplicate_of``).

    Use from the store's one writer process: it reads the store's committed
    fingerprints and remembers the last ``RECENT`` articles it has seen, so
    copies within a batch, or in batches still being processed, are found too.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self._recent: OrderedDict[str, tuple[Fingerprint, str | None]] = OrderedDict()
        self._recent_exact: dict[str, str] = {}
        self._recent_bands: dict[int, set[str]] = {}

    def mark(self, articles: Iterable[Article]) -> list[Article]:
        """Fingerprint each article and set ``duplicate_of`` on copies; return the copies.

        The store is asked twice per batch (exact hashes, LSH bands), then articles
        are checked in order, each against the store and the ones before it.
        """
        live = [a for a in articles if not a.dropped and not a.failed and a.text]
        prints = [fingerprint(a.text) for a in live]
        cur = self.store.cursor()
        stored_exact: dict[str, list[tuple[str, str | None]]] = {}
        for exact, other, root in cur.execute(
            "SELECT f.exact, f.article_id, a.duplicate_of FROM fingerprints f "
            "JOIN articles a ON a.id = f.article_id WHERE f.exact IN (SELECT unnest(?)) "
            "ORDER BY a.first_seen, a.id",
            [[fp.exact for fp in prints]],
        ).fetchall():
            stored_exact.setdefault(exact, []).append((other, root))
        stored_bands: dict[int, list[str]] = {}
        for key, other in cur.execute(
            "SELECT key, article_id FROM lsh_bands WHERE key IN (SELECT unnest(?::BIGINT[]))",
            [[k for fp in prints for k in fp.bands]],
        ).fetchall():
            stored_bands.setdefault(key, []).append(other)
        copies = []
        for article, fp in zip(live, prints, strict=True):
            article.fingerprint = fp
            original = self._find(article.id, fp, stored_exact, stored_bands)
            if original is not None:
                article.duplicate_of = original
                copies.append(article)
            self._remember(article.id, fp, original)
        return copies

    def _find(
        self,
        article_id: str,
        fp: Fingerprint,
        stored_exact: dict[str, list[tuple[str, str | None]]],
        stored_bands: dict[int, list[str]],
    ) -> str | None:
        for other, root in stored_exact.get(fp.exact, []):
            if other != article_id:
                return root or other
        recent = self._recent_exact.get(fp.exact)
        if recent is not None and recent != article_id:
            return self._root(recent)
        if not fp.bands:
            return None
        counts: Counter[str] = Counter()
        for key in fp.bands:
            for other in stored_bands.get(key, ()):
                counts[other] += 1
            for other in self._recent_bands.get(key, ()):
                counts[other] += 1
        counts.pop(article_id, None)
        best: tuple[float, str] | None = None
        ranked = [other for other, _ in counts.most_common(MAX_CANDIDATES)]
        for other, grams, root in self._candidates(ranked):
            near, jaccard, containment = similar(fp.shingles, grams)
            if near and (best is None or max(jaccard, containment) > best[0]):
                best = (max(jaccard, containment), root or other)
        return best[1] if best else None

    def forget(self, article_ids: Iterable[str]) -> None:
        """Drop what was remembered of articles that were not stored after all."""
        for article_id in article_ids:
            entry = self._recent.pop(article_id, None)
            if entry is None:
                continue
            fp = entry[0]
            if self._recent_exact.get(fp.exact) == article_id:
                del self._recent_exact[fp.exact]
            for key in fp.bands:
                ids = self._recent_bands.get(key)
                if ids:
                    ids.discard(article_id)
                    if not ids:
                        del self._recent_bands[key]

    def _candidates(self, ids: list[str]) -> list[tuple[str, set[str], str | None]]:
        out = []
        missing = []
        for other in ids:
            if other in self._recent:
                fp, root = self._recent[other]
                out.append((other, fp.shingles, root))
            else:
                missing.append(other)
        if missing:
            for other, text, root in (
                self.store.cursor()
                .execute(
                    "SELECT id, text, duplicate_of FROM articles WHERE id IN (SELECT unnest(?))",
                    [missing],
                )
                .fetchall()
            ):
                out.append((other, shingles(words(text or "")), root))
        return out

    def _root(self, article_id: str) -> str:
        entry = self._recent.get(article_id)
        return (entry[1] if entry else None) or article_id

    def _remember(self, article_id: str, fp: Fingerprint, root: str | None) -> None:
        self._recent[article_id] = (fp, root)
        self._recent.move_to_end(article_id)
        self._recent_exact.setdefault(fp.exact, article_id)
        if root is None:
            for key in fp.bands:
                self._recent_bands.setdefault(key, set()).add(article_id)
        while len(self._recent) > RECENT:
            self.forget([next(iter(self._recent))])


def fingerprint_rows(articles: Sequence[Any]) -> tuple[list[list[Any]], list[list[Any]]]:
    """Column lists for ``fingerprints`` (id, exact, shingles) and ``lsh_bands`` (key, id)."""
    fps: list[list[Any]] = [[], [], []]
    bands: list[list[Any]] = [[], []]
    for a in articles:
        fp = getattr(a, "fingerprint", None)
        if fp is None:
            continue
        fps[0].append(a.id)
        fps[1].append(fp.exact)
        fps[2].append(len(fp.shingles))
        if not a.duplicate_of:  # copies are found through their original
            bands[0].extend(fp.bands)
            bands[1].extend([a.id] * len(fp.bands))
    return fps, bands
