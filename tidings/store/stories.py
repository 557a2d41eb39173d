"""Stories and events across articles, kept up to date at write time.

**Stories.** Each new article joins the active story it resembles most, or
starts one. An article is described by weighted keys: its people and
organisations (entity ids from the alias table), its resolved places (towns
and sites weigh more than countries), its current event types, and its
headline's and body's most frequent content words. A story keeps the count of
each key over its articles (``story_keys``). Candidates are the stories that
share a key and were active within :data:`WINDOW_HOURS` of the article's time
(its publication time, or when it arrived); the score is the share of the
article's key weight found in the story, each key counted by how common it
is there (``sqrt(count / articles)``), as a Dice coefficient against the
mean of the article's and the story's key weight. A story is joined at
:data:`JOIN_SCORE` or more with a shared person, organisation or place, or
:data:`COUNTRY_JOIN_SCORE` with only a country in common (words alone never
merge). A copy (``duplicate_of``) joins its
original's story. Everything is in the store, updated in the article's own
transaction: restarts lose nothing and nothing is ever re-run over the store.

**Events.** Every current (not background) event of an article is matched
against the canonical events already known: same ``event_type``, dates
within their precision (a day apart for day precision, 7 days for week, 31
for month), the same place (within :data:`EVENT_KM` km when both have
coordinates, else the same country with no coordinates on one side) and
compatible actors (the same ``actor1``, or one of them unidentified or
missing). A match adds a report to the canonical event (``event_reports``:
the article, the event's index and evidence spans: its lineage); otherwise
the event starts a canonical event. Casualty figures follow the latest
report that gives one (by publication time), and every change is kept in
``event_revisions``: a toll rising from 3 to 12 is one event with two
figures, not two events.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field as dc_field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from ..article import Article

WINDOW_HOURS = 96
JOIN_SCORE = 0.3
COUNTRY_JOIN_SCORE = 0.35  # when the only place in common is a country
EVENT_KM = 25.0
MAX_WORD_KEYS = 12
DATE_SLACK = {1: 1, 2: 7, 3: 31, 4: 366}  # days either way, by time_precision
KEY_WEIGHT = {"e": 1.0, "g": 1.0, "p": 0.8, "c": 0.3, "t": 0.5, "h": 0.8, "w": 0.4}
ANCHORS = ("e", "g", "p")
_WORD = re.compile(r"[^\W\d_]{4,}")
_UNKNOWN_ACTOR = re.compile(r"^(unidentified|unknown)", re.I)


def _stopwords() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    extra = {"said", "says", "told", "also", "would", "could", "year", "years", "people"}
    return frozenset(STOP_WORDS | extra)


_STOP: frozenset[str] | None = None


def article_time(article: Article, now: datetime) -> datetime:
    """When the article happened for clustering: its publication time, else now."""
    if article.published:
        try:
            when = datetime.fromisoformat(article.published.replace("Z", "+00:00"))
        except ValueError:
            return now
        if when.tzinfo is not None:
            when = when.astimezone(UTC).replace(tzinfo=None)
        return min(when, now)
    return now


def article_keys(article: Article) -> dict[str, float]:
    """The weighted keys that describe ``article`` for clustering."""
    global _STOP
    if _STOP is None:
        _STOP = _stopwords()
    keys: dict[str, float] = {}

    def add(key: str) -> None:
        keys[key] = KEY_WEIGHT[key[0]]

    for e in article.entities:
        if e.entity_id and e.label in ("PERSON", "ORG", "NORP"):
            add(f"e:{e.entity_id}")
    for p in article.places:
        if p.geonameid is None:  # unresolved: its name still says where
            name = " ".join(_WORD.findall(p.name.casefold()))
            if name:
                add(f"p:{name}")
        elif (p.feature or "").startswith(("PCL", "CONT", "RGN")) or p.feature is None:
            if p.country:
                add(f"c:{p.country}")
        else:
            add(f"g:{p.geonameid}")
    for ev in article.events:
        if not ev.get("background") and ev.get("event_type"):
            add(f"t:{ev['event_type']}")
    for word in _WORD.findall((article.title or "").casefold()):
        if word not in _STOP:
            add(f"h:{word}")
    body = Counter(w for w in _WORD.findall(article.text.casefold()) if w not in _STOP)
    for word, _ in body.most_common(MAX_WORD_KEYS):
        add(f"w:{word}")
    return keys


def _story_id(article_id: str) -> str:
    return "st_" + hashlib.blake2b(article_id.encode(), digest_size=8).hexdigest()


def _event_id(article_id: str, idx: int) -> str:
    return "ev_" + hashlib.blake2b(f"{article_id}#{idx}".encode(), digest_size=8).hexdigest()


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h)))


def _day(value: Any) -> date | None:
    if not value:
        return None
    text = str(value)
    try:
        if len(text) == 4:
            return date(int(text), 7, 1)
        if len(text) == 7:
            return date(int(text[:4]), int(text[5:7]), 15)
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def _actors_compatible(a: str | None, b: str | None) -> bool:
    if not a or not b or _UNKNOWN_ACTOR.match(a) or _UNKNOWN_ACTOR.match(b):
        return True
    return a.casefold() == b.casefold()


@dataclass
class _Story:
    """What one write's batch knows of a story: its key counts and what changed."""

    id: str
    size: int
    weight: float
    keys: dict[str, int] = dc_field(default_factory=dict)
    new: bool = False
    title: str | None = None
    first: datetime | None = None
    last: datetime | None = None
    seen_first: datetime | None = None  # its whole time span, this batch included
    seen_last: datetime | None = None
    joined: int = 0
    added_weight: float = 0.0
    added_keys: Counter[str] = dc_field(default_factory=Counter)


