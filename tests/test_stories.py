"""Duplicates, stories, event deduplication and trending (issue: stories)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tidings.article import Article
from tidings.dedup import DuplicateFinder, fingerprint, similar
from tidings.eval.dedup import build_stream, make_variant
from tidings.ingest import ingest
from tidings.settings import Settings
from tidings.store import Store

FIXTURES = Path(__file__).parent / "fixtures" / "stories"
REPORTS = [json.loads(line) for line in (FIXTURES / "reports.jsonl").read_text().splitlines()]
BY_ID = {r["id"]: r for r in REPORTS}

ORIGINAL = (
    "The city council of Northbridge voted on Tuesday to close three public libraries "
    "next spring, citing a budget shortfall of four million pounds. Campaigners said the "
    "decision would hurt children and older residents most, and promised to challenge it "
    "in court. The council leader said no other savings were left after years of cuts."
)
OTHER = (
    "The city council of Northbridge voted on Tuesday to build a new swimming pool next "
    "year, paid for by a grant from the national sports agency. Local swimming clubs "
    "welcomed the plan, which replaces a pool that closed in 2019 because of a leaking roof."
)


def _article(text: str, url: str) -> Article:
    a = Article.from_input(text, url=url)
    a.text = text
    return a


def test_dedup_exact_copy_ignores_case_spacing_and_punctuation(tmp_path: Path) -> None:
    with Store(tmp_path / "d.duckdb") as store:
        finder = DuplicateFinder(store)
        first = _article(ORIGINAL, "https://a.example/1")
        finder.mark([first])
        store.write([first])
        copy = _article("  " + ORIGINAL.upper().replace(",", " ,"), "https://b.example/2")
        assert finder.mark([copy]) == [copy]
        assert copy.duplicate_of == first.id


def test_dedup_near_copies_found_and_different_stories_not(tmp_path: Path) -> None:
    import random

    rng = random.Random(3)
    with Store(tmp_path / "d.duckdb") as store:
        finder = DuplicateFinder(store)
        first = _article(ORIGINAL, "https://a.example/1")
        finder.mark([first])
        store.write([first])
        for kinds in [("reorder",), ("boilerplate",), ("truncate",), ("reword", "boilerplate")]:
            variant = _article(make_variant(ORIGINAL, kinds, rng), f"https://v.example/{kinds}")
            finder.mark([variant])
            assert variant.duplicate_of == first.id, kinds
        other = _article(OTHER, "https://c.example/3")  # same council, same day, other story
        assert finder.mark([other]) == []
        assert not similar(fingerprint(ORIGINAL).shingles, fingerprint(OTHER).shingles)[0]


def test_dedup_copy_of_a_copy_points_at_the_first_and_survives_a_restart(
    tmp_path: Path,
) -> None:
    path = tmp_path / "d.duckdb"
    with Store(path) as store:
        finder = DuplicateFinder(store)
        first = _article(ORIGINAL, "https://a.example/1")
        second = _article(ORIGINAL + " Updated.", "https://b.example/2")
        finder.mark([first, second])  # within one batch, before anything is stored
        assert second.duplicate_of == first.id
        store.write([first, second])
    with Store(path) as store:  # a new process: only what the store kept
        third = _article(ORIGINAL + " Updated again.", "https://c.example/3")
        DuplicateFinder(store).mark([third])
        assert third.duplicate_of == first.id


def test_dedup_rewriting_an_article_is_not_a_copy_of_itself(tmp_path: Path) -> None:
    with Store(tmp_path / "d.duckdb") as store:
        finder = DuplicateFinder(store)
        first = _article(ORIGINAL, "https://a.example/1")
        finder.mark([first])
        store.write([first])
        again = _article(ORIGINAL, "https://a.example/1")
        assert DuplicateFinder(store).mark([again]) == []


def test_ingest_stores_copies_with_duplicate_of_and_skips_their_analysis(
    tmp_path: Path, settings: Settings
) -> None:
    with Store(tmp_path / "s.duckdb") as store:
        report = ingest([str(FIXTURES / "reports.jsonl")], store=store, settings=settings)
        assert report.stored == len(REPORTS) and not report.failed
        rows = store.cursor().execute("SELECT url, duplicate_of, record FROM articles").fetchall()
        by_url = {url.rsplit("/", 1)[1]: (dup, json.loads(rec)) for url, dup, rec in rows}
        ids = {name: rec["id"] for name, (_, rec) in by_url.items()}
        copy_dup, copy = by_url["kabul-a-copy"]
        assert copy_dup == ids["kabul-a"] == copy["duplicate_of"]
        assert copy["entities"] == [] and copy["events"] == []
        assert copy["pipeline"]["skipped"]["events"] == f"duplicate of {ids['kabul-a']}"
        assert by_url["goma-b-rewrite"][0] == ids["goma-b"]
        assert by_url["kabul-b"][0] is None and by_url["kabul-b"][1]["events"]
        dups = [name for name, (dup, _) in by_url.items() if dup]
        assert sorted(dups) == ["goma-b-rewrite", "kabul-a-copy"]


def test_eval_dedup_stream_truth_and_scores(tmp_path: Path) -> None:
    from tidings.eval.dedup import evaluate_dedup

    rows = [{"id": f"r{i}", "title": None, "text": t} for i, t in enumerate([ORIGINAL, OTHER])]
    rows += [{"id": "r2", "title": None, "text": ORIGINAL.replace("  ", " ")}]  # a real copy
    stream = build_stream(rows, fraction=1.0, seed=1)
    groups = {sid: g for sid, _, _, g, _ in stream}
    assert groups["r2"] == groups["r0"] != groups["r1"]
    assert {sid for sid, *_ in stream} == {"r0", "r1", "r2", "r0~copy", "r2~copy"}  # r1: too short
    path = tmp_path / "c.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    result = evaluate_dedup(path, Settings(), fraction=1.0, seed=1)
    assert result["precision"] == 1.0 and result["recall"] == 1.0
    assert result["should_flag"] == result["flagged"] == len(stream) - 2


@pytest.mark.parametrize("bad", ["{not json", '{"id": "x"}'])
def test_eval_dedup_reports_the_bad_line(tmp_path: Path, bad: str) -> None:
    from tidings.errors import TidingsError
    from tidings.eval.dedup import evaluate_dedup

    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps({"id": "a", "text": ORIGINAL}) + "\n" + bad + "\n")
    with pytest.raises(TidingsError, match=r"bad.jsonl:2:"):
        evaluate_dedup(path, Settings())
