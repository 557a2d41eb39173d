"""A linear pipeline of stages over articles.

The pipeline checks at build time that every stage's ``requires`` is met by the
input or by an earlier stage's ``assigns``. At run time it times each stage,
keeps dropped and failed articles out of later stages, and, in ``record`` error
mode, records a stage's exception on the article it failed on (a batch that
fails is retried article by article to find it) so that one bad article never
stops the stream. ``raise`` mode re-raises as :class:`StageError`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from .article import INPUT_FIELDS, Article, StageFailure
from .errors import PipelineError, StageError
from .settings import Settings
from .stage import Stage, StageRegistry

if TYPE_CHECKING:
    from .publishers import SourceHomes

logger = logging.getLogger(__name__)


class Pipeline:
    """An ordered list of stages run over batches of articles.

    Args:
        stages: the stages, in order.
        error_mode: ``"record"`` (default) or ``"raise"``.
    """

    def __init__(
        self,
        stages: Sequence[Stage],
        *,
        error_mode: str = "record",
        given: Iterable[str] = (),
    ) -> None:
        if error_mode not in ("record", "raise"):
            raise PipelineError(f"error_mode must be 'record' or 'raise', not {error_mode!r}")
        check_order(stages, given=given)
        self.stages = list(stages)
        self.error_mode = error_mode
        self._ready = False

    @classmethod
    def from_settings(cls, settings: Settings, registry: StageRegistry | None = None) -> Pipeline:
        """Build the pipeline named by ``settings.stages`` from the registry."""
        if registry is None:
            from .stages import builtin_registry

            registry = builtin_registry()
        stages = [registry.create(name, settings) for name in settings.stage_names]
        return cls(stages, error_mode=settings.error_mode)

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.stages]

    def remember(self, publishers: SourceHomes) -> None:
        """Give every stage what earlier runs learnt about publishers (the store's
        :meth:`~tidings.store.db.Store.publisher_memory`)."""
        for stage in self.stages:
            stage.remember(publishers)

    def setup(self) -> None:
        """Load every stage's heavy resources (idempotent)."""
        if self._ready:
            return
        for stage in self.stages:
            started = time.perf_counter()
            stage.setup()
            logger.debug("stage %s ready in %.2fs", stage.name, time.perf_counter() - started)
        self._ready = True

    def models(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for stage in self.stages:
            out.update(stage.models())
        return out

    def analyze(
        self,
        text: str,
        *,
        html: bool = False,
        url: str | None = None,
        title: str | None = None,
        published: str | None = None,
        source: str | None = None,
    ) -> Article:
        """Analyse one article given as plain text (or HTML with ``html=True``)."""
        article = Article.from_input(
            text,
            raw_format="html" if html else "text",
            url=url,
            title=title,
            published=published,
            source=source,
        )
        return self(article)

    def __call__(self, article: Article) -> Article:
        """Run the pipeline on one article and return it."""
        self.run([article])
        return article

    def run(self, articles: Iterable[Article]) -> list[Article]:
        """Run every stage over ``articles`` (one batch) and return them."""
        self.setup()
        batch = list(articles)
        models = self.models()
        for article in batch:
            article.pipeline.models.update(models)
        for stage in self.stages:
            live = []
            for a in batch:
                if a.duplicate_of:  # a copy: its original carries the analysis
                    a.pipeline.skipped[stage.name] = f"duplicate of {a.duplicate_of}"
                elif not a.dropped and not a.failed:
                    live.append(a)
            if live:
                self._run_stage(stage, live)
        return batch

    def split(self, after: str) -> tuple[Pipeline, Pipeline]:
        """Two pipelines: the stages up to and including ``after``, and the rest.

        Without a stage named ``after`` the first is empty. Ingest runs the first
        (cleaning) in the writer process, marks duplicates, and the second in workers.
        """
        cut = self.names.index(after) + 1 if after in self.names else 0
        head = Pipeline(self.stages[:cut], error_mode=self.error_mode)
        done = {f for stage in head.stages for f in stage.assigns}
        tail = Pipeline(self.stages[cut:], error_mode=self.error_mode, given=done)
        return head, tail

    def _run_stage(self, stage: Stage, articles: list[Article]) -> None:
        if not stage.batched:
            for article in articles:
                self._run_one(stage, article)
            return
        started = time.perf_counter()
        try:
            stage.process_batch(articles)
        except Exception as e:
            if self.error_mode == "raise":
                raise StageError(stage.name, None, f"{type(e).__name__}: {e}") from e
            logger.warning("stage %s failed on a batch; retrying one by one: %s", stage.name, e)
            for article in articles:
                self._run_one(stage, article, batched=True)
            return
        # Share the batch's time by text length: a fair per-article estimate.
        elapsed = time.perf_counter() - started
        total = sum(len(a.text) or len(a.raw) for a in articles) or 1
        for article in articles:
            share = (len(article.text) or len(article.raw)) / total
            article.pipeline.timings[stage.name] = round(elapsed * share, 6)

    def _run_one(self, stage: Stage, article: Article, *, batched: bool = False) -> None:
        started = time.perf_counter()
        try:
            if batched:
                stage.process_batch([article])
            else:
                stage.process(article)
        except Exception as e:
            if self.error_mode == "raise":
                raise StageError(stage.name, article.id, f"{type(e).__name__}: {e}") from e
            logger.warning("stage %s failed on article %s: %s", stage.name, article.id, e)
            article.pipeline.errors.append(StageFailure(stage.name, type(e).__name__, str(e)))
        finally:
            article.pipeline.timings[stage.name] = round(time.perf_counter() - started, 6)


def check_order(stages: Sequence[Stage], *, given: Iterable[str] = ()) -> None:
    """Raise :class:`PipelineError` unless each stage's inputs exist when it runs.

    ``given``: fields assigned before these stages run (by an earlier pipeline).
    """
    available = set(INPUT_FIELDS) | set(given)
    seen: set[str] = set()
    for position, stage in enumerate(stages):
        if not stage.name:
            raise PipelineError(
                f"stage at position {position} ({type(stage).__name__}) has no name"
            )
        if stage.name in seen:
            raise PipelineError(f"stage {stage.name!r} appears twice in the pipeline")
        seen.add(stage.name)
        missing = [f for f in stage.requires if f not in available]
        if missing:
            providers = ", ".join(missing)
            raise PipelineError(
                f"stage {stage.name!r} requires {providers}, which no earlier stage assigns; "
                f"put a stage that assigns it before {stage.name!r}"
            )
        available.update(stage.assigns)