class StoryTracker:
    """Assigns stories and canonical events inside the store's write transaction.

    Stories are assigned for a whole batch with a handful of statements: one
    query for the candidate stories of every key in the batch, matching in
    memory (articles of the batch see each other), then bulk writes.
    """

    def assign(self, con: Any, articles: Sequence[Article], rewritten: set[str]) -> None:
        now = datetime.now(UTC).replace(tzinfo=None)
        for article in articles:
            if article.id in rewritten:
                self._forget(con, article.id)
        plan = [
            (a, article_time(a, now), {} if a.duplicate_of else article_keys(a)) for a in articles
        ]
        stories = self._candidates(con, plan)
        originals = dict(
            con.execute(
                "SELECT article_id, story_id FROM story_articles WHERE article_id IN "
                "(SELECT unnest(?))",
                [[a.duplicate_of for a, _, _ in plan if a.duplicate_of]],
            ).fetchall()
        )
        joins: list[tuple[str, Article, datetime, list[str], float]] = []
        for article, when, keys in plan:
            story: _Story | None = None
            score = 1.0
            if article.duplicate_of:  # the original's story (stored, or in this batch)
                sid = originals.get(article.duplicate_of)
                story = stories.get(sid) if sid else None
                if sid and story is None:
                    story = stories[sid] = _Story(sid, 0, 0.0)
            else:
                story, score = self._best_story(stories, keys, when)
            if story is None:
                sid = _story_id(article.id)
                story = stories.get(sid) or _Story(sid, 0, 0.0, new=True, title=article.title)
                stories[sid] = story
                score = 1.0
            story.size += 1
            story.joined += 1
            story.weight += sum(keys.values())
            story.added_weight += sum(keys.values())
            story.first = when if story.first is None else min(story.first, when)
            story.last = when if story.last is None else max(story.last, when)
            story.seen_first = min(story.seen_first or when, when)
            story.seen_last = max(story.seen_last or when, when)
            for key in keys:
                story.keys[key] = story.keys.get(key, 0) + 1
                story.added_keys[key] += 1
            article.story_id = story.id
            originals[article.id] = story.id
            joins.append((story.id, article, when, list(keys), score))
        self._write(con, stories, joins)
        for _, article, when, _, _ in joins:
            if not article.duplicate_of:
                self._merge_events(con, article, article.story_id or "", when)

    # -- stories -------------------------------------------------------------------

    def _candidates(
        self, con: Any, plan: list[tuple[Article, datetime, dict[str, float]]]
    ) -> dict[str, _Story]:
        """Stories sharing a key with the batch, profiled over their articles in the window.

        ``story_keys`` and ``story_articles`` grow in time order, so the time
        filter lets DuckDB skip all but the recent row groups (min/max zone maps):
        the cost follows the window, not the store.
        """
        every = sorted({k for _, _, keys in plan for k in keys})
        if not every:
            return {}
        window = timedelta(hours=WINDOW_HOURS)
        times = [when for _, when, _ in plan]
        since = min(times) - window
        stories: dict[str, _Story] = {}
        rows = con.execute(
            "SELECT story_id, key, sum(n) FROM story_keys "
            "WHERE last_time >= ? AND key IN (SELECT unnest(?)) GROUP BY story_id, key",
            [since, every],
        ).fetchall()
        if not rows:
            return {}
        for sid, key, n in rows:
            stories.setdefault(sid, _Story(sid, 0, 0.0)).keys[key] = int(n)
        for sid, size, weight, first, last in con.execute(
            "SELECT story_id, count(*), sum(weight), min(article_time), max(article_time) "
            "FROM story_articles WHERE article_time >= ? AND story_id IN (SELECT unnest(?)) "
            "GROUP BY story_id",
            [since, list(stories)],
        ).fetchall():
            story = stories[sid]
            story.size, story.weight = int(size), float(weight or 0.0)
            story.seen_first, story.seen_last = first, last
        return stories

    def _best_story(
        self, stories: dict[str, _Story], keys: dict[str, float], when: datetime
    ) -> tuple[_Story | None, float]:
        if not any(k[0] in ANCHORS or k[0] == "c" for k in keys):
            return None, 0.0
        mine = sum(keys.values())
        window = timedelta(hours=WINDOW_HOURS)
        best: tuple[float, str] | None = None
        for story in stories.values():
            if story.size <= 0 or story.seen_first is None or story.seen_last is None:
                continue
            if story.seen_last < when - window or story.seen_first > when + window:
                continue
            shared_keys = [k for k in keys if story.keys.get(k, 0) > 0]
            if not shared_keys:
                continue
            anchored = any(k[0] in ANCHORS for k in shared_keys)
            if not anchored and not any(k[0] == "c" for k in shared_keys):
                continue
            shared = sum(
                keys[k] * math.sqrt(min(1.0, story.keys[k] / story.size)) for k in shared_keys
            )
            # Dice: shared weight against the mean of this article's and the story's per article.
            score = 2 * shared / (mine + story.weight / story.size)
            if score < (JOIN_SCORE if anchored else COUNTRY_JOIN_SCORE):
                continue
            if best is None or (score, story.id) > best:
                best = (score, story.id)
        return (stories[best[1]], best[0]) if best else (None, 0.0)

    def _write(
        self,
        con: Any,
        stories: dict[str, _Story],
        joins: list[tuple[str, Article, datetime, list[str], float]],
    ) -> None:
        touched = [s for s in stories.values() if s.joined]
        if not touched:
            return
        new = [s for s in touched if s.new]
        if new:
            con.execute(
                "INSERT INTO stories (id, title, first_time, last_time, first_seen, last_seen, "
                "articles, sources, key_weight) SELECT unnest(?::VARCHAR[]), "
                "unnest(?::VARCHAR[]), unnest(?::TIMESTAMP[]), unnest(?::TIMESTAMP[]), "
                "now()::TIMESTAMP, now()::TIMESTAMP, 0, 0, 0 ON CONFLICT (id) DO NOTHING",
                [[s.id for s in new], [s.title for s in new], [s.first for s in new],
                 [s.last for s in new]],
            )  # fmt: skip
        con.execute(
            "INSERT INTO story_articles (story_id, article_id, source, joined, article_time, "
            "score, keys, weight) SELECT unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), "
            "unnest(?::VARCHAR[]), now()::TIMESTAMP, unnest(?::TIMESTAMP[]), "
            "unnest(?::DOUBLE[]), unnest(?::VARCHAR[][]), unnest(?::DOUBLE[])",
            [[j[0] for j in joins], [j[1].id for j in joins], [j[1].source for j in joins],
             [j[2] for j in joins], [round(j[4], 4) for j in joins], [j[3] for j in joins],
             [sum(KEY_WEIGHT[k[0]] for k in j[3]) for j in joins]],
        )  # fmt: skip
        ids = [s.id for s in touched]
        con.execute(
            "UPDATE stories SET first_time = least(stories.first_time, d.first_time), "
            "last_time = greatest(stories.last_time, d.last_time), "
            "last_seen = now()::TIMESTAMP, articles = stories.articles + d.joined, "
            "key_weight = stories.key_weight + d.weight "
            "FROM (SELECT unnest(?::VARCHAR[]) AS id, unnest(?::TIMESTAMP[]) AS first_time, "
            "unnest(?::TIMESTAMP[]) AS last_time, unnest(?::INTEGER[]) AS joined, "
            "unnest(?::DOUBLE[]) AS weight) d WHERE stories.id = d.id",
            [ids, [s.first for s in touched], [s.last for s in touched],
             [s.joined for s in touched], [s.added_weight for s in touched]],
        )  # fmt: skip
        con.execute(
            "UPDATE stories SET sources = c.n FROM (SELECT story_id, "
            "count(DISTINCT coalesce(source, article_id)) AS n FROM story_articles "
            "WHERE story_id IN (SELECT unnest(?)) GROUP BY story_id) c "
            "WHERE stories.id = c.story_id",
            [ids],
        )
        rows = [(s.id, k, n) for s in touched for k, n in s.added_keys.items()]
        if rows:
            last = {s.id: s.last for s in touched}
            con.execute(
                "INSERT INTO story_keys (story_id, key, n, last_time) "
                "SELECT unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), unnest(?::INTEGER[]), "
                "unnest(?::TIMESTAMP[])",
                [[r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows],
                 [last[r[0]] for r in rows]],
            )  # fmt: skip

    def _forget(self, con: Any, article_id: str) -> None:
        """A rewritten article leaves its story and its events' reports (then re-joins)."""
        row = con.execute(
            "SELECT story_id, keys FROM story_articles WHERE article_id = ?", [article_id]
        ).fetchone()
        if row is None:
            return
        story, keys = row[0], list(row[1] or [])
        con.execute("DELETE FROM story_articles WHERE article_id = ?", [article_id])
        con.execute(
            "UPDATE stories SET articles = articles - 1, key_weight = key_weight - ? "
            "WHERE id = ? AND articles > 0",
            [sum(KEY_WEIGHT[k[0]] for k in keys), story],
        )
        if keys:
            con.execute(
                "INSERT INTO story_keys SELECT ?, unnest(?::VARCHAR[]), -1, "
                "(SELECT max(last_time) FROM story_keys WHERE story_id = ?)",
                [story, keys, story],
            )
        con.execute(
            "UPDATE canonical_events SET reports = reports - 1 WHERE id IN "
            "(SELECT event_id FROM event_reports WHERE article_id = ?) AND reports > 0",
            [article_id],
        )
        con.execute("DELETE FROM event_reports WHERE article_id = ?", [article_id])

    # -- events --------------------------------------------------------------------

    def _merge_events(self, con: Any, article: Article, story: str, when: datetime) -> None:
        for idx, ev in enumerate(article.events):
            if ev.get("background") or not ev.get("event_type"):
                continue
            loc = ev.get("location") or {}
            day = _day(ev.get("date"))
            slack = DATE_SLACK.get(int(ev.get("time_precision") or 3), 31)
            match = self._match_event(con, ev, loc, day, slack)
            if match is None:
                event_id = _event_id(article.id, idx)
                con.execute(
                    "INSERT INTO canonical_events (id, story_id, event_type, sub_event_type, "
                    "event_date, time_precision, country, location, lat, lon, actor1, actor2, "
                    "fatalities, injured, figures_time, first_seen, last_seen, reports, record) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now()::TIMESTAMP, "
                    "now()::TIMESTAMP, 1, ?) "
                    # a rewritten article whose event no longer matches its old one
                    "ON CONFLICT (id) DO UPDATE SET reports = canonical_events.reports + 1",
                    [
                        event_id, story, ev.get("event_type"), ev.get("sub_event_type"),
                        day, ev.get("time_precision"), loc.get("country"), loc.get("name"),
                        loc.get("lat"), loc.get("lon"), ev.get("actor1"), ev.get("actor2"),
                        ev.get("fatalities"), ev.get("injured"), when, json.dumps(ev),
                    ],
                )  # fmt: skip
                for field in ("fatalities", "injured"):
                    if ev.get(field) is not None:
                        self._revision(con, event_id, field, None, ev[field], article.id, when)
            else:
                event_id = match
                self._update_event(con, event_id, ev, article.id, when)
            ev["event_id"] = event_id
            con.execute(
                "INSERT INTO event_reports (event_id, article_id, idx, fatalities, injured, "
                "article_time, evidence) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    event_id, article.id, idx, ev.get("fatalities"), ev.get("injured"), when,
                    json.dumps(ev.get("evidence") or []),
                ],
            )  # fmt: skip

    def _match_event(
        self, con: Any, ev: dict[str, Any], loc: dict[str, Any], day: date | None, slack: int
    ) -> str | None:
        if day is None:
            return None
        rows = con.execute(
            "SELECT id, event_date, time_precision, country, lat, lon, actor1 "
            "FROM canonical_events WHERE event_type = ? AND event_date BETWEEN ? AND ? "
            "AND coalesce(country, '') = coalesce(?, '')",
            [
                ev["event_type"],
                day - timedelta(days=max(slack, 31)),
                day + timedelta(days=max(slack, 31)),
                loc.get("country"),
            ],
        ).fetchall()
        best: tuple[float, str] | None = None
        for event_id, their_day, their_precision, _, lat, lon, actor1 in rows:
            allowed = max(slack, DATE_SLACK.get(int(their_precision or 3), 31))
            if abs((their_day - day).days) > allowed:
                continue
            if loc.get("lat") is not None and lat is not None:
                distance = _km(loc["lat"], loc["lon"], lat, lon)
                if distance > EVENT_KM:
                    continue
            elif loc.get("lat") is not None or lat is not None:
                distance = EVENT_KM  # one side has a place, the other only the country
            else:
                distance = 0.0
            if not _actors_compatible(ev.get("actor1"), actor1):
                continue
            rank = distance + abs((their_day - day).days)
            if best is None or rank < best[0]:
                best = (rank, event_id)
        return best[1] if best else None

    def _update_event(
        self, con: Any, event_id: str, ev: dict[str, Any], article_id: str, when: datetime
    ) -> None:
        row = con.execute(
            "SELECT fatalities, injured, figures_time, lat FROM canonical_events WHERE id = ?",
            [event_id],
        ).fetchone()
        fatalities, injured, figures_time, lat = row
        sets = ["reports = reports + 1", "last_seen = now()::TIMESTAMP"]
        params: list[Any] = []
        latest = figures_time is None or when >= figures_time
        for field, old in (("fatalities", fatalities), ("injured", injured)):
            new = ev.get(field)
            if new is None or new == old or (not latest and old is not None):
                continue
            sets.append(f"{field} = ?")
            params.append(new)
            self._revision(con, event_id, field, old, new, article_id, when)
        if latest and (ev.get("fatalities") is not None or ev.get("injured") is not None):
            sets.append("figures_time = ?")
            params.append(when)
        loc = ev.get("location") or {}
        if lat is None and loc.get("lat") is not None:  # a report that names the place
            sets.append("location = ?, lat = ?, lon = ?")
            params += [loc.get("name"), loc["lat"], loc["lon"]]
        con.execute(
            f"UPDATE canonical_events SET {', '.join(sets)} WHERE id = ?", [*params, event_id]
        )

    def _revision(
        self,
        con: Any,
        event_id: str,
        field: str,
        old: int | None,
        new: int,
        article_id: str,
        when: datetime,
    ) -> None:
        con.execute(
            "INSERT INTO event_revisions (event_id, field, old_value, new_value, article_id, "
            "article_time, recorded) VALUES (?, ?, ?, ?, ?, ?, now()::TIMESTAMP)",
            [event_id, field, old, new, article_id, when],
        )
