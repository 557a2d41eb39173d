"""The service's intake: accepted articles are persisted first, analysed after.

``accept`` writes validated records to the ``intake`` table (one transaction)
and only then does the API answer 202, so an accepted article survives a crash.
One background :class:`IntakeWorker` thread takes pending rows in arrival
order, runs the pipeline off the request path and, in one transaction, stores
the articles, marks their intake rows done and appends what ``/api/stream``
sends (new articles and events) to ``stream_log``. After a kill, pending rows
are simply still pending: the next start processes them; the store's upsert
makes a re-run of a half-finished batch harmless (no duplicates).
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Sequence
from typing import Any

from ..article import Article
from ..dedup import DEDUP_AFTER, DuplicateFinder
from ..errors import StoreError
from ..ingest import to_article
from ..pipeline import Pipeline
from ..sources.files import InputRecord
from ..store import Store

logger = logging.getLogger(__name__)

RECORD_KEYS = ("text", "html", "url", "title", "published", "source", "id")


def accept(store: Store, records: Sequence[InputRecord], origin: str) -> list[int]:
    """Persist validated records as pending intake rows; return their sequence numbers."""
    if not records:
        return []
    payloads = [
        json.dumps(
            {
                "raw": r.raw,
                "raw_format": r.raw_format,
                "url": r.url,
                "title": r.title,
                "published": r.published,
                "source": r.source,
                "input_id": r.input_id,
            },
            ensure_ascii=False,
        )
        for r in records
    ]
    origins = [f"{origin}:{r.origin}" if r.origin else origin for r in records]
    with store.write_lock():
        con = store.connection()
        con.execute("BEGIN TRANSACTION")
        try:
            rows = con.execute(
                "INSERT INTO intake (payload, origin, received, status) "
                "SELECT unnest(?::JSON[]), unnest(?::VARCHAR[]), now()::TIMESTAMP, 'pending' "
                "RETURNING seq",
                [payloads, origins],
            ).fetchall()
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
    return sorted(int(r[0]) for r in rows)


def status(store: Store, seq: int) -> dict[str, Any] | None:
    row = (
        store.cursor()
        .execute(
            "SELECT seq, origin, received, status, article_id, error, finished "
            "FROM intake WHERE seq = ?",
            [seq],
        )
        .fetchone()
    )
    if row is None:
        return None
    keys = ("seq", "origin", "received", "status", "article_id", "error", "finished")
    out = dict(zip(keys, row, strict=True))
    for k in ("received", "finished"):
        out[k] = out[k].isoformat() if out[k] else None
    return out


def pending_count(store: Store) -> int:
    row = store.cursor().execute("SELECT count(*) FROM intake WHERE status = 'pending'").fetchone()
    return int(row[0]) if row else 0


def _article_of(payload: dict[str, Any], seq: int) -> Article:
    record = InputRecord(
        raw=payload["raw"],
        raw_format=payload.get("raw_format") or "text",
        origin=f"intake:{seq}",
        url=payload.get("url"),
        title=payload.get("title"),
        published=payload.get("published"),
        source=payload.get("source"),
        input_id=payload.get("input_id"),
    )
    return to_article(record)


def stream_rows(article: Article) -> list[tuple[str, str, str]]:
    """What the live stream announces for a stored article: it, then each current event."""
    record = article.to_dict(provenance=False)
    summary = {
        k: record[k] for k in ("id", "url", "source", "title", "published", "tags", "tone", "focus")
    }
    summary["events"] = len(record["events"])
    rows = [("article", article.id, json.dumps(summary, ensure_ascii=False))]
    for idx, event in enumerate(article.events):
        if event.get("background"):
            continue
        payload = {"article_id": article.id, "idx": idx, "title": article.title, **event}
        rows.append(("event", article.id, json.dumps(payload, ensure_ascii=False)))
    return rows


class IntakeWorker(threading.Thread):
    """Runs the pipeline over pending intake rows, in arrival order, in batches."""

    def __init__(
        self,
        store: Store,
        pipeline: Pipeline,
        *,
        batch_size: int = 8,
        on_stored: Callable[[], None] | None = None,
        finder: DuplicateFinder | None = None,
    ) -> None:
        super().__init__(name="tidings-intake", daemon=True)
        self.store = store
        self.pipeline = pipeline
        self.finder = finder
        # With a finder: clean, mark copies, then the rest (copies skip it).
        self._head, self._tail = pipeline.split(DEDUP_AFTER if finder else "")
        self.batch_size = batch_size
        self.on_stored = on_stored
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self.processed = 0

    def notify(self) -> None:
        """New intake rows were committed."""
        self._wake.set()

    def stop(self, timeout: float | None = 30.0) -> None:
        """Finish the batch in flight, then stop (pending rows wait for the next start)."""
        self._stopping.set()
        self._wake.set()
        self.join(timeout)

    def run(self) -> None:
        self._head.setup()
        self._tail.setup()
        while not self._stopping.is_set():
            try:
                done = self.step()
            except Exception:  # keep serving; the batch stays pending and is retried
                logger.exception("intake batch failed")
                done = 0
                self._stopping.wait(1.0)
            if not done:
                self._wake.wait(1.0)
                self._wake.clear()

    def step(self) -> int:
        """Process one batch of pending rows; return how many rows it settled."""
        rows = (
            self.store.cursor()
            .execute(
                "SELECT seq, payload FROM intake WHERE status = 'pending' ORDER BY seq LIMIT ?",
                [self.batch_size],
            )
            .fetchall()
        )
        if not rows:
            return 0
        seqs = [int(r[0]) for r in rows]
        articles = [_article_of(json.loads(r[1]), int(r[0])) for r in rows]
        by_seq = dict(zip(seqs, articles, strict=True))
        self._head.run(articles)
        if self.finder is not None:
            self.finder.mark(articles)
        self._tail.run(articles)
        stored: list[Article] = []
        settled: list[tuple[int, str, str | None, str | None]] = []
        for seq, article in by_seq.items():
            if not article.dropped and not article.failed:
                stored.append(article.release())
                settled.append((seq, "done", article.id, None))
            else:
                reason = article.dropped or "; ".join(
                    f"{e.stage}: {e.message}" for e in article.pipeline.errors
                )
                settled.append((seq, "failed", None, reason or "not analysed"))
        stream = [row for a in stored for row in stream_rows(a)]

        def finish(con: Any) -> None:
            cols = [list(c) for c in zip(*settled, strict=True)]
            con.execute(
                "UPDATE intake SET status = s.status, article_id = s.article_id, "
                "error = s.error, finished = now()::TIMESTAMP, "
                # A stored article's raw input is not kept twice; a failed one is kept.
                "payload = CASE WHEN s.status = 'done' THEN '{}' ELSE intake.payload END FROM ("
                "SELECT unnest(?::BIGINT[]) AS seq, unnest(?::VARCHAR[]) AS status, "
                "unnest(?::VARCHAR[]) AS article_id, unnest(?::VARCHAR[]) AS error) s "
                "WHERE intake.seq = s.seq",
                cols,
            )
            if stream:
                kinds, ids, payloads = (list(c) for c in zip(*stream, strict=True))
                con.execute(
                    "INSERT INTO stream_log (kind, article_id, payload, created) "
                    "SELECT unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), unnest(?::JSON[]), "
                    "now()::TIMESTAMP",
                    [kinds, ids, payloads],
                )

        if self.finder is not None:  # a failed article must not be taken for an original
            self.finder.forget(a.id for a in articles if a.dropped or a.failed)
        try:
            self.store.write(stored, also=finish)
        except StoreError:
            logger.exception("storing intake batch %s..%s failed", seqs[0], seqs[-1])
            if self.finder is not None:  # the batch stays pending and is marked again
                self.finder.forget(a.id for a in articles)
            raise
        self.processed += len(stored)
        if self.on_stored is not None:
            self.on_stored()
        return len(settled)
