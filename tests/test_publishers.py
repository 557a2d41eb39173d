"""What tidings learns of each publisher, in memory and kept by the store."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tidings.article import Article
from tidings.article import Place as PlaceRecord
from tidings.ingest import ingest
from tidings.publishers import Lesson, SourceHomes, lesson
from tidings.settings import Settings
from tidings.store import Store

_TEXT = "Police in Athens, Texas, said on Monday."


def _town(
    admin1: str = "Texas",
    *,
    geonameid: int | None = 1,
    feature: str = "PPL",
    score: float = 1.0,
    country: str = "US",
) -> Lesson | None:
    """The lesson of an article whose "Athens" (at 10:16) is the given place."""
    record = PlaceRecord(name="Athens", geonameid=geonameid, country=country, admin1=admin1,
                         feature=feature, mentions=[[10, 16]], score=score)  # fmt: skip
    return lesson(_TEXT, [record])


def test_lesson_keeps_surely_placed_towns_and_divisions_not_capitals() -> None:
    assert _town() == Lesson(frozenset({("US", "texas")}), frozenset({("athens", 1)}))
    # Sure enough for the lexicon, not to say where the paper is.
    assert _town(score=0.85) == Lesson(frozenset(), frozenset({("athens", 1)}))
    assert _town(score=0.7) is None  # unsure answers teach nothing
    assert _town(feature="PPLC") is None  # everyone's news names capitals
    assert _town(feature="STRT") is None and _town(admin1="") is None
    # A span outside the text (a hand-made record) is no name.
    bad = PlaceRecord(name="X", geonameid=2, country="US", admin1="Ohio", feature="PPL",
                      mentions=[[90, 95]], score=1.0)  # fmt: skip
    assert lesson(_TEXT, [bad]) == Lesson(frozenset({("US", "ohio")}), frozenset())


def test_source_homes_lexicon_keeps_one_sure_sense_per_name() -> None:
    homes = SourceHomes()
    homes.learn("a.com", _town(score=0.7))
    assert homes.lexicon("a.com") == {}
    homes.learn("a.com", _town(score=0.85))
    assert homes.lexicon("a.com") == {"athens": 1}
    assert homes.home("a.com") is None  # not sure enough to say where the paper is
    homes.learn("a.com", _town(geonameid=2))
    assert homes.lexicon("a.com") == {}  # two senses, once each: neither
    homes.learn("a.com", _town(geonameid=2))
    assert homes.lexicon("a.com") == {"athens": 2}
    homes.learn("b.com", _town(feature="PPLC"))
    assert homes.lexicon("b.com") == {} and homes.lexicon(None) == {}


def test_source_homes_need_two_articles_and_a_clear_lead() -> None:
    homes = SourceHomes(limit=2)
    homes.learn("a.com", _town("Indiana"))
    assert homes.home("a.com") is None  # one article is not a home
    homes.learn("a.com", _town("Indiana"))
    assert homes.home("a.com") == ("US", "indiana")
    homes.learn("a.com", _town("Ohio"))
    homes.learn("a.com", _town("Ohio"))
    assert homes.home("a.com") is None  # a tie says nothing
    homes.learn("a.com", _town("Ohio", score=0.5))  # an unsure answer is not learnt
    assert homes.home("a.com") is None
    homes.learn("b.com", _town("Texas"))
    homes.learn("c.com", _town("Texas"))
    assert homes.home("a.com") is None and homes.home(None) is None  # a.com forgotten
    assert homes.known() == 2


def _article(article_id: str, source: str | None, admin1: str, **kw: object) -> Article:
    a = Article(id=article_id, text=_TEXT, source=source, **kw)  # type: ignore[arg-type]
    a.places = [PlaceRecord(name="Athens", geonameid=4671545, country="US", admin1=admin1,
                            feature="PPL", mentions=[[10, 16]], score=1.0)]  # fmt: skip
    return a


def test_store_keeps_what_publishers_taught(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    with Store(path) as store:
        store.write([_article("a1", "a.com", "Texas"), _article("a2", "a.com", "Texas")])
        store.write([_article("a1", "a.com", "Texas")])  # a rewrite teaches nothing new
        store.write([_article("c1", "a.com", "Texas", duplicate_of="a1"),  # a copy neither
                     _article("n1", None, "Texas"), _article("b1", "b.com", "Ohio")])  # fmt: skip
    with Store(path) as reopened:  # a new process
        homes = reopened.publisher_memory()
        assert homes.known() == 2
        assert homes.home("a.com") == ("US", "texas")
        assert homes.lexicon("a.com") == {"athens": 4671545}
        assert homes.home("b.com") is None  # one article is not a home
        assert reopened.publisher_memory(limit=1).home("a.com") is None  # b.com is newer
        rows = reopened.cursor().execute("SELECT * FROM publisher_names").fetchall()
    assert sorted((s, k, n) for s, k, _, n in rows) == [("a.com", "athens", 2),
                                                        ("b.com", "athens", 1)]  # fmt: skip


def test_store_failed_write_keeps_no_lesson(tmp_path: Path) -> None:
    with Store(tmp_path / "s.duckdb") as store:

        def fail(con: object) -> None:
            con.execute("SELECT * FROM no_such_table")  # type: ignore[attr-defined]

        with pytest.raises(Exception, match="no_such_table"):
            store.write([_article("a1", "a.com", "Texas")], also=fail)
        assert store.publisher_memory().known() == 0
        assert store.count() == 0


def _wire(path: Path, texts: list[str], source: str) -> Path:
    with path.open("w") as f:
        for text in texts:
            f.write(json.dumps({"text": text, "source": source, "published": "2024-03-04"}) + "\n")
    return path


@pytest.mark.parametrize(
    ("learn", "workers"),
    [(True, 1), (False, 1), pytest.param(True, 2, marks=pytest.mark.slow)],
)
def test_ingest_starts_from_what_earlier_runs_learnt(
    tmp_path: Path, settings: Settings, learn: bool, workers: int
) -> None:
    # A paper placed its "Athens" in Texas in yesterday's run; today's run, a new
    # pipeline (in each worker process), still knows (with the memory off: the
    # capital of Greece).
    settings = settings.replace(source_homes=learn, dedup=False, workers=workers, batch_size=1)
    first = _wire(tmp_path / "day1.jsonl", [
        "Athens police arrested a Henderson County man on Monday after a chase through "
        "Athens, Texas."], "henderson-review.com")  # fmt: skip
    council = "The Athens City Council was given a budget update on Tuesday evening."
    second = _wire(tmp_path / "day2.jsonl", [council], "henderson-review.com")
    other = _wire(tmp_path / "other.jsonl", [council + " Again."], "another-paper.com")
    with Store(tmp_path / "s.duckdb") as store:
        assert ingest([str(first)], store=store, settings=settings).stored == 1
    with Store(tmp_path / "s.duckdb") as store:
        assert ingest([str(second), str(other)], store=store, settings=settings).stored == 2
        countries = dict(
            store.cursor()
            .execute(
                "SELECT a.source, p.country FROM places p JOIN articles a ON a.id = p.article_id "
                "WHERE p.name = 'Athens' AND a.text LIKE '%City Council%'"
            )
            .fetchall()
        )
    assert countries == {"henderson-review.com": "US" if learn else "GR",
                         "another-paper.com": "GR"}  # fmt: skip


def test_service_starts_from_what_earlier_runs_learnt(tmp_path: Path, settings: Settings) -> None:
    # The service's intake worker, started over a store an earlier ingest filled.
    from fastapi.testclient import TestClient

    from tidings.service import create_app

    settings = settings.replace(dedup=False, api_token="token-1")
    first = _wire(tmp_path / "day1.jsonl", [
        "Athens police arrested a Henderson County man on Monday after a chase through "
        "Athens, Texas."], "henderson-review.com")  # fmt: skip
    with Store(tmp_path / "s.duckdb") as store:
        ingest([str(first)], store=store, settings=settings)
    app = create_app(settings, db=str(tmp_path / "s.duckdb"))
    with TestClient(app) as client:
        r = client.post(
            "/api/articles",
            json={"text": "The Athens City Council was given a budget update on Tuesday.",
                  "source": "henderson-review.com", "published": "2024-03-05"},
            headers={"Authorization": "Bearer token-1"},
        )  # fmt: skip
        seq = r.json()["accepted"][0]["seq"]
        deadline = time.monotonic() + 60
        while (row := client.get(f"/api/intake/{seq}").json())["status"] == "pending":
            assert time.monotonic() < deadline, row
            time.sleep(0.1)
        record = client.get(row["article_url"]).json()
        listed = client.get("/api/publishers").json()["items"]
        shown = client.get("/api/publishers/henderson-review.com").json()
        missing = client.get("/api/publishers/nobody.example")
    assert {p["name"]: p["country"] for p in record["places"]}["Athens"] == "US"
    # What the store learnt, as the API shows it: the first article placed Athens in
    # Texas surely (the council's, placed by the lexicon alone, is not sure enough).
    assert [p["source"] for p in listed] == ["henderson-review.com"]
    athens = next(n for n in shown["lexicon"] if n["name"] == "athens")
    assert (athens["place"], athens["admin1"], athens["articles"]) == ("Athens", "Texas", 1)
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200", "TIDINGS_CONFIG": ""}
    env.pop("TIDINGS_DB", None)
    return subprocess.run([sys.executable, "-m", "tidings.cli", *args],
                          capture_output=True, text=True, env=env, timeout=300)  # fmt: skip


def test_cli_lists_shows_and_forgets_what_a_publisher_taught(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    with Store(db) as store:
        store.write([_article("a1", "a.com", "Texas"), _article("a2", "a.com", "Texas")])
    listed = _cli("publishers", "list", "--db", str(db), "--format", "json")
    assert listed.returncode == 0, listed.stderr
    [row] = json.loads(listed.stdout)
    assert (row["source"], row["articles"], row["names"]) == ("a.com", 2, 1)
    assert row["home"] == {"country": "US", "admin1": "texas"}
    shown = _cli("publishers", "show", "a.com", "--db", str(db))
    assert shown.returncode == 0, shown.stderr
    lexicon = json.loads(shown.stdout)["lexicon"]
    assert lexicon == [{"name": "athens", "geonameid": 4671545, "place": "Athens",
                        "admin1": "Texas", "country": "US", "articles": 2}]  # fmt: skip
    missing = _cli("publishers", "show", "b.com", "--db", str(db))
    assert missing.returncode != 0 and "nothing of 'b.com'" in missing.stderr
    assert _cli("publishers", "forget", "a.com", "--db", str(db)).returncode == 0
    assert _cli("publishers", "forget", "a.com", "--db", str(db)).returncode != 0
    assert json.loads(_cli("publishers", "list", "--db", str(db), "--format", "json").stdout) == []


def test_store_keeps_a_bounded_number_of_names_per_publisher(tmp_path: Path) -> None:
    from tidings.publishers import STORED_NAMES

    text = " ".join(f"T{i:04d}" for i in range(STORED_NAMES + 50))
    article = Article(id="a1", text=text, source="big.com")
    article.places = [
        PlaceRecord(name=f"T{i:04d}", geonameid=10_000 + i, country="US", admin1="Ohio",
                    feature="PPL", mentions=[[6 * i, 6 * i + 5]], score=1.0)
        for i in range(STORED_NAMES + 50)
    ]  # fmt: skip
    seen_twice = Article(id="a2", text=text, source="big.com", places=article.places[:10])
    with Store(tmp_path / "s.duckdb") as store:
        store.write([seen_twice])
        store.write([article])
        names = (
            store.cursor()
            .execute("SELECT name_key, articles FROM publisher_names WHERE source = 'big.com'")
            .fetchall()
        )
        other = _article("o1", "other.com", "Texas")
        store.write([other])
        assert store.publisher_memory().lexicon("other.com") == {"athens": 4671545}
    # The most used half is kept: the ten names two articles taught are among it.
    assert len(names) == STORED_NAMES // 2
    assert {k for k, n in names if n == 2} == {f"t{i:04d}" for i in range(10)}


def test_store_older_than_the_memory_says_so_when_read_only(tmp_path: Path) -> None:
    from tidings.errors import StoreError

    path = tmp_path / "old.duckdb"
    with Store(path) as store:  # back to the schema before 0009
        con = store.connection()
        for table in ("publishers", "publisher_divisions", "publisher_names"):
            con.execute(f"DROP TABLE {table}")
        con.execute("DELETE FROM schema_migrations WHERE name LIKE '0009%'")
    with Store(path, read_only=True) as old, pytest.raises(StoreError, match="predates"):
        old.publishers_seen()
    listed = _cli("publishers", "list", "--db", str(path))
    assert listed.returncode == 1 and "predates the publisher memory" in listed.stderr
    with Store(path) as migrated:  # opened for writing: migrated, and empty
        assert migrated.publishers_seen() == []
