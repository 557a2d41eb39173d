"""Reading stories and canonical events (shared by the API and the CLI).

Growth and "breaking": a story's articles of the last ``window_hours`` (by
article time: publication, else arrival) against its hourly rate over the
``baseline_hours`` before
(at least one article per baseline assumed, so a brand-new story is not
infinitely fast). ``growth`` = recent rate / baseline rate; a story is
**breaking** when ``growth`` ≥ :data:`BREAKING_GROWTH` with at least
:data:`BREAKING_MIN_ARTICLES` recent articles from
:data:`BREAKING_MIN_SOURCES` or more sources.
"""

from __future__ import annotations

import json
from typing import Any

from ..store import Store
from .queries import decode_cursor, encode_cursor

BREAKING_GROWTH = 3.0
BREAKING_MIN_ARTICLES = 3
BREAKING_MIN_SOURCES = 2
TOP_KEYS = 5


def _growth(recent: int, base: int, window_hours: int, baseline_hours: int) -> float:
    rate = recent / window_hours
    base_rate = max(base, 1) / baseline_hours
    return round(rate / base_rate, 2)


def _main_keys(store: Store, story_ids: list[str]) -> dict[str, dict[str, list[Any]]]:
    """The most frequent places and actors of each story (names, with their counts)."""
    out: dict[str, dict[str, list[Any]]] = {s: {"places": [], "actors": []} for s in story_ids}
    if not story_ids:
        return out
    rows = (
        store.cursor()
        .execute(
            "SELECT story_id, key, n FROM (SELECT story_id, key, n, row_number() OVER "
            "(PARTITION BY story_id, substr(key, 1, 1) IN ('e') ORDER BY n DESC, key) AS r "
            "FROM story_keys WHERE story_id IN (SELECT unnest(?)) AND n > 0 "
            "AND substr(key, 1, 1) IN ('e', 'g', 'p', 'c')) WHERE r <= ? ORDER BY n DESC, key",
            [story_ids, TOP_KEYS],
        )
        .fetchall()
    )
    entity_ids = [k[2:] for _, k, _ in rows if k.startswith("e:")]
    place_ids = [int(k[2:]) for _, k, _ in rows if k.startswith("g:")]
    cur = store.cursor()
    names = dict(
        cur.execute(
            "SELECT id, name FROM canonical_entities WHERE id IN (SELECT unnest(?))",
            [entity_ids],
        ).fetchall()
    )
    places = dict(
        cur.execute(
            "SELECT geonameid, any_value(name) FROM places "
            "WHERE geonameid IN (SELECT unnest(?::BIGINT[])) GROUP BY geonameid",
            [place_ids],
        ).fetchall()
    )
    for story, key, n in rows:
        kind, value = key[0], key[2:]
        if kind == "e":
            out[story]["actors"].append({"id": value, "name": names.get(value), "articles": n})
        elif kind == "g":
            out[story]["places"].append(
                {"geonameid": int(value), "name": places.get(int(value)), "articles": n}
            )
        elif kind == "c":
            out[story]["places"].append({"country": value, "articles": n})
        else:
            out[story]["places"].append({"name": value, "geonameid": None, "articles": n})
    return out


