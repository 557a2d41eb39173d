"""The API's read queries: filters → parameterised SQL over the store.

Every value a client sends is a SQL parameter, never text in the query.
Lists are newest first with keyset cursors (opaque strings); aggregates page
by offset cursors.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Query

from ..store import Store
from ..store.search import like_pattern, match_sql

MAX_LIMIT = 500


@dataclass
class Filters:
    q: str | None = None
    tag: str | None = None
    event_type: str | None = None
    sub_event_type: str | None = None
    country: str | None = None
    actor: str | None = None
    entity: str | None = None
    since: str | None = None
    until: str | None = None
    bbox: tuple[float, float, float, float] | None = None
    min_fatalities: int | None = None
    min_confidence: float | None = None
    limit: int = 50
    cursor: str | None = None


def filters(
    q: Annotated[
        str | None,
        Query(
            description="Words that must all appear in the title or text "
            "(whole words, any case; `word*` for a prefix)."
        ),
    ] = None,
    tag: Annotated[str | None, Query(description="A tag the article carries.")] = None,
    event_type: Annotated[str | None, Query(description="ACLED event type.")] = None,
    sub_event_type: Annotated[str | None, Query(description="ACLED sub-event type.")] = None,
    country: Annotated[
        str | None, Query(description="ISO 3166 alpha-2 code.", pattern="^[A-Za-z]{2}$")
    ] = None,
    actor: Annotated[str | None, Query(description="Part of an actor's name.")] = None,
    entity: Annotated[str | None, Query(description="Canonical entity name or id.")] = None,
    since: Annotated[
        str | None,
        Query(description="From this date (YYYY-MM-DD).", pattern=r"^\d{4}-\d{2}-\d{2}$"),
    ] = None,
    until: Annotated[
        str | None,
        Query(description="Up to this date (YYYY-MM-DD).", pattern=r"^\d{4}-\d{2}-\d{2}$"),
    ] = None,
    bbox: Annotated[
        str | None, Query(description="min_lon,min_lat,max_lon,max_lat (WGS84 degrees).")
    ] = None,
    min_fatalities: Annotated[int | None, Query(ge=0)] = None,
    min_confidence: Annotated[
        float | None,
        Query(
            ge=0,
            le=1,
            description="Events coded with at least this confidence (0 to 1; see the "
            "README's Events section for how it is calibrated).",
        ),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 50,
    cursor: Annotated[str | None, Query(description="From a previous page's next_cursor.")] = None,
) -> Filters:
    box = None
    if bbox:
        try:
            parts = [float(x) for x in bbox.split(",")]
        except ValueError:
            parts = []
        if len(parts) != 4 or not (
            -180 <= parts[0] <= parts[2] <= 180 and -90 <= parts[1] <= parts[3] <= 90
        ):
            from .app import ApiError

            raise ApiError(
                422,
                "validation_error",
                "the request is not valid",
                [{"path": "query.bbox", "message": "expected min_lon,min_lat,max_lon,max_lat"}],
            )
        box = (parts[0], parts[1], parts[2], parts[3])
    return Filters(
        q, tag, event_type, sub_event_type, country.upper() if country else None, actor, entity,
        since, until, box, min_fatalities, min_confidence, limit, cursor,
    )  # fmt: skip


def encode_cursor(values: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


def decode_cursor(cursor: str, size: int) -> list[Any]:
    from .app import ApiError

    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        values = None
    if not isinstance(values, list) or len(values) != size:
        raise ApiError(
            422,
            "validation_error",
            "the request is not valid",
            [{"path": "query.cursor", "message": "not a cursor from this endpoint"}],
        )
    return values


def _article_where(f: Filters, alias: str = "a") -> tuple[list[str], list[Any]]:
    """Conditions on articles (alias ``a``) shared by every endpoint."""
    where: list[str] = []
    params: list[Any] = []
    if f.q:
        where, params = match_sql(f.q, alias)
    if f.tag:
        where.append(f"list_contains({alias}.tags, ?)")
        params.append(f.tag)
    if f.entity:
        where.append(  # the entity's id, or its canonical name (case-insensitive)
            f"{alias}.id IN (SELECT n.article_id FROM entities n WHERE n.entity_id IN "
            "(SELECT c.id FROM canonical_entities c WHERE c.id = ? OR c.name ILIKE ? ESCAPE '\\'))"
        )
        params += [f.entity, f.entity.replace("%", "\\%").replace("_", "\\_")]
    if f.since:
        where.append(f"coalesce({alias}.published_date, {alias}.first_seen::DATE) >= ?::DATE")
        params.append(f.since)
    if f.until:
        where.append(f"coalesce({alias}.published_date, {alias}.first_seen::DATE) <= ?::DATE")
        params.append(f.until)
    return where, params


def _event_where(f: Filters, alias: str = "e") -> tuple[list[str], list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    if f.event_type:
        where.append(f"{alias}.event_type = ?")
        params.append(f.event_type)
    if f.sub_event_type:
        where.append(f"{alias}.sub_event_type = ?")
        params.append(f.sub_event_type)
    if f.country:
        where.append(f"{alias}.country = ?")
        params.append(f.country)
    if f.min_fatalities is not None:
        where.append(f"coalesce({alias}.fatalities, 0) >= ?")
        params.append(f.min_fatalities)
    if f.min_confidence is not None:
        where.append(f"TRY_CAST(json_extract({alias}.record, '$.confidence') AS DOUBLE) >= ?")
        params.append(f.min_confidence)
    if f.actor:
        where.append(
            f"(json_extract_string({alias}.record, '$.actor1') ILIKE ? ESCAPE '\\' "
            f"OR json_extract_string({alias}.record, '$.actor2') ILIKE ? ESCAPE '\\')"
        )
        params += [like_pattern(f.actor)] * 2
    if f.bbox:
        lat = f"TRY_CAST(json_extract({alias}.record, '$.location.lat') AS DOUBLE)"
        lon = f"TRY_CAST(json_extract({alias}.record, '$.location.lon') AS DOUBLE)"
        where.append(f"{lon} BETWEEN ? AND ? AND {lat} BETWEEN ? AND ?")
        params += [f.bbox[0], f.bbox[2], f.bbox[1], f.bbox[3]]
    return where, params


def _event_filters_set(f: Filters) -> bool:
    return any(
        v is not None and v != ""
        for v in (
            f.event_type,
            f.sub_event_type,
            f.actor,
            f.bbox,
            f.min_fatalities,
            f.min_confidence,
        )
    )


def articles(store: Store, f: Filters) -> dict[str, Any]:
    where, params = _article_where(f)
    if f.country:
        where.append(
            "(EXISTS (SELECT 1 FROM places p WHERE p.article_id = a.id AND p.country = ?) "
            "OR EXISTS (SELECT 1 FROM events c WHERE c.article_id = a.id AND c.country = ?))"
        )
        params += [f.country, f.country]
    if _event_filters_set(f):
        ew, ep = _event_where(Filters(**{**f.__dict__, "country": None}))
        where.append(
            "EXISTS (SELECT 1 FROM events e WHERE e.article_id = a.id AND " + " AND ".join(ew) + ")"
        )
        params += ep
    if f.cursor:
        seen, last_id = decode_cursor(f.cursor, 2)
        where.append("(a.first_seen < ?::TIMESTAMP OR (a.first_seen = ?::TIMESTAMP AND a.id < ?))")
        params += [seen, seen, last_id]
    sql = (
        "SELECT a.id, a.url, a.source, a.title, a.published, a.first_seen, a.language, a.tags, "
        "a.tone, a.story_id, a.duplicate_of, "
        "(SELECT count(*) FROM events e WHERE e.article_id = a.id) AS n_events "
        "FROM articles a"
    )
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY a.first_seen DESC, a.id DESC LIMIT ?"
    params.append(f.limit + 1)
    rows = store.cursor().execute(sql, params).fetchall()
    keys = (
        "id", "url", "source", "title", "published", "first_seen", "language", "tags", "tone",
        "story_id", "duplicate_of", "events",
    )  # fmt: skip
    items = [dict(zip(keys, r, strict=True)) for r in rows[: f.limit]]
    for item in items:
        item["first_seen"] = item["first_seen"].isoformat()
        item["record_url"] = f"/api/articles/{item['id']}"
    nxt = None
    if len(rows) > f.limit:
        nxt = encode_cursor([items[-1]["first_seen"], items[-1]["id"]])
    return {"items": items, "next_cursor": nxt}


def events(store: Store, f: Filters, *, background: bool = False) -> dict[str, Any]:
    where, params = _article_where(f)
    ew, ep = _event_where(f)
    where += ew
    params += ep
    if not background:
        where.append("NOT coalesce(e.background, false)")
    if f.cursor:
        seen, article_id, idx = decode_cursor(f.cursor, 3)
        where.append(
            "(a.first_seen < ?::TIMESTAMP OR (a.first_seen = ?::TIMESTAMP AND "
            "(e.article_id < ? OR (e.article_id = ? AND e.idx > ?))))"
        )
        params += [seen, seen, article_id, article_id, idx]
    sql = (
        "SELECT e.article_id, e.idx, a.first_seen, a.title, a.url, e.record "
        "FROM events e JOIN articles a ON a.id = e.article_id"
    )
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY a.first_seen DESC, e.article_id DESC, e.idx ASC LIMIT ?"
    params.append(f.limit + 1)
    rows = store.cursor().execute(sql, params).fetchall()
    items = []
    for article_id, idx, seen, title, url, record in rows[: f.limit]:
        items.append(
            {
                "article_id": article_id,
                "idx": idx,
                "article_title": title,
                "article_url": url,
                "first_seen": seen.isoformat(),
                **json.loads(record),
            }
        )
    nxt = None
    if len(rows) > f.limit:
        last = items[-1]
        nxt = encode_cursor([last["first_seen"], last["article_id"], last["idx"]])
    return {"items": items, "next_cursor": nxt}


def _offset(f: Filters) -> int:
    if not f.cursor:
        return 0
    (offset,) = decode_cursor(f.cursor, 1)
    if not isinstance(offset, int) or offset < 0:
        decode_cursor("", 1)
    return int(offset)


def entities(store: Store, f: Filters, *, kind: str | None = None) -> dict[str, Any]:
    where, params = _article_where(f)
    if where:  # counted over the matching articles
        sql = (
            "SELECT c.id, c.kind, c.name, count(*) AS mentions, "
            "count(DISTINCT n.article_id) AS arts "
            "FROM entities n JOIN canonical_entities c ON c.id = n.entity_id "
            "JOIN articles a ON a.id = n.article_id WHERE " + " AND ".join(where)
        )
        if kind:
            sql += " AND c.kind = ?"
            params.append(kind.upper())
        sql += " GROUP BY c.id, c.kind, c.name"
    else:  # no article filter: the counts kept at write time (entity_stats)
        sql = (
            "SELECT c.id, c.kind, c.name, s.mentions, s.articles AS arts FROM entity_stats s "
            "JOIN canonical_entities c ON c.id = s.entity_id WHERE s.articles > 0"
        )
        if kind:
            sql += " AND c.kind = ?"
            params.append(kind.upper())
    offset = _offset(f)
    sql += " ORDER BY arts DESC, mentions DESC, c.id LIMIT ? OFFSET ?"
    params += [f.limit + 1, offset]
    rows = store.cursor().execute(sql, params).fetchall()
    items = [
        {"id": r[0], "kind": r[1], "name": r[2], "mentions": r[3], "articles": r[4]}
        for r in rows[: f.limit]
    ]
    nxt = encode_cursor([offset + f.limit]) if len(rows) > f.limit else None
    return {"items": items, "next_cursor": nxt}


def places(store: Store, f: Filters) -> dict[str, Any]:
    where, params = _article_where(f)
    where.append("p.geonameid IS NOT NULL")
    if f.country:
        where.append("p.country = ?")
        params.append(f.country)
    if f.bbox:
        where.append("p.lon BETWEEN ? AND ? AND p.lat BETWEEN ? AND ?")
        params += [f.bbox[0], f.bbox[2], f.bbox[1], f.bbox[3]]
    offset = _offset(f)
    sql = (
        "SELECT p.geonameid, any_value(p.name), any_value(p.lat), any_value(p.lon), "
        "any_value(p.country), any_value(p.admin1), any_value(p.feature), "
        "count(DISTINCT p.article_id) AS arts "
        "FROM places p JOIN articles a ON a.id = p.article_id WHERE "
        + " AND ".join(where)
        + " GROUP BY p.geonameid ORDER BY arts DESC, p.geonameid LIMIT ? OFFSET ?"
    )
    params += [f.limit + 1, offset]
    rows = store.cursor().execute(sql, params).fetchall()
    keys = ("geonameid", "name", "lat", "lon", "country", "admin1", "feature", "articles")
    items = [dict(zip(keys, r, strict=True)) for r in rows[: f.limit]]
    nxt = encode_cursor([offset + f.limit]) if len(rows) > f.limit else None
    return {"items": items, "next_cursor": nxt}


def stats(store: Store, f: Filters, *, interval: str = "day") -> dict[str, Any]:
    """Counts per hour/day (of arrival) by event type; totals by country and tag."""
    unit = "hour" if interval == "hour" else "day"
    where, params = _article_where(f)
    ew, ep = _event_where(f)
    ev_where = [*where, *ew, "NOT coalesce(e.background, false)"]
    ev_params = [*params, *ep]
    cur = store.cursor()
    bucket = f"date_trunc('{unit}', a.first_seen)"  # unit is one of two literals, not input
    by_type = cur.execute(
        f"SELECT {bucket} AS b, e.event_type, count(*), sum(coalesce(e.fatalities, 0)), "
        "sum(coalesce(e.injured, 0)) FROM events e JOIN articles a ON a.id = e.article_id "
        "WHERE " + " AND ".join(ev_where) + " GROUP BY b, e.event_type ORDER BY b, e.event_type",
        ev_params,
    ).fetchall()
    by_country = cur.execute(
        "SELECT e.country, count(*), sum(coalesce(e.fatalities, 0)), sum(coalesce(e.injured, 0)) "
        "FROM events e JOIN articles a ON a.id = e.article_id WHERE "
        + " AND ".join([*ev_where, "e.country IS NOT NULL"])
        + " GROUP BY e.country ORDER BY count(*) DESC, e.country LIMIT 100",
        ev_params,
    ).fetchall()
    art_where = " WHERE " + " AND ".join(where) if where else ""
    by_tag = cur.execute(
        "SELECT t.tag, count(*) FROM tags t JOIN articles a ON a.id = t.article_id"
        + art_where
        + " GROUP BY t.tag ORDER BY count(*) DESC, t.tag LIMIT 100",
        params,
    ).fetchall()
    per_bucket = cur.execute(
        f"SELECT {bucket} AS b, count(*) FROM articles a" + art_where + " GROUP BY b ORDER BY b",
        params,
    ).fetchall()
    return {
        "interval": unit,
        "events": [
            {"bucket": b.isoformat(), "event_type": t, "count": n, "fatalities": k, "injured": i}
            for b, t, n, k, i in by_type
        ],
        "countries": [
            {"country": c, "count": n, "fatalities": k, "injured": i} for c, n, k, i in by_country
        ],
        "tags": [{"tag": t, "count": n} for t, n in by_tag],
        "articles": [{"bucket": b.isoformat(), "count": n} for b, n in per_bucket],
        "totals": {
            "events": sum(r[2] for r in by_type),
            "fatalities": sum(r[3] for r in by_type),
            "injured": sum(r[4] for r in by_type),
            "articles": sum(r[1] for r in per_bucket),
        },
    }


def last_stream_seq(store: Store) -> int:
    row = store.cursor().execute("SELECT coalesce(max(seq), 0) FROM stream_log").fetchone()
    return int(row[0]) if row else 0


def stream_after(store: Store, seq: int, limit: int = 500) -> list[tuple[int, str, str]]:
    rows = (
        store.cursor()
        .execute(
            "SELECT seq, kind, payload FROM stream_log WHERE seq > ? ORDER BY seq LIMIT ?",
            [seq, limit],
        )
        .fetchall()
    )
    return [(int(s), k, p) for s, k, p in rows]


@dataclass(frozen=True)
class StreamFilter:
    """What a ``/api/stream`` client asked for. ``event_type``, ``min_fatalities`` and
    ``min_confidence`` narrow events only (an article has none of them), ``tag``
    articles only, ``country`` both (an event's place, an article's focus)."""

    kinds: frozenset[str] = frozenset({"article", "event", "alert"})
    event_type: str | None = None
    country: str | None = None
    tag: str | None = None
    min_fatalities: int | None = None
    min_confidence: float | None = None

    def keeps(self, kind: str, payload: dict[str, Any]) -> bool:
        if kind not in self.kinds:
            return False
        if kind == "event":
            if self.event_type and payload.get("event_type") != self.event_type:
                return False
            # As /api/events: an unknown toll counts as none.
            if self.min_fatalities is not None and (
                (payload.get("fatalities") or 0) < self.min_fatalities
            ):
                return False
            if self.min_confidence is not None and (
                (payload.get("confidence") or 0.0) < self.min_confidence
            ):
                return False
        if self.country:
            codes = (
                [(payload.get("location") or {}).get("country")]
                if kind == "event"
                else (payload.get("focus") or {}).get("countries", [])
            )
            if self.country.upper() not in codes:
                return False
        return not (self.tag and kind == "article" and self.tag not in (payload.get("tags") or []))


TRENDING_SOURCES = {
    # dimension: (FROM ... JOIN articles a, key expression, extra condition)
    "tag": ("tags t JOIN articles a ON a.id = t.article_id", "t.tag", "TRUE"),
    "country": (
        "events e JOIN articles a ON a.id = e.article_id",
        "e.country",
        "e.country IS NOT NULL AND NOT coalesce(e.background, false)",
    ),
    "event_type": (
        "events e JOIN articles a ON a.id = e.article_id",
        "e.event_type",
        "NOT coalesce(e.background, false)",
    ),
    "entity": (
        "entities n JOIN canonical_entities c ON c.id = n.entity_id "
        "JOIN articles a ON a.id = n.article_id",
        "c.name",
        "c.kind IN ('PERSON', 'ORG')",
    ),
}


def trending(
    store: Store,
    f: Filters,
    *,
    by: str = "tag",
    window_hours: int = 1,
    baseline_hours: int = 24,
    min_count: int = 3,
) -> dict[str, Any]:
    """What is rising: articles in the last window against the hourly rate before it.

    ``z = (count - expected) / sqrt(max(expected, 1))`` with ``expected`` the
    baseline's mean per window (a Poisson z-score); items need ``min_count``.
    """
    source, key, extra = TRENDING_SOURCES[by]
    where, params = _article_where(f)
    cond = " AND ".join([extra, *where])
    sql = (
        f"SELECT {key} AS k, "
        "count(DISTINCT a.id) FILTER (WHERE a.first_seen >= now()::TIMESTAMP - to_hours(?)) "
        "AS recent, "
        "count(DISTINCT a.id) FILTER (WHERE a.first_seen < now()::TIMESTAMP - to_hours(?) "
        "AND a.first_seen >= now()::TIMESTAMP - to_hours(?)) AS base "
        f"FROM {source} WHERE a.first_seen >= now()::TIMESTAMP - to_hours(?) AND {cond} "
        "GROUP BY k"
    )
    total = window_hours + baseline_hours
    rows = (
        store.cursor().execute(sql, [window_hours, window_hours, total, total, *params]).fetchall()
    )
    items = []
    for name, recent, base in rows:
        if recent < min_count:
            continue
        expected = base / baseline_hours * window_hours
        z = (recent - expected) / max(expected, 1.0) ** 0.5
        items.append({by: name, "count": recent, "expected": round(expected, 2), "z": round(z, 2)})
    items.sort(key=lambda i: (-i["z"], -i["count"]))
    return {
        "by": by,
        "window_hours": window_hours,
        "baseline_hours": baseline_hours,
        "items": items[: f.limit],
    }
