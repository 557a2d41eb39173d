"""The embedded store: one DuckDB file.

All writes go through one :class:`Store` (one writer; a lock serialises writers
in the process, and DuckDB's file lock keeps other processes out). A batch of
articles and all their parts is written in one transaction: either all of it
is stored or none. Re-writing an article is an idempotent upsert: one row per
id, holding the latest enrichment, its first-seen time kept and its revision
counted. Child rows are replaced wholesale.

Rows go in column by column (``INSERT ... SELECT unnest(?), ...``): DuckDB
ingests a batch this way ~30 times faster than with ``executemany``.
"""

from __future__ import annotations

import json
import logging
import threading
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..article import Article
from ..dedup import fingerprint_rows
from ..errors import StoreError
from ..publishers import (
    LEXICON_SIZE,
    PUBLISHERS,
    STORED_NAMES,
    Publisher,
    SourceHomes,
    lesson,
)
from ..timeexpr import published_date
from .aliases import AliasResolver
from .migrations import migrate
from .search import index_rows, match_sql
from .stories import StoryTracker

logger = logging.getLogger(__name__)

Rows = Callable[[Article], list[tuple[Any, ...]]]

# Child tables: (name, columns after article_id and idx, rows of one article).
CHILDREN: list[tuple[str, tuple[str, ...], Rows]] = [
    (
        "entities",
        ("text", "label", "start_char", "end_char", "canonical", "entity_id"),
        lambda a: [(e.text, e.label, e.start, e.end, e.canonical, e.entity_id) for e in a.entities],
    ),
    (
        "dates",
        ("text", "value", "precision", "start_char", "end_char"),
        lambda a: [(d.text, d.value, d.precision, d.start, d.end) for d in a.dates],
    ),
    (
        "places",
        ("name", "geonameid", "lat", "lon", "country", "admin1", "feature", "score"),
        lambda a: [
            (p.name, p.geonameid, p.lat, p.lon, p.country, p.admin1, p.feature, p.score)
            for p in a.places
        ],
    ),
    (
        "events",
        (
            "event_type",
            "sub_event_type",
            "event_date",
            "country",
            "fatalities",
            "injured",
            "background",
            "record",
        ),
        lambda a: [
            (
                e.get("event_type"),
                e.get("sub_event_type"),
                e.get("date"),
                (e.get("location") or {}).get("country"),
                e.get("fatalities"),
                e.get("injured"),
                e.get("background"),
                json.dumps(e),
            )
            for e in a.events
        ],
    ),
    (
        "quotes",
        ("text", "speaker", "via", "start_char", "end_char", "kind"),
        lambda a: [(q.text, q.speaker, q.via, q.start, q.end, q.kind) for q in a.quotes],
    ),
    (
        "tags",
        ("tag", "tag_group", "score", "evidence"),
        lambda a: [
            (t["tag"], t.get("group"), t.get("score"), json.dumps(t.get("evidence", [])))
            for t in a.tag_evidence
        ],
    ),
]

ARTICLE_COLUMNS = (
    "id",
    "url",
    "source",
    "title",
    "published",
    "published_date",
    "language",
    "text",
    "source_tags",
    "tags",
    "tone",
    "story_id",
    "duplicate_of",
    "record",
)


@dataclass
class WriteResult:
    """Ids of the articles a write created and of those it updated."""

    stored: list[str]
    updated: list[str]


@dataclass
class QueryFilters:
    """Filters for :meth:`Store.query`; all optional, combined with AND."""

    q: str | None = None
    entity: str | None = None
    since: str | None = None
    until: str | None = None
    limit: int = 50