def list_stories(
    store: Store,
    *,
    limit: int = 20,
    cursor: str | None = None,
    breaking: bool = False,
    window_hours: int = 1,
    baseline_hours: int = 24,
    min_articles: int = 1,
) -> dict[str, Any]:
    """Stories, most recently updated first, with growth and the breaking flag."""
    where = ["s.articles >= ?"]
    params: list[Any] = [max(1, min_articles)]
    if breaking:
        where.append("s.last_time >= now()::TIMESTAMP - to_hours(?)")
        params.append(window_hours)
    if cursor:
        seen, sid = decode_cursor(cursor, 2)
        where.append("(s.last_seen < ?::TIMESTAMP OR (s.last_seen = ?::TIMESTAMP AND s.id < ?))")
        params += [seen, seen, sid]
    total = window_hours + baseline_hours
    sql = (
        "SELECT s.id, s.title, s.first_time, s.last_time, s.first_seen, s.last_seen, "
        "s.articles, s.sources, "
        "(SELECT count(*) FROM story_articles r WHERE r.story_id = s.id "
        " AND r.article_time >= now()::TIMESTAMP - to_hours(?)) AS recent, "
        "(SELECT count(DISTINCT coalesce(r.source, r.article_id)) FROM story_articles r "
        " WHERE r.story_id = s.id "
        " AND r.article_time >= now()::TIMESTAMP - to_hours(?)) AS rsources, "
        "(SELECT count(*) FROM story_articles r WHERE r.story_id = s.id "
        " AND r.article_time < now()::TIMESTAMP - to_hours(?) "
        " AND r.article_time >= now()::TIMESTAMP - to_hours(?)) AS base "
        "FROM stories s WHERE " + " AND ".join(where) + " ORDER BY s.last_seen DESC, s.id DESC"
    )
    params = [window_hours, window_hours, window_hours, total, *params]
    rows = store.cursor().execute(
        sql + " LIMIT ?", [*params, limit + 1 if not breaking else 10_000]
    )
    items = []
    for row in rows.fetchall():
        sid, title, first_t, last_t, first_s, last_s, n, sources, recent, rsources, base = row
        growth = _growth(recent, base, window_hours, baseline_hours)
        is_breaking = (
            growth >= BREAKING_GROWTH
            and recent >= BREAKING_MIN_ARTICLES
            and rsources >= BREAKING_MIN_SOURCES
        )
        if breaking and not is_breaking:
            continue
        items.append(
            {
                "id": sid,
                "title": title,
                "first_time": first_t.isoformat(),
                "last_time": last_t.isoformat(),
                "first_seen": first_s.isoformat(),
                "last_seen": last_s.isoformat(),
                "articles": n,
                "sources": sources,
                "recent_articles": recent,
                "growth": growth,
                "breaking": is_breaking,
            }
        )
    nxt = None
    if len(items) > limit:
        items = items[:limit]
        nxt = encode_cursor([items[-1]["last_seen"], items[-1]["id"]])
    keys = _main_keys(store, [i["id"] for i in items])
    for item in items:
        item.update(keys[item["id"]])
    return {"items": items, "next_cursor": nxt}


def get_story(store: Store, story_id: str) -> dict[str, Any] | None:
    """One story: its fields, articles (oldest first) and canonical events; None if unknown."""
    cur = store.cursor()
    row = cur.execute(
        "SELECT id, title, first_time, last_time, first_seen, last_seen, articles, sources "
        "FROM stories WHERE id = ?",
        [story_id],
    ).fetchone()
    if row is None:
        return None
    keys = ("id", "title", "first_time", "last_time", "first_seen", "last_seen")
    story: dict[str, Any] = dict(zip(keys, row[:6], strict=True))
    for key in keys[2:]:
        story[key] = story[key].isoformat()
    story.update(articles=row[6], sources=row[7])
    story.update(_main_keys(store, [story_id])[story_id])
    story["reports"] = [
        {
            "article_id": aid,
            "title": title,
            "url": url,
            "source": source,
            "article_time": when.isoformat(),
            "duplicate_of": dup,
            "score": score,
        }
        for aid, title, url, source, when, dup, score in cur.execute(
            "SELECT a.id, a.title, a.url, a.source, r.article_time, a.duplicate_of, r.score "
            "FROM story_articles r JOIN articles a ON a.id = r.article_id "
            "WHERE r.story_id = ? ORDER BY r.article_time, a.id",
            [story_id],
        ).fetchall()
    ]
    story["events"] = [
        _event_summary(r)
        for r in cur.execute(
            f"SELECT {_EVENT_COLUMNS} FROM canonical_events WHERE story_id = ? AND reports > 0 "
            "ORDER BY event_date, id",
            [story_id],
        ).fetchall()
    ]
    return story


