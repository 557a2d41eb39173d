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
        assert report.stored == len(REPORTS) and not report.failed and report.copies == 2
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


# -- stories and canonical events over the fixture reports ---------------------------


@pytest.fixture(scope="module")
def story_db(tmp_path_factory: pytest.TempPathFactory, settings: Settings) -> Path:
    path = tmp_path_factory.mktemp("stories") / "s.duckdb"
    with Store(path) as store:
        report = ingest([str(FIXTURES / "reports.jsonl")], store=store, settings=settings)
        assert report.stored == len(REPORTS)
    return path


def _by_name(store: Store) -> dict[str, tuple[str, str | None]]:
    rows = store.cursor().execute("SELECT url, id, story_id FROM articles").fetchall()
    return {url.rsplit("/", 1)[1]: (aid, story) for url, aid, story in rows}


def test_stories_group_reports_of_one_story_across_outlets(story_db: Path) -> None:
    with Store(story_db, read_only=True) as store:
        found = _by_name(store)
    story = {name: s for name, (_, s) in found.items()}
    assert all(story.values())
    assert story["kabul-a"] == story["kabul-a-copy"] == story["kabul-b"] == story["kabul-c"]
    assert story["kabul-d"] != story["kabul-a"]  # six days later: another story
    assert story["nairobi-a"] == story["nairobi-c"]  # the protest four days later
    assert story["goma-a"] == story["goma-b"] == story["goma-b-rewrite"]
    assert story["idlib-a"] == story["idlib-b"]
    assert len({story["kabul-a"], story["nairobi-a"], story["goma-a"], story["chips-a"]}) == 4


def test_events_merge_across_reports_and_keep_the_toll_history(story_db: Path) -> None:
    from tidings.service.stories import get_canonical_event, list_canonical_events

    with Store(story_db, read_only=True) as store:
        found = _by_name(store)
        events = list_canonical_events(store)["items"]
        kabul = [e for e in events if e["country"] == "AF"]
        assert [e["event_date"] for e in kabul] == ["2026-11-26", "2026-11-20"]
        market = get_canonical_event(store, kabul[1]["id"])
        assert market is not None
        reporters = {r["article_id"] for r in market["reports"]}
        # The next day's report of the funerals retells the bombing: a third report of it.
        assert reporters == {found["kabul-a"][0], found["kabul-b"][0], found["kabul-c"][0]}
        assert market["fatalities"] == 12 and market["injured"] == 30  # the latest report
        tolls = [(r["from"], r["to"]) for r in market["revisions"] if r["field"] == "fatalities"]
        assert tolls == [(None, 3), (3, 12)]
        assert all(r["evidence"] for r in market["reports"])  # lineage down to the spans
        protests = sorted(e["event_date"] for e in events if e["country"] == "KE")
        assert protests == ["2026-11-21", "2026-11-25"]  # same place, other day: two events
        nairobi = next(e for e in events if e["event_date"] == "2026-11-21")
        assert nairobi["reports"] == 2
        record = store.get(found["kabul-b"][0])
        assert record is not None and record["events"][0]["event_id"] == market["id"]


def test_stories_and_events_survive_rewrites_and_restarts(
    story_db: Path, tmp_path: Path, settings: Settings
) -> None:
    import shutil

    path = tmp_path / "copy.duckdb"
    shutil.copy(story_db, path)
    with Store(path) as store:
        before = (
            store.cursor()
            .execute(
                "SELECT (SELECT sum(articles) FROM stories), (SELECT sum(reports) FROM "
                "canonical_events), (SELECT count(*) FROM canonical_events)"
            )
            .fetchone()
        )
        ingest([str(FIXTURES / "reports.jsonl")], store=store, settings=settings)  # rewrites
        after = (
            store.cursor()
            .execute(
                "SELECT (SELECT sum(articles) FROM stories), (SELECT sum(reports) FROM "
                "canonical_events), (SELECT count(*) FROM canonical_events)"
            )
            .fetchone()
        )
        assert after == before
        goma_story = _by_name(store)["goma-a"][1]
    late = tmp_path / "late.jsonl"
    late.write_text(
        json.dumps(
            {
                "url": "https://kivu-radio.example/news/goma-late",
                "source": "kivu-radio.example",
                "published": "2026-11-23T12:00:00Z",
                "title": "Calm returns to roads north of Goma after clashes",
                "text": "Soldiers and rebels fought near Goma in eastern Congo on Sunday, "
                "the army said. Nine rebel fighters were killed in the clashes on the road "
                "north of the city. Traders returned to the road on Monday.",
            }
        )
        + "\n"
    )
    with Store(path) as store:  # a new process: the state is all in the store
        ingest([str(late)], store=store, settings=settings)
        found = _by_name(store)
        assert found["goma-late"][1] == goma_story
        reports = (
            store.cursor()
            .execute(
                "SELECT count(*) FROM event_reports r JOIN canonical_events c ON c.id = r.event_id "
                "WHERE c.country = 'CD'"
            )
            .fetchone()[0]
        )
        assert reports == 3 and store.count() == len(REPORTS) + 1
        assert (
            store.cursor()
            .execute("SELECT count(*) FROM canonical_events WHERE country = 'CD'")
            .fetchone()[0]
            == 1
        )


