from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from tidings.ingest import ingest, resolve_workers
from tidings.settings import Settings
from tidings.store import QueryFilters, Store

FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    shutil.copytree(EXAMPLES, folder)
    shutil.copy(FIXTURES / "page.html", folder / "page.html")
    return folder


def test_ingest_same_folder_twice_keeps_the_same_rows(
    corpus: Path, tmp_path: Path, settings: Settings
) -> None:
    with Store(tmp_path / "s.duckdb") as store:
        first = ingest([str(corpus)], store=store, settings=settings)
        counts = store.counts()
        second = ingest([str(corpus)], store=store, settings=settings)
        assert store.counts() == counts
    assert first.stored == 6 and first.updated == 0 and first.ok
    assert second.stored == 0 and second.updated == 6 and second.ok
    assert counts["articles"] == 6 and counts["entities"] > 50 and counts["dates"] > 5


def test_ingest_bad_inputs_are_reported_and_the_rest_is_stored(
    corpus: Path, tmp_path: Path, settings: Settings
) -> None:
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "binary.txt").write_bytes(b"\x00\x01\x02garbage")
    (corpus / "latin1.txt").write_bytes("Caf\u00e9".encode("latin-1"))
    (corpus / "huge.txt").write_text("word " * 400)
    (corpus / "notes.png").write_bytes(b"\x89PNG")
    (corpus / "tiny.txt").write_text("Too short.")
    with (corpus / "wire.jsonl").open("a") as f:
        f.write('{"text": broken\n')
    small = settings.replace(max_input_bytes=1500)
    with Store(tmp_path / "s.duckdb") as store:
        report = ingest([str(corpus), str(tmp_path / "missing")], store=store, settings=small)
        rows = store.count()
    failed = {
        Path(o.where.split(":")[0]).name
        + (":" + o.where.split(":")[1] if ":" in o.where else ""): o.reason.split(":")[0]
        for o in report.failed
    }
    assert failed == {
        "empty.txt": "empty",
        "binary.txt": "binary",
        "latin1.txt": "undecodable",
        "huge.txt": "oversize",
        "wire.jsonl:4": "malformed_json",
        "missing": "not_found",
    }
    assert {Path(o.where).name: o.reason for o in report.skipped} == {
        "notes.png": "unsupported_type",
        "tiny.txt": "too_short",
    }
    assert report.stored == rows == 6
    assert not report.ok


def test_ingest_published_option_fills_missing_dates(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "a.txt"
    path.write_text(
        "Title Of Story\n\nOn Sunday, the council approved the new budget after a debate."
    )
    with Store(tmp_path / "s.duckdb") as store:
        ingest([str(path)], store=store, settings=settings, published="2021-11-08")
        [record] = store.query(QueryFilters())
    assert record["published"] == "2021-11-08"
    assert record["dates"][0]["value"] == "2021-11-07"


def test_ingest_stage_failure_is_reported_not_stored(
    tmp_path: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tidings.stages.language import LanguageStage

    original = LanguageStage.process

    def flaky(self, article):  # type: ignore[no-untyped-def]
        if "explode" in article.text:
            raise RuntimeError("detector crashed")
        return original(self, article)

    monkeypatch.setattr(LanguageStage, "process", flaky)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(
        "The council approved the new budget on Tuesday after a debate."
    )
    (tmp_path / "in" / "b.txt").write_text(
        "This one will explode inside the language stage, sadly."
    )
    with Store(tmp_path / "s.duckdb") as store:
        report = ingest([str(tmp_path / "in")], store=store, settings=settings)
        assert store.count() == 1
    [failure] = report.failed
    assert failure.where.endswith("b.txt")
    assert failure.reason == "stage language: RuntimeError: detector crashed"


def test_ingest_progress_is_reported(corpus: Path, tmp_path: Path, settings: Settings) -> None:
    seen: list[tuple[int, int | None]] = []
    with Store(tmp_path / "s.duckdb") as store:
        ingest(
            [str(corpus)],
            store=store,
            settings=settings,
            on_progress=lambda d, t: seen.append((d, t)),
        )
    assert seen[-1] == (6, 6)


def test_ingest_resolve_workers(settings: Settings) -> None:
    assert resolve_workers(settings, 10) == 1
    assert resolve_workers(settings.replace(workers=3), 10) == 3
    assert resolve_workers(settings, 10_000) >= 1


class _KillsItsWorker:
    """Unpickled in a worker process, this ends that process at once."""

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (os._exit, (3,))


@pytest.mark.slow
def test_ingest_worker_crash_fails_its_articles_and_the_pool_recovers(settings: Settings) -> None:
    from tidings.article import Article
    from tidings.ingest import Processor

    def batch(tag: str, n: int) -> list[Article]:
        return [
            Article.from_input(f"The mayor of Leeds opened bridge {tag}{i} on Monday.")
            for i in range(n)
        ]

    doomed = batch("x", 2)
    doomed[0].events = [{"poison": _KillsItsWorker()}]
    processor = Processor(settings.replace(workers=2), 2)
    try:
        results = list(processor.map([batch("a", 3), doomed, batch("b", 3)]))
        after = list(processor.map([batch("c", 2)]))
    finally:
        processor.close()
    articles = [a for b in results for a in b]
    assert len(articles) == 8  # nothing lost: every article comes back, processed or failed
    crashed = [a for a in articles if a.failed]
    assert {a.id for a in doomed} <= {a.id for a in crashed}
    assert all(a.pipeline.errors[0].stage == "worker" for a in crashed)
    assert [a.failed for a in after[0]] == [False, False]  # a fresh pool took over


@pytest.mark.slow
def test_ingest_with_worker_processes_matches_in_process(
    tmp_path: Path, settings: Settings
) -> None:
    path = tmp_path / "many.jsonl"
    with path.open("w") as f:
        for i in range(40):
            f.write(
                json.dumps(
                    {
                        "text": f"Officials in Nairobi said on Monday that {i} new clinics "
                        f"would open in Kisumu and Mombasa next year.",
                        "published": "2024-01-08",
                    }
                )
                + "\n"
            )
    results = {}
    for workers in (1, 2):
        with Store(tmp_path / f"w{workers}.duckdb") as store:
            report = ingest(
                [str(path)], store=store, settings=settings.replace(workers=workers, batch_size=8)
            )
            assert report.workers == workers and report.stored == 40 and report.ok
            rows = (
                store.cursor()
                .execute("SELECT id, record->>'$.text' FROM articles ORDER BY id")
                .fetchall()
            )
            ents = (
                store.cursor()
                .execute("SELECT article_id, text, label, start_char FROM entities ORDER BY ALL")
                .fetchall()
            )
            results[workers] = (rows, ents)
    assert results[1] == results[2]
