"""Ingest: sources → pipeline → store, reporting every input's fate.

The pipeline runs in worker processes when the input is large enough to pay
for their start-up (each loads the model once); the main process reads the
inputs and is the one writer to the store. Each batch is written in one
transaction; if a batch cannot be written, its articles are retried one by
one so that a single bad article fails alone.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field

from .article import Article, StageFailure
from .dedup import DEDUP_AFTER, DuplicateFinder
from .errors import InputError, StoreError
from .pipeline import Pipeline
from .publishers import SourceHomes
from .settings import Settings
from .sources import InputRecord, Skipped, count_inputs, iter_inputs
from .sources.fetch import Fetcher
from .store import Store

logger = logging.getLogger(__name__)

# Below this many articles, worker start-up (model load per process) costs more than it saves.
PARALLEL_THRESHOLD = 64
MAX_AUTO_WORKERS = 4


@dataclass
class Outcome:
    """What happened to one input: where it came from and why it was not stored."""

    where: str
    reason: str


@dataclass
class IngestReport:
    """Counts and reasons for one ingest run."""

    stored: int = 0
    updated: int = 0
    copies: int = 0  # of the stored/updated: near or exact duplicates (``duplicate_of``)
    skipped: list[Outcome] = field(default_factory=list)
    failed: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0
    workers: int = 1

    @property
    def processed(self) -> int:
        return self.stored + self.updated + len(self.skipped) + len(self.failed)

    @property
    def ok(self) -> bool:
        return not self.failed

    def as_dict(self) -> dict[str, object]:
        return {
            "stored": self.stored,
            "updated": self.updated,
            "copies": self.copies,
            "skipped": [o.__dict__ for o in self.skipped],
            "failed": [o.__dict__ for o in self.failed],
            "seconds": round(self.seconds, 3),
            "workers": self.workers,
        }


def to_article(record: InputRecord) -> Article:
    return Article.from_input(
        record.raw,
        raw_format=record.raw_format,
        url=record.url,
        title=record.title,
        published=record.published,
        source=record.source,
        input_id=record.input_id,
        origin=record.origin,
    )


def resolve_workers(settings: Settings, total: int | None) -> int:
    """Worker processes to use: the setting, or automatic (0) by input size and cores."""
    if settings.workers:
        return settings.workers
    if total is not None and total < PARALLEL_THRESHOLD:
        return 1
    return max(1, min(os.cpu_count() or 1, MAX_AUTO_WORKERS))


# -- worker side -------------------------------------------------------------------

_worker_pipeline: Pipeline | None = None


def _init_worker(settings: Settings, split: bool, publishers: SourceHomes | None) -> None:
    global _worker_pipeline
    logging.getLogger().setLevel(logging.WARNING)
    _worker_pipeline = Pipeline.from_settings(settings)
    if publishers is not None:
        _worker_pipeline.remember(publishers)
    if split:
        _worker_pipeline = _worker_pipeline.split(DEDUP_AFTER)[1]
    _worker_pipeline.setup()


def _run_batch(batch: list[Article]) -> list[Article]:
    if _worker_pipeline is None:
        raise RuntimeError("worker pipeline not initialised")
    return [a.release() for a in _worker_pipeline.run(batch)]


class Processor:
    """Runs the pipeline over batches, in-process or in a pool of worker processes.

    With a :class:`~tidings.dedup.DuplicateFinder`, the stages up to ``clean`` run
    here, in the writer process, copies are marked, and only the rest of the
    pipeline runs in the workers (where copies skip every stage). ``publishers``
    (the store's memory of them) is where every pipeline starts; each worker then
    learns from the articles it analyses.
    """

    def __init__(
        self,
        settings: Settings,
        workers: int,
        *,
        finder: DuplicateFinder | None = None,
        publishers: SourceHomes | None = None,
    ) -> None:
        self.settings = settings
        self.workers = workers
        self.finder = finder
        self.publishers = publishers
        self._head: Pipeline | None = None
        self._pipeline: Pipeline | None = None
        self._pool: ProcessPoolExecutor | None = None
        self._generation = 0  # counts pools; a broken pool is replaced once
        if finder is not None:
            self._head, tail = Pipeline.from_settings(settings).split(DEDUP_AFTER)
            self._head.setup()
        if workers > 1:
            self._pool = self._new_pool()
        else:
            self._pipeline = tail if finder is not None else Pipeline.from_settings(settings)
            if publishers is not None:
                self._pipeline.remember(publishers)
            self._pipeline.setup()

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_worker,
            initargs=(self.settings, self.finder is not None, self.publishers),
        )

    def _collect(
        self, future: Future[list[Article]], batch: list[Article], generation: int
    ) -> list[Article]:
        """A finished batch; if its worker died, its articles fail with the reason."""
        try:
            return future.result()
        except BrokenProcessPool as e:
            logger.error("a worker process died; %d article(s) failed: %s", len(batch), e)
            if self._pool is not None and generation == self._generation:
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = self._new_pool()
                self._generation += 1
            for article in batch:
                article.pipeline.errors.append(
                    StageFailure("worker", "BrokenProcessPool", "the worker process died")
                )
            return [a.release() for a in batch]

    def _marked(self, batches: Iterable[list[Article]]) -> Iterator[list[Article]]:
        for batch in batches:
            if self._head is not None and self.finder is not None:
                self._head.run(batch)
                self.finder.mark(batch)
            yield batch

    def map(self, batches: Iterable[list[Article]]) -> Iterator[list[Article]]:
        """Process batches; yield them as they finish (at most 2 per worker in flight)."""
        batches = self._marked(batches)
        if self._pool is None:
            pipeline = self._pipeline
            if pipeline is None:
                raise RuntimeError("processor has neither a pool nor a pipeline")
            for batch in batches:
                yield [a.release() for a in pipeline.run(batch)]
            return
        pending: dict[Future[list[Article]], tuple[list[Article], int]] = {}
        for batch in batches:
            pending[self._pool.submit(_run_batch, batch)] = (batch, self._generation)
            if len(pending) >= 2 * self.workers:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    yield self._collect(future, *pending.pop(future))
        for future in list(pending):
            yield self._collect(future, *pending.pop(future))

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)


def ingest(
    paths: Sequence[str],
    *,
    store: Store,
    settings: Settings,
    published: str | None = None,
    on_progress: Callable[[int, int | None], None] | None = None,
) -> IngestReport:
    """Read ``paths``, run the pipeline and store the results.

    Args:
        paths: files, folders, ``-`` or URLs (see :func:`tidings.sources.iter_inputs`).
        store: the store to write to (the one writer).
        settings: pipeline and input settings.
        published: publication date for inputs that carry none.
        on_progress: called with (inputs done, estimated total) as work completes.

    Returns:
        The report: counts stored/updated, and every skip and failure with its reason.
    """
    started = time.perf_counter()
    total = count_inputs(paths)
    report = IngestReport(workers=resolve_workers(settings, total))

    def progress() -> None:
        if on_progress:
            on_progress(report.processed, total)

    def batches() -> Iterator[list[Article]]:
        batch: list[Article] = []
        fetch = Fetcher.from_settings(settings)
        for item in iter_inputs(
            paths, max_bytes=settings.max_input_bytes, published=published, fetch=fetch
        ):
            if isinstance(item, InputError):
                report.failed.append(
                    Outcome(
                        item.where, f"{item.reason}: {item.detail}" if item.detail else item.reason
                    )
                )
                progress()
            elif isinstance(item, Skipped):
                report.skipped.append(Outcome(item.where, item.reason))
                progress()
            else:
                batch.append(to_article(item))
                if len(batch) >= settings.batch_size:
                    yield batch
                    batch = []
        if batch:
            yield batch

    finder = DuplicateFinder(store) if settings.dedup else None
    publishers = store.publisher_memory() if settings.source_homes else None
    processor = Processor(settings, report.workers, finder=finder, publishers=publishers)
    try:
        for done in processor.map(batches()):
            stored = _store_batch(done, store, report)
            if finder is not None:  # what failed must not be taken for an original later
                finder.forget(a.id for a in done if a.id not in stored)
            progress()
    finally:
        processor.close()
    report.seconds = time.perf_counter() - started
    return report


def _store_batch(articles: list[Article], store: Store, report: IngestReport) -> set[str]:
    """Store what the pipeline kept; count outcomes; return the ids stored."""
    keep = []
    for article in articles:
        where = article.pipeline.origin or article.id
        if article.dropped:
            report.skipped.append(Outcome(where, article.dropped))
        elif article.failed:
            first = article.pipeline.errors[0]
            report.failed.append(
                Outcome(where, f"stage {first.stage}: {first.error}: {first.message}")
            )
        else:
            keep.append(article)
    if not keep:
        return set()
    try:
        result = store.write(keep)
    except StoreError as e:
        if len(keep) == 1:
            report.failed.append(Outcome(keep[0].pipeline.origin or keep[0].id, f"store: {e}"))
            return set()
        logger.warning("batch write failed (%s); writing one by one", e)
        stored: set[str] = set()
        for article in keep:
            stored |= _store_batch([article], store, report)
        return stored
    report.stored += len(result.stored)
    report.updated += len(result.updated)
    report.copies += sum(1 for a in keep if a.duplicate_of)
    # The same article twice in one batch is one upsert; count the repeat as an update.
    report.updated += len(keep) - len(result.stored) - len(result.updated)
    return {a.id for a in keep}
