"""``tidings eval stories``: are reports of the same story and event merged, and only those?

Input: JSONL reports (``text``, ``title``, ``url``, ``source``, ``published``)
with gold ``story`` (the story a report belongs to) and ``event`` (the
real-world event it reports, or null). Everything is ingested into a fresh
store in file order, through the same code as ``tidings ingest`` (duplicates,
the pipeline, stories, canonical events). Scores are pairwise over reports:

- stories: a pair is predicted together when both reports got the same
  ``story_id``; gold together when their ``story`` is equal;
- events: a pair is predicted together when they report a common canonical
  event (a copy reports its original's events); gold together when their
  ``event`` is equal and not null.

``precision`` = pairs predicted together that are gold together / predicted
together; ``recall`` = those / gold together. The fixture written for this,
``tests/fixtures/stories/reports.jsonl``, is described in its README.
"""

from __future__ import annotations

import tempfile
from itertools import combinations
from pathlib import Path
from typing import Any

from ..errors import TidingsError
from ..ingest import ingest
from ..settings import Settings
from ..store import Store
from . import read_jsonl


def _pairwise(predicted: dict[str, set[str]], gold: dict[str, str | None]) -> dict[str, Any]:
    ids = sorted(gold)
    tp = fp = fn = 0
    for a, b in combinations(ids, 2):
        together = bool(predicted.get(a, set()) & predicted.get(b, set()))
        truth = gold[a] is not None and gold[a] == gold[b]
        tp += together and truth
        fp += together and not truth
        fn += truth and not together
    return {
        "pairs_gold": tp + fn,
        "pairs_predicted": tp + fp,
        "precision": round(tp / (tp + fp), 4) if tp + fp else 1.0,
        "recall": round(tp / (tp + fn), 4) if tp + fn else 1.0,
    }


def evaluate_stories(path: Path, settings: Settings) -> dict[str, Any]:
    rows = read_jsonl(path, ("url", "story"), "a labelled report")
    for row in rows:
        row.setdefault("event", None)
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "eval.duckdb") as store:
        report = ingest([str(path)], store=store, settings=settings)
        if report.failed:
            raise TidingsError(f"{report.failed[0].where}: {report.failed[0].reason}")
        cur = store.cursor()
        by_url = {
            url: (aid, story, dup)
            for url, aid, story, dup in cur.execute(
                "SELECT url, id, story_id, duplicate_of FROM articles"
            ).fetchall()
        }
        events: dict[str, set[str]] = {}
        for aid, eid in cur.execute("SELECT article_id, event_id FROM event_reports").fetchall():
            events.setdefault(aid, set()).add(eid)
        canonical = cur.execute("SELECT count(*) FROM canonical_events").fetchone()[0]
        story_count = cur.execute("SELECT count(*) FROM stories").fetchone()[0]
        revisions = cur.execute("SELECT count(*) FROM event_revisions").fetchone()[0]
    from ..article import canonical_url

    stories_pred: dict[str, set[str]] = {}
    events_pred: dict[str, set[str]] = {}
    gold_story: dict[str, str | None] = {}
    gold_event: dict[str, str | None] = {}
    for row in rows:
        key = row.get("id") or row["url"]
        found = by_url.get(canonical_url(row["url"]))
        if found is None:
            continue
        aid, story, dup = found
        stories_pred[key] = {story} if story else set()
        events_pred[key] = events.get(dup or aid, set())
        gold_story[key] = row["story"]
        gold_event[key] = row["event"]
    return {
        "reports": len(rows),
        "stories": story_count,
        "gold_stories": len({r["story"] for r in rows}),
        "canonical_events": canonical,
        "gold_events": len({r["event"] for r in rows if r["event"]}),
        "casualty_revisions": revisions,
        "story_pairs": _pairwise(stories_pred, gold_story),
        "event_pairs": _pairwise(events_pred, gold_event),
    }
