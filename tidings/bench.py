"""``tidings bench``: throughput, latency and memory of the pipeline and store.

In one run, over the same texts:

1. **pipeline**: the full ingest (all configured stages, worker processes as
   configured, the store) into a fresh temporary DuckDB file;
2. **single**: articles one at a time through an in-process pipeline and a
   store write each: the latency one article sees when it arrives alone;
3. **raw NER**: the NER model as its package ships it (``spacy.load(name)``,
   every component, ``nlp.pipe`` in one process), the baseline a user would
   otherwise run. ``ratio_to_raw_ner`` = pipeline articles/s ÷ raw articles/s.
   The raw NER-only components (``tok2vec``+``ner``, one process) are reported
   too, as the stricter baseline.

Peak RSS is sampled (every 50 ms) over the process and its workers together.
"""

from __future__ import annotations

import contextlib
import json
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import InputError
from .ingest import ingest, resolve_workers
from .pipeline import Pipeline
from .settings import Settings
from .sources import InputRecord, iter_inputs
from .store import Store

DEFAULT_CORPUS = Path("../shared/data/bbc-news-topics/bbc_news_dev.jsonl")


def default_corpus() -> Path | None:
    """The BBC dev corpus, looked for from the working directory and from the checkout."""
    for base in (Path.cwd(), Path(__file__).resolve().parents[1]):
        candidate = (base / DEFAULT_CORPUS).resolve()
        if candidate.is_file():
            return candidate
    return None


class RssSampler:
    """Samples the resident memory of this process plus its children, keeping the peak."""

    def __init__(self, interval: float = 0.05) -> None:
        import psutil

        self._process = psutil.Process()
        self.interval = interval
        self.peak = 0
        self.peak_main = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> None:
        import psutil

        main = self._process.memory_info().rss
        total = main
        for child in self._process.children(recursive=True):
            with contextlib.suppress(psutil.Error):
                total += child.memory_info().rss
        self.peak = max(self.peak, total)
        self.peak_main = max(self.peak_main, main)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._sample()
            self._stop.wait(self.interval)

    def __enter__(self) -> RssSampler:
        self._sample()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def _stage_means(store: Store) -> dict[str, float]:
    """Mean milliseconds per article in each stage, from the stored provenance."""
    totals: dict[str, float] = {}
    rows = store.cursor().execute("SELECT record->'$.pipeline.timings' FROM articles").fetchall()
    for (timings,) in rows:
        for stage, seconds in json.loads(timings).items():
            totals[stage] = totals.get(stage, 0.0) + seconds
    return {stage: round(1000 * total / max(1, len(rows)), 2) for stage, total in totals.items()}


@dataclass
class BenchOptions:
    corpus: Path
    limit: int = 0
    single: int = 50


def _load_corpus(path: Path, limit: int, max_bytes: int) -> list[InputRecord]:
    records = []
    for item in iter_inputs([str(path)], max_bytes=max_bytes):
        if isinstance(item, InputRecord):
            records.append(item)
            if limit and len(records) >= limit:
                break
    return records


def run_bench(
    options: BenchOptions, settings: Settings, *, log: Callable[[str], None] | None = None
) -> dict[str, Any]:
    """Run the benchmark and return its figures (see the module docstring)."""
    say = log or (lambda message: None)
    records = _load_corpus(options.corpus, options.limit, settings.max_input_bytes)
    if not records:
        raise InputError(str(options.corpus), "empty", "no usable articles in the corpus")
    texts = [r.raw for r in records]
    n = len(records)
    words = sum(len(t.split()) for t in texts)

    with tempfile.TemporaryDirectory(prefix="tidings-bench-") as tmp:
        subset = Path(tmp) / "corpus.jsonl"
        with subset.open("w", encoding="utf-8") as f:
            for r in records:
                f.write(
                    json.dumps(
                        {
                            "text": r.raw,
                            "title": r.title,
                            "published": r.published,
                            "url": r.url,
                            "source": r.source,
                            "id": r.input_id,
                        }
                    )
                    + "\n"
                )

        say(f"pipeline: {n} articles, {resolve_workers(settings, n)} worker(s)")
        with Store(Path(tmp) / "bench.duckdb") as store, RssSampler() as rss:
            started = time.perf_counter()
            report = ingest([str(subset)], store=store, settings=settings)
            pipeline_seconds = time.perf_counter() - started
            stored_rows = store.count()
            stage_ms = _stage_means(store)

        single = min(options.single, n)
        say(f"single-article latency: {single} articles one at a time")
        latencies = []
        pipeline = Pipeline.from_settings(settings)
        pipeline.setup()
        with Store(Path(tmp) / "single.duckdb") as store:
            for r in records[:single]:
                t0 = time.perf_counter()
                article = pipeline.analyze(r.raw, title=r.title, published=r.published, url=r.url)
                if not article.dropped and not article.failed:
                    store.write([article.release()])
                latencies.append(time.perf_counter() - t0)
        del pipeline

    from .stages.nlp import load_model

    say("raw NER: the model package as shipped, one process")
    raw = load_model(settings.model, ner_only=False)
    with RssSampler() as raw_rss:
        t0 = time.perf_counter()
        for _ in raw.pipe(texts, batch_size=settings.batch_size):
            pass
        raw_seconds = time.perf_counter() - t0
    del raw
    say("raw NER-only components, one process")
    ner_only = load_model(settings.model, ner_only=True)
    t0 = time.perf_counter()
    for _ in ner_only.pipe(texts, batch_size=settings.batch_size):
        pass
    ner_only_seconds = time.perf_counter() - t0

    rate = n / pipeline_seconds
    raw_rate = n / raw_seconds
    ner_only_rate = n / ner_only_seconds
    return {
        "corpus": str(options.corpus),
        "articles": n,
        "words": words,
        "stages": settings.stage_names,
        "workers": report.workers,
        "stored": report.stored,
        "updated": report.updated,
        "store_rows": stored_rows,
        "failed": len(report.failed),
        "skipped": len(report.skipped),
        "seconds": round(pipeline_seconds, 3),
        "articles_per_s": round(rate, 2),
        "words_per_s": round(words / pipeline_seconds, 1),
        "latency_ms_p50": round(1000 * statistics.median(latencies), 1) if latencies else None,
        "latency_ms_p95": round(1000 * _percentile(latencies, 0.95), 1) if latencies else None,
        "latency_articles": len(latencies),
        "stage_ms_mean": stage_ms,
        "peak_rss_mb": round(rss.peak / 2**20, 1),
        "peak_rss_main_mb": round(rss.peak_main / 2**20, 1),
        "raw_ner_articles_per_s": round(raw_rate, 2),
        "raw_ner_words_per_s": round(words / raw_seconds, 1),
        "raw_ner_peak_rss_mb": round(raw_rss.peak / 2**20, 1),
        "ratio_to_raw_ner": round(rate / raw_rate, 3),
        "ner_only_articles_per_s": round(ner_only_rate, 2),
        "ratio_to_ner_only": round(rate / ner_only_rate, 3),
    }