def test_stories_api_and_breaking(story_db: Path, settings: Settings, tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from tidings.service import create_app

    quiet = settings.replace(intake_worker=False, feed_poller=False, api_token="")
    with TestClient(create_app(quiet, db=str(story_db))) as client:
        page = client.get("/api/stories", params={"min_articles": 2}).json()
        titles = {s["title"] for s in page["items"]}
        assert "Blast hits Kabul market" in titles and "Chipmaker raises forecast" not in titles
        assert not any(s["breaking"] for s in page["items"])  # all in the past
        kabul = next(s for s in page["items"] if s["title"] == "Blast hits Kabul market")
        assert kabul["articles"] == 4 and kabul["sources"] == 4
        assert kabul["places"][0]["name"] == "Kabul"
        story = client.get(f"/api/stories/{kabul['id']}").json()
        assert [r["duplicate_of"] is not None for r in story["reports"]].count(True) == 1
        assert story["events"] and story["events"][0]["fatalities"] == 12
        event = client.get(f"/api/canonical-events/{story['events'][0]['id']}").json()
        assert len(event["reports"]) == 3 and len(event["revisions"]) == 3
        assert client.get("/api/stories/nope").json()["error"]["status"] == 404
        assert client.get("/api/canonical-events/nope").status_code == 404
    # Three reports from three outlets in the last hour: a breaking story.
    from datetime import UTC, datetime, timedelta

    now = datetime.now(UTC)
    fresh = tmp_path / "fresh.jsonl"
    with fresh.open("w") as f:
        for i, outlet in enumerate(["a.example", "b.example", "c.example"]):
            text = (
                f"Rescue teams in Valparaiso searched collapsed buildings on report {i} after "
                "a powerful earthquake struck central Chile, officials said. Residents of "
                "Valparaiso slept outdoors as aftershocks shook the port city."
            )
            published = (now - timedelta(minutes=10 * i)).isoformat()
            f.write(json.dumps({"url": f"https://{outlet}/quake", "source": outlet,
                                "published": published, "title": "Quake hits Valparaiso",
                                "text": text}) + "\n")  # fmt: skip
    db = tmp_path / "fresh.duckdb"
    with Store(db) as store:
        ingest([str(fresh)], store=store, settings=settings.replace(dedup=False))
    with TestClient(create_app(quiet, db=str(db))) as client:
        breaking = client.get("/api/stories", params={"breaking": True}).json()["items"]
        assert [s["articles"] for s in breaking] == [3] and breaking[0]["breaking"]


def test_eval_stories_on_the_fixture(settings: Settings) -> None:
    from tidings.eval.stories import evaluate_stories

    result = evaluate_stories(FIXTURES / "reports.jsonl", settings)
    assert result["story_pairs"]["precision"] == 1.0 and result["story_pairs"]["recall"] >= 0.9
    assert result["event_pairs"]["precision"] == 1.0 and result["event_pairs"]["recall"] >= 0.7


def test_dedup_forgets_articles_that_were_not_stored(tmp_path: Path) -> None:
    with Store(tmp_path / "d.duckdb") as store:
        finder = DuplicateFinder(store)
        lost = _article(ORIGINAL, "https://a.example/1")
        finder.mark([lost])  # its write then fails: ingest calls forget
        finder.forget([lost.id])
        later = _article(ORIGINAL, "https://b.example/2")
        assert finder.mark([later]) == [] and later.duplicate_of is None