class Store:
    """A DuckDB store file, migrated on open.

    Args:
        path: the database file (created if missing); ``":memory:"`` for tests.
        read_only: open without taking the write lock (no migrations, no writes).
    """

    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
        import duckdb

        self.path = str(path)
        self.read_only = read_only
        self._lock = threading.Lock()
        self._aliases = AliasResolver()
        self._stories = StoryTracker()
        try:
            if not read_only and self.path != ":memory:":
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            self._con = duckdb.connect(self.path, read_only=read_only)
            if not read_only:
                migrate(self._con)
        except duckdb.Error as e:
            raise StoreError(f"cannot open store {self.path}: {e}") from e
        except OSError as e:
            raise StoreError(f"cannot open store {self.path}: {e.strerror}") from e

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._con.close()

    def write_lock(self) -> threading.Lock:
        """The lock every writer of this store holds (for writes outside :meth:`write`)."""
        return self._lock

    def connection(self) -> Any:
        """The writer's connection; use only while holding :meth:`write_lock`."""
        return self._con

    def cursor(self) -> Any:
        """A cursor of its own for a reader (readers never share the writer's)."""
        return self._con.cursor()

    # -- writing -----------------------------------------------------------------

    def write(
        self, articles: Sequence[Article], *, also: Callable[[Any], None] | None = None
    ) -> WriteResult:
        """Upsert articles and all their parts in one transaction.

        ``also(connection)``, when given, runs inside the same transaction after the
        articles are written (the service marks its intake rows done this way, so
        an article is never both stored and still pending, nor acknowledged and lost).

        Raises:
            StoreError: the write failed; nothing of the batch was stored.
        """
        import duckdb

        if self.read_only:
            raise StoreError(f"store {self.path} is open read-only")
        latest: dict[str, Article] = {}
        for article in articles:  # the same article twice in a batch: keep the last
            latest[article.id] = article
        batch = list(latest.values())
        if not batch and also is None:
            return WriteResult([], [])
        ids = [a.id for a in batch]
        with self._lock:
            con = self._con
            try:
                con.execute("BEGIN TRANSACTION")
                existing = {
                    r[0]
                    for r in con.execute(
                        "SELECT id FROM articles WHERE id IN (SELECT unnest(?))", [ids]
                    ).fetchall()
                }
                if batch:
                    # Only rewritten articles have rows to replace (scans skipped for new ones).
                    old = [i for i in ids if i in existing]
                    self._aliases.resolve(con, batch)
                    self._stories.assign(con, batch, set(old))
                    self._upsert_articles(batch)
                    self._update_entity_stats(batch, old)
                    for table, columns, rows_of in CHILDREN:
                        if old:
                            con.execute(
                                f"DELETE FROM {table} WHERE article_id IN (SELECT unnest(?))", [old]
                            )
                        self._insert_children(table, columns, rows_of, batch)
                    self._index_terms(batch, old)
                    self._write_fingerprints(batch, old)
                    self._learn_publishers([a for a in batch if a.id not in existing])
                if also is not None:
                    also(con)
                con.execute("COMMIT")
                self._aliases.commit()
            except Exception as e:
                con.execute("ROLLBACK")
                self._aliases.rollback()
                if not isinstance(e, duckdb.Error):
                    raise
                raise StoreError(
                    f"writing {len(batch)} article(s) to {self.path} failed: {e}"
                ) from e
        return WriteResult(
            stored=[i for i in ids if i not in existing],
            updated=[i for i in ids if i in existing],
        )

    def _upsert_articles(self, batch: list[Article]) -> None:
        values: list[list[Any]] = [[] for _ in ARTICLE_COLUMNS]
        for a in batch:
            day = published_date(a.published)
            row = (
                a.id,
                a.url,
                a.source,
                a.title,
                a.published,
                day,
                a.language,
                a.text,
                a.source_tags,
                a.tags,
                a.tone,
                a.story_id,
                a.duplicate_of,
                json.dumps(a.to_dict(), ensure_ascii=False),
            )
            for column, value in zip(values, row, strict=True):
                column.append(value)
        select = ", ".join(
            f"unnest(?::{t})"
            for t in (
                "VARCHAR[]",
                "VARCHAR[]",
                "VARCHAR[]",
                "VARCHAR[]",
                "VARCHAR[]",
                "DATE[]",
                "VARCHAR[]",
                "VARCHAR[]",
                "VARCHAR[][]",
                "VARCHAR[][]",
                "DOUBLE[]",
                "VARCHAR[]",
                "VARCHAR[]",
                "JSON[]",
            )
        )
        updates = ", ".join(f"{c} = excluded.{c}" for c in ARTICLE_COLUMNS[1:])
        self._con.execute(
            f"INSERT INTO articles ({', '.join(ARTICLE_COLUMNS)}, first_seen, updated, revision) "
            f"SELECT {select}, now()::TIMESTAMP, now()::TIMESTAMP, 1 "
            f"ON CONFLICT (id) DO UPDATE SET {updates}, updated = now()::TIMESTAMP, "
            f"revision = articles.revision + 1",
            values,
        )

    def _update_entity_stats(self, batch: list[Article], old: list[str]) -> None:
        """Move ``entity_stats`` by (new mentions − the mentions the ``old`` articles had)."""
        delta: dict[str, list[int]] = {}
        if old:
            for eid, mentions, arts in self._con.execute(
                "SELECT entity_id, count(*), count(DISTINCT article_id) FROM entities WHERE "
                "article_id IN (SELECT unnest(?)) AND entity_id IS NOT NULL GROUP BY entity_id",
                [old],
            ).fetchall():
                delta[eid] = [-mentions, -arts]
        for a in batch:
            seen: set[str] = set()
            for e in a.entities:
                if e.entity_id:
                    d = delta.setdefault(e.entity_id, [0, 0])
                    d[0] += 1
                    if e.entity_id not in seen:
                        d[1] += 1
                        seen.add(e.entity_id)
        changed = [(k, m, n) for k, (m, n) in delta.items() if m or n]
        if not changed:
            return
        keys, mentions, arts = (list(c) for c in zip(*changed, strict=True))
        self._con.execute(
            "INSERT INTO entity_stats SELECT unnest(?::VARCHAR[]), unnest(?::INTEGER[]), "
            "unnest(?::INTEGER[]) ON CONFLICT (entity_id) DO UPDATE SET "
            "mentions = entity_stats.mentions + excluded.mentions, "
            "articles = entity_stats.articles + excluded.articles",
            [keys, mentions, arts],
        )

    def _index_terms(self, batch: list[Article], old: list[str]) -> None:
        if old:
            self._con.execute(
                "DELETE FROM article_terms WHERE article_id IN (SELECT unnest(?))", [old]
            )
        terms, term_ids = index_rows(batch)
        if terms:
            self._con.execute(
                "INSERT INTO article_terms SELECT unnest(?::BIGINT[]), unnest(?::VARCHAR[])",
                [terms, term_ids],
            )

    def _write_fingerprints(self, batch: list[Article], old: list[str]) -> None:
        if old:  # a rewritten text may no longer match what it matched
            for table in ("fingerprints", "lsh_bands"):
                self._con.execute(
                    f"DELETE FROM {table} WHERE article_id IN (SELECT unnest(?))", [old]
                )
        fps, bands = fingerprint_rows(batch)
        if not fps[0]:
            return
        self._con.execute(
            "INSERT INTO fingerprints SELECT unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), "
            "unnest(?::INTEGER[])",
            fps,
        )
        if bands[0]:
            self._con.execute(
                "INSERT INTO lsh_bands SELECT unnest(?::BIGINT[]), unnest(?::VARCHAR[])", bands
            )

    def _learn_publishers(self, batch: list[Article]) -> None:
        """Add what new articles taught about their publishers (a rewritten article
        taught it when first stored; a copy was never analysed)."""
        articles: Counter[str] = Counter()
        divisions: Counter[tuple[str, str, str]] = Counter()
        names: Counter[tuple[str, str, int]] = Counter()
        for a in batch:
            source = a.source
            taught = lesson(a.text, a.places) if source and not a.duplicate_of else None
            if not source or taught is None:
                continue
            articles[source] += 1 if taught.divisions else 0
            divisions.update((source, *d) for d in taught.divisions)
            names.update((source, *n) for n in taught.names)
        if not articles:
            return
        con = self._con
        con.execute(
            "INSERT INTO publishers SELECT unnest(?::VARCHAR[]), unnest(?::INTEGER[]), "
            "now()::TIMESTAMP ON CONFLICT (source) DO UPDATE SET "
            "articles = publishers.articles + excluded.articles, last_seen = excluded.last_seen",
            [list(articles), list(articles.values())],
        )
        for table, key_columns, counted in (
            ("publisher_divisions", ("source", "country", "admin1"), divisions),
            ("publisher_names", ("source", "name_key", "geonameid"), names),
        ):
            if not counted:
                continue
            columns = [list(c) for c in zip(*counted, strict=True)]
            types = ("VARCHAR", "VARCHAR", "BIGINT" if table == "publisher_names" else "VARCHAR")
            select = ", ".join(f"unnest(?::{t}[])" for t in types)
            con.execute(
                f"INSERT INTO {table} SELECT {select}, unnest(?::INTEGER[]) "
                f"ON CONFLICT ({', '.join(key_columns)}) DO UPDATE SET "
                f"articles = {table}.articles + excluded.articles",
                [*columns, list(counted.values())],
            )
        # Bounded, as the memory is: a source past STORED_NAMES keeps its most used half.
        full = [
            row[0]
            for row in con.execute(
                "SELECT source FROM publisher_names WHERE source IN (SELECT unnest(?::VARCHAR[])) "
                "GROUP BY source HAVING count(*) > ?",
                [list(articles), STORED_NAMES],
            ).fetchall()
        ]
        if full:
            con.execute(
                "DELETE FROM publisher_names AS n USING (SELECT source, name_key, geonameid, "
                "row_number() OVER (PARTITION BY source ORDER BY articles DESC, name_key, "
                "geonameid) AS rank FROM publisher_names WHERE source IN "
                "(SELECT unnest(?::VARCHAR[]))) AS r WHERE r.rank > ? AND n.source = r.source "
                "AND n.name_key = r.name_key AND n.geonameid = r.geonameid",
                [full, STORED_NAMES // 2],
            )

    def publisher_memory(
        self, limit: int = PUBLISHERS, *, sources: Sequence[str] | None = None
    ) -> SourceHomes:
        """What the stored articles taught about their publishers (see
        :mod:`tidings.publishers`), for a pipeline to start from: the ``limit`` most
        recently seen publishers (of ``sources``, when given), each with its most used
        names."""
        self._require_publishers()
        cur = self.cursor()
        only = "WHERE source IN (SELECT unnest(?::VARCHAR[])) " if sources is not None else ""
        seen = cur.execute(
            f"SELECT source, articles FROM publishers {only}"
            "ORDER BY last_seen DESC, source LIMIT ?",
            [*([list(sources)] if sources is not None else []), limit],
        ).fetchall()
        known = {source: Publisher(articles=n) for source, n in seen}
        if known:
            for source, country, admin1, n in cur.execute(
                "SELECT source, country, admin1, articles FROM publisher_divisions "
                "WHERE source IN (SELECT unnest(?::VARCHAR[]))",
                [list(known)],
            ).fetchall():
                known[source].divisions[(country, admin1)] = n
            for source, key, geonameid, n in cur.execute(
                "SELECT source, name_key, geonameid, articles FROM ("
                "SELECT *, row_number() OVER (PARTITION BY source "
                "ORDER BY articles DESC, name_key, geonameid) AS rank FROM publisher_names "
                "WHERE source IN (SELECT unnest(?::VARCHAR[]))) WHERE rank <= ?",
                [list(known), LEXICON_SIZE],
            ).fetchall():
                known[source].names[(key, int(geonameid))] = n
        homes = SourceHomes(limit)
        for source, _ in reversed(seen):  # the most recently seen last, as if just read
            homes.restore(source, known[source])
        return homes

    def _require_publishers(self) -> None:
        """A store opened read-only is not migrated: one older than the publisher
        memory has none to read."""
        if "0009_publisher_memory" not in self.migrations():
            raise StoreError(
                f"store {self.path} predates the publisher memory: open it for writing "
                "once (tidings ingest or tidings serve) to add it"
            )

    def publishers_seen(self, limit: int = 50) -> list[dict[str, Any]]:
        """The publishers the store has learnt about, most recently seen first: how
        many of their articles placed a town surely, how many names they taught, and
        their home (country, admin1 key) when they have one."""
        self._require_publishers()
        rows = (
            self.cursor()
            .execute(
                "SELECT p.source, p.articles, p.last_seen, "
                "(SELECT count(*) FROM publisher_names n WHERE n.source = p.source) "
                "FROM publishers p ORDER BY p.last_seen DESC, p.source LIMIT ?",
                [limit],
            )
            .fetchall()
        )
        keys = ("source", "articles", "last_seen", "names")
        seen = [dict(zip(keys, row, strict=True)) for row in rows]
        homes = self.publisher_memory(limit, sources=[p["source"] for p in seen])
        for p in seen:
            home = homes.home(p["source"])
            p["home"] = {"country": home[0], "admin1": home[1]} if home else None
            p["last_seen"] = p["last_seen"].isoformat()
        return seen

    def forget_publisher(self, source: str) -> bool:
        """Drop what a publisher's articles taught (its later articles teach afresh);
        False when the store knows nothing of it."""
        if self.read_only:
            raise StoreError(f"store {self.path} is open read-only")
        with self._lock:
            con = self._con
            con.execute("BEGIN TRANSACTION")
            try:
                found = con.execute(
                    "DELETE FROM publishers WHERE source = ? RETURNING source", [source]
                ).fetchall()
                for table in ("publisher_divisions", "publisher_names"):
                    con.execute(f"DELETE FROM {table} WHERE source = ?", [source])
                con.execute("COMMIT")
            except Exception:
                con.execute("ROLLBACK")
                raise
        return bool(found)

    def _insert_children(
        self, table: str, columns: tuple[str, ...], rows_of: Rows, batch: list[Article]
    ) -> None:
        rows = [(a.id, i, *row) for a in batch for i, row in enumerate(rows_of(a))]
        if not rows:
            return
        cols = [list(c) for c in zip(*rows, strict=True)]
        all_columns = ("article_id", "idx", *columns)
        select = ", ".join("unnest(?)" for _ in all_columns)
        self._con.execute(f"INSERT INTO {table} ({', '.join(all_columns)}) SELECT {select}", cols)

    # -- reading -----------------------------------------------------------------

    def count(self, table: str = "articles") -> int:
        if table not in {"articles", *(name for name, _, _ in CHILDREN)}:
            raise StoreError(f"unknown table {table!r}")
        row = self.cursor().execute(f"SELECT count(*) FROM {table}").fetchone()
        return int(row[0]) if row else 0

    def counts(self) -> dict[str, int]:
        """Row counts of the articles table and every child table."""
        return {name: self.count(name) for name in ["articles", *(n for n, _, _ in CHILDREN)]}

    def get(self, article_id: str) -> dict[str, Any] | None:
        row = (
            self.cursor()
            .execute("SELECT record FROM articles WHERE id = ?", [article_id])
            .fetchone()
        )
        return json.loads(row[0]) if row else None

    def query(self, filters: QueryFilters) -> list[dict[str, Any]]:
        """Article records matching ``filters``, newest publication first."""
        where: list[str] = []
        params: list[Any] = []
        if filters.q:
            qw, qp = match_sql(filters.q, "articles")
            where += qw
            params += qp
        if filters.entity:
            where.append(
                "EXISTS (SELECT 1 FROM entities e WHERE e.article_id = articles.id "
                "AND (e.text ILIKE ? ESCAPE '\\' OR e.canonical ILIKE ? ESCAPE '\\'))"
            )
            params += [_escape_like(filters.entity)] * 2
        if filters.since:
            where.append("published_date >= ?::DATE")
            params.append(filters.since)
        if filters.until:
            where.append("published_date <= ?::DATE")
            params.append(filters.until)
        sql = "SELECT record FROM articles"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY published_date DESC NULLS LAST, updated DESC, id LIMIT ?"
        params.append(max(0, filters.limit))
        return [json.loads(r[0]) for r in self.cursor().execute(sql, params).fetchall()]

    def migrations(self) -> list[str]:
        rows = self.cursor().execute("SELECT name FROM schema_migrations ORDER BY name").fetchall()
        return [r[0] for r in rows]


def _escape_like(term: str) -> str:
    # Used with ESCAPE '\\': a user's % or _ is a literal character, not a wildcard.
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
