"""``tidings bench --stories``: does dedup + clustering stay cheap as the store grows?

A store is grown, batch by batch through the real write path, to the largest
checkpoint (default 100,000 articles). Articles are made from an analysed store
(``tidings ingest`` output): each takes one stored article's entities, places and
events, and a text of 6–10 sentences drawn at random from the whole pool, so
texts overlap in sentences (near-duplicate candidates to verify) without being
copies; publication times advance over 60 days, so story windows come and go.
For each checkpoint the per-article cost of duplicate marking and of the write
(word index, stories, canonical events, all tables) is the mean over the
``sample`` articles written right after the store reaches that size.
"""

from __future__ import annotations

import json
import random
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from .article import Article
from .dedup import DuplicateFinder
from .errors import TidingsError
from .store import Store

SPAN_DAYS = 60


def bench_stories(
    base: Path,
    *,
    checkpoints: tuple[int, ...] = (1_000, 10_000, 100_000),
    sample: int = 512,
    batch_size: int = 32,
    seed: int = 5,
    say: Callable[[str], None] = lambda m: None,
) -> dict[str, Any]:
    with Store(base, read_only=True) as store:
        rows = store.cursor().execute("SELECT record FROM articles WHERE duplicate_of IS NULL")
        records = [json.loads(r[0]) for r in rows.fetchall()]
    if not records:
        raise TidingsError(f"no analysed articles in {base}")
    pool = [s.strip() for r in records for s in r["text"].split(". ") if len(s.split()) > 5]
    rng = random.Random(seed)
    total = max(checkpoints) + sample
    start = datetime(2026, 1, 1)
    step = timedelta(days=SPAN_DAYS) / total
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "grow.duckdb") as store:
        finder = DuplicateFinder(store)
        written = 0
        pending = sorted(checkpoints)
        timing: list[float] | None = None
        mark_s = write_s = 0.0
        started = time.perf_counter()
        while written < total:
            batch: list[Article] = []
            for _ in range(batch_size):
                record = dict(rng.choice(records))
                record["text"] = ". ".join(rng.sample(pool, rng.randint(6, 10))) + "."
                record["url"] = f"https://bench.invalid/{written + len(batch)}"
                record["id"] = f"bench-{written + len(batch)}"
                record["published"] = (start + step * (written + len(batch))).isoformat()
                record["story_id"] = record["duplicate_of"] = None
                a = Article.from_dict(record)
                for event in a.events:
                    event.pop("event_id", None)
                batch.append(a)
            t0 = time.perf_counter()
            finder.mark(batch)
            t1 = time.perf_counter()
            store.write(batch)
            t2 = time.perf_counter()
            written += len(batch)
            if timing is not None:
                mark_s += t1 - t0
                write_s += t2 - t1
                timing.append(t2 - t0)
                if len(timing) * batch_size >= sample:
                    n = len(timing) * batch_size
                    size = pending.pop(0)
                    results[str(size)] = {
                        "mark_ms_per_article": round(mark_s / n * 1000, 2),
                        "write_ms_per_article": round(write_s / n * 1000, 2),
                        "total_ms_per_article": round((mark_s + write_s) / n * 1000, 2),
                    }
                    say(f"{size:,} stored: {results[str(size)]}")
                    timing = None
            if timing is None and pending and written >= pending[0]:
                timing, mark_s, write_s = [], 0.0, 0.0
            if written % 10_000 < batch_size:
                say(f"{written:,} articles written ({time.perf_counter() - started:.0f} s)")
        counts = (
            store.cursor()
            .execute(
                "SELECT (SELECT count(*) FROM stories), (SELECT count(*) FROM canonical_events), "
                "(SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL)"
            )
            .fetchone()
        )
    return {
        "base": str(base),
        "articles": written,
        "stories": counts[0],
        "canonical_events": counts[1],
        "flagged_copies": counts[2],
        "seconds": round(time.perf_counter() - started, 1),
        "per_article_at_size": results,
    }
