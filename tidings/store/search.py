"""A word index for full-text filters (``q``), kept in the store.

DuckDB's ``fts`` extension is downloaded at run time, which tidings never does,
and a substring scan over every article's text costs hundreds of milliseconds
at 100k articles. So each article's distinct words go into ``article_terms``
as 64-bit hashes (BLAKE2b of the case-folded word: stable across Python and
DuckDB versions), written in the article's own transaction. A query word is an
integer equality over that table: tens of milliseconds at 100k articles.

Query language, deliberately small:

- words match whole words, case-insensitively, all of them (AND):
  ``drone baghdad``; punctuation splits words, so ``al-Kadhimi`` is ``al`` and
  ``kadhimi``;
- a word ending in ``*`` is a prefix (``elect*``), answered by a substring scan
  (slower; no index).
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    """The index's words of ``text``: runs of letters and digits, case-folded."""
    return _WORD.findall(text.casefold())


def term_hash(word: str) -> int:
    """A signed 64-bit hash of one (already case-folded) word."""
    digest = hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True)


def article_terms(title: str | None, text: str | None) -> set[int]:
    """The distinct word hashes of an article's title and text."""
    return {term_hash(w) for w in words(f"{title or ''}\n{text or ''}")}


def like_pattern(term: str) -> str:
    """An ILIKE pattern (with ``ESCAPE '\\'``) containing ``term`` literally."""
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def match_sql(q: str, alias: str = "a") -> tuple[list[str], list[Any]]:
    """SQL conditions (AND) and parameters selecting the articles ``alias`` that match ``q``."""
    where: list[str] = []
    params: list[Any] = []
    for token in q.split():
        if token.endswith("*") and token.rstrip("*"):
            stem = token.rstrip("*")
            where.append(f"({alias}.title ILIKE ? ESCAPE '\\' OR {alias}.text ILIKE ? ESCAPE '\\')")
            params += [like_pattern(stem)] * 2
            continue
        for word in words(token):
            where.append(f"{alias}.id IN (SELECT article_id FROM article_terms WHERE term = ?)")
            params.append(term_hash(word))
    return where, params


def index_rows(articles: Any) -> tuple[list[int], list[str]]:
    """Column lists (term, article_id) for the ``article_terms`` rows of ``articles``."""
    terms: list[int] = []
    ids: list[str] = []
    for a in articles:
        hashes = article_terms(a.title, a.text)
        terms.extend(hashes)
        ids.extend([a.id] * len(hashes))
    return terms, ids