_EVENT_COLUMNS = (
    "id, story_id, event_type, sub_event_type, event_date, time_precision, country, location, "
    "lat, lon, actor1, actor2, fatalities, injured, reports, first_seen, last_seen"
)


def _event_summary(row: tuple[Any, ...]) -> dict[str, Any]:
    names = [c.strip() for c in _EVENT_COLUMNS.split(",")]
    out = dict(zip(names, row, strict=True))
    for key in ("event_date", "first_seen", "last_seen"):
        if out[key] is not None:
            out[key] = out[key].isoformat()
    return out


def list_canonical_events(
    store: Store,
    *,
    event_type: str | None = None,
    country: str | None = None,
    since: str | None = None,
    until: str | None = None,
    min_fatalities: int | None = None,
    min_reports: int = 1,
    limit: int = 50,
    cursor: str | None = None,
) -> dict[str, Any]:
    """Canonical events (merged across reports), latest event date first."""
    where: list[str] = ["reports >= ?"]
    params: list[Any] = [max(1, min_reports)]
    for column, value in (("event_type", event_type), ("country", country)):
        if value:
            where.append(f"{column} = ?")
            params.append(value)
    if since:
        where.append("event_date >= ?::DATE")
        params.append(since)
    if until:
        where.append("event_date <= ?::DATE")
        params.append(until)
    if min_fatalities is not None:
        where.append("coalesce(fatalities, 0) >= ?")
        params.append(min_fatalities)
    if cursor:
        day, eid = decode_cursor(cursor, 2)
        where.append("(event_date < ?::DATE OR (event_date = ?::DATE AND id < ?))")
        params += [day, day, eid]
    rows = (
        store.cursor()
        .execute(
            f"SELECT {_EVENT_COLUMNS} FROM canonical_events WHERE "
            + " AND ".join(where)
            + " ORDER BY event_date DESC NULLS LAST, id DESC LIMIT ?",
            [*params, limit + 1],
        )
        .fetchall()
    )
    items = [_event_summary(r) for r in rows[:limit]]
    nxt = None
    if len(rows) > limit and items[-1]["event_date"]:
        nxt = encode_cursor([items[-1]["event_date"], items[-1]["id"]])
    return {"items": items, "next_cursor": nxt}


def get_canonical_event(store: Store, event_id: str) -> dict[str, Any] | None:
    """One canonical event, its lineage (every report and span) and figure revisions."""
    cur = store.cursor()
    row = cur.execute(
        f"SELECT {_EVENT_COLUMNS}, record FROM canonical_events WHERE id = ?", [event_id]
    ).fetchone()
    if row is None:
        return None
    event = _event_summary(row[:-1])
    event["first_report"] = json.loads(row[-1]) if row[-1] else None
    event["reports"] = [
        {
            "article_id": aid,
            "idx": idx,
            "title": title,
            "url": url,
            "source": source,
            "article_time": when.isoformat(),
            "fatalities": fatalities,
            "injured": injured,
            "evidence": json.loads(evidence) if evidence else [],
        }
        for aid, idx, title, url, source, when, fatalities, injured, evidence in cur.execute(
            "SELECT r.article_id, r.idx, a.title, a.url, a.source, r.article_time, "
            "r.fatalities, r.injured, r.evidence FROM event_reports r "
            "JOIN articles a ON a.id = r.article_id WHERE r.event_id = ? "
            "ORDER BY r.article_time, r.article_id",
            [event_id],
        ).fetchall()
    ]
    event["revisions"] = [
        {"field": f, "from": old, "to": new, "article_id": aid, "article_time": when.isoformat()}
        for f, old, new, aid, when in cur.execute(
            "SELECT field, old_value, new_value, article_id, article_time FROM event_revisions "
            "WHERE event_id = ? ORDER BY recorded, article_time",
            [event_id],
        ).fetchall()
    ]
    return event
