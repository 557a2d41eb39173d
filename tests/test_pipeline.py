from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

import pytest

from tidings.article import Article
from tidings.errors import PipelineError, RegistryError, StageError
from tidings.pipeline import Pipeline
from tidings.stage import Stage, StageRegistry
from tidings.stages import builtin_registry


class Upper(Stage):
    name = "upper"
    requires = ("raw",)
    assigns = ("text",)

    def process(self, article: Article) -> None:
        if "boom" in article.raw:
            raise ValueError("cannot shout boom")
        article.text = article.raw.upper()


class Count(Stage):
    name = "count"
    requires = ("text",)
    assigns = ("tags",)

    def __init__(self) -> None:
        self.batches: list[int] = []
        self.ready = False

    def setup(self) -> None:
        self.ready = True

    def process_batch(self, articles: Sequence[Article]) -> None:
        self.batches.append(len(articles))
        for a in articles:
            if a.text == "SHORT":
                a.drop("too_short")
            if "BATCHBUST" in a.text:
                raise RuntimeError("batch stage failed")
            a.tags = [str(len(a.text))]


def _articles(*texts: str) -> list[Article]:
    return [Article.from_input(t) for t in texts]


def test_pipeline_checks_order_at_build_time() -> None:
    with pytest.raises(PipelineError, match="'count' requires text"):
        Pipeline([Count(), Upper()])


def test_pipeline_refuses_duplicate_stage() -> None:
    with pytest.raises(PipelineError, match="twice"):
        Pipeline([Upper(), Upper()])


def test_pipeline_registry_miss_lists_valid_names() -> None:
    expected = (
        r"unknown stage .ner..*clean, dates, entities, events, language, nlp, places, quotes, "
        r"tags, tone"
    )
    with pytest.raises(RegistryError, match=expected):
        builtin_registry().create("ner", None)  # type: ignore[arg-type]


def test_pipeline_registry_refuses_second_registration() -> None:
    registry = StageRegistry()
    registry.register("upper", lambda s: Upper())
    with pytest.raises(RegistryError, match="already registered"):
        registry.register("upper", lambda s: Upper())


def test_pipeline_setup_runs_once_and_batches_reach_batch_stages() -> None:
    counter = Count()
    pipeline = Pipeline([Upper(), counter])
    out = pipeline.run(_articles("one", "two", "three"))
    assert counter.ready
    assert counter.batches == [3]
    assert [a.tags for a in out] == [["3"], ["3"], ["5"]]
    assert all(set(a.pipeline.timings) == {"upper", "count"} for a in out)


def test_pipeline_record_mode_keeps_going_and_records_the_error() -> None:
    pipeline = Pipeline([Upper(), Count()])
    good, bad = pipeline.run(_articles("fine", "boom here"))
    assert good.tags == ["4"] and not good.failed
    assert bad.failed and bad.tags == []
    failure = bad.pipeline.errors[0]
    assert (failure.stage, failure.error, failure.message) == (
        "upper",
        "ValueError",
        "cannot shout boom",
    )


def test_pipeline_record_mode_isolates_the_article_that_breaks_a_batch() -> None:
    pipeline = Pipeline([Upper(), Count()])
    a, b, c = pipeline.run(_articles("alpha", "batchbust", "gamma"))
    assert a.tags == ["5"] and c.tags == ["5"]
    assert b.failed and b.pipeline.errors[0].stage == "count"


def test_pipeline_raise_mode_raises_stage_error() -> None:
    pipeline = Pipeline([Upper(), Count()], error_mode="raise")
    with pytest.raises(StageError, match="stage 'upper' failed"):
        pipeline.run(_articles("boom"))


def test_pipeline_dropped_articles_skip_later_stages() -> None:
    class After(Stage):
        name = "after"
        requires = ("tags",)
        seen: ClassVar[list[str]] = []

        def process(self, article: Article) -> None:
            self.seen.append(article.text)

    after = After()
    pipeline = Pipeline([Upper(), Count(), after])
    dropped, _kept = pipeline.run(_articles("short", "long enough"))
    assert dropped.dropped == "too_short"
    assert after.seen == ["LONG ENOUGH"]


def test_pipeline_from_settings_builds_builtin_stages(settings) -> None:  # type: ignore[no-untyped-def]
    pipeline = Pipeline.from_settings(settings)
    assert pipeline.names == settings.stage_names


def test_pipeline_unknown_error_mode() -> None:
    with pytest.raises(PipelineError, match="error_mode"):
        Pipeline([Upper()], error_mode="ignore")
