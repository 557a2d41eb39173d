from __future__ import annotations

from pathlib import Path

import pytest

from tidings.article import Article, DateMention, Entity
from tidings.errors import StoreError
from tidings.store import QueryFilters, Store
from tidings.store.migrations import MIGRATIONS


def _article(text: str, *, published: str | None = "2021-11-08", url: str | None = None) -> Article:
    a = Article.from_input(text, published=published, url=url)
    a.text = text
    a.title = text.split(".")[0]
    a.entities = [Entity("Baghdad", "GPE", 0, 7), Entity("CNN", "ORG", 8, 11, "CNN")]
    a.dates = [DateMention("On Sunday", "2021-11-07", 1, 12, 21)]
    return a


@pytest.fixture
def store(tmp_path: Path) -> Store:
    with Store(tmp_path / "t.duckdb") as s:
        yield s


def test_store_migrations_are_named_and_recorded(store: Store) -> None:
    assert store.migrations() == [name for name, _ in MIGRATIONS]


def test_store_reopen_applies_nothing_twice(tmp_path: Path) -> None:
    path = tmp_path / "again.duckdb"
    with Store(path) as s:
        s.write([_article("Baghdad CNN On Sunday something happened.")])
    with Store(path) as s:
        assert s.migrations() == [name for name, _ in MIGRATIONS]
        assert s.count() == 1


def test_store_upsert_is_idempotent(store: Store) -> None:
    a = _article("Baghdad CNN On Sunday something happened.")
    first = store.write([a])
    second = store.write([a])
    assert first.stored == [a.id] and first.updated == []
    assert second.stored == [] and second.updated == [a.id]
    assert store.counts() == {
        "articles": 1,
        "entities": 2,
        "dates": 1,
        "places": 0,
        "events": 0,
        "quotes": 0,
        "tags": 0,
    }
    revision = store.cursor().execute("SELECT revision FROM articles").fetchone()[0]
    assert revision == 2


def test_store_latest_enrichment_wins(store: Store) -> None:
    a = _article("Baghdad CNN On Sunday something happened.")
    store.write([a])
    a.entities = a.entities[:1]
    a.tags = ["Drone"]
    store.write([a])
    assert store.count("entities") == 1
    assert store.get(a.id)["tags"] == ["Drone"]


def test_store_same_article_twice_in_one_batch(store: Store) -> None:
    a = _article("Baghdad CNN On Sunday something happened.")
    result = store.write([a, a])
    assert result.stored == [a.id]
    assert store.count() == 1


def test_store_failed_write_leaves_nothing_half_written(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    import duckdb

    good = _article("Baghdad CNN On Sunday a first thing happened.")
    store.write([good])
    original = Store._insert_children

    def failing(self, table, columns, rows_of, batch):  # type: ignore[no-untyped-def]
        if table == "dates":
            raise duckdb.ConstraintException("simulated failure while writing dates")
        return original(self, table, columns, rows_of, batch)

    monkeypatch.setattr(Store, "_insert_children", failing)
    new = _article("Baghdad CNN On Sunday a second thing happened.")
    changed = _article("Baghdad CNN On Sunday a first thing happened.")
    changed.entities = []
    with pytest.raises(StoreError, match="simulated failure"):
        store.write([new, changed])
    monkeypatch.undo()
    # Neither the new article nor the change to the old one, nor any of their parts.
    assert store.count() == 1
    assert store.get(new.id) is None
    assert store.counts()["entities"] == 2 and store.counts()["dates"] == 1


def test_store_round_trips_the_record(store: Store) -> None:
    a = _article("Baghdad CNN On Sunday something happened.", url="https://example.com/a")
    store.write([a])
    assert store.get(a.id) == a.to_dict()


def test_store_query_filters(store: Store) -> None:
    a = _article("Baghdad CNN On Sunday a drone attack happened.", published="2021-11-08")
    b = _article("Baghdad CNN On Sunday 100% of votes were counted.", published="2021-10-10")
    c = _article("Baghdad CNN a story without a date.", published=None)
    c.entities = [Entity("Kyiv", "GPE", 0, 4)]
    store.write([a, b, c])
    ids = lambda **f: [r["id"] for r in store.query(QueryFilters(**f))]  # noqa: E731
    assert ids() == [a.id, b.id, c.id]  # newest first, undated last
    assert ids(q="drone ATTACK") == [a.id]
    assert ids(q="100%") == [b.id]
    assert ids(q="100_") == []  # % and _ are literal, not wildcards
    assert ids(entity="cnn") == [a.id, b.id]
    assert ids(entity="kyiv") == [c.id]
    assert ids(since="2021-11-01") == [a.id]
    assert ids(until="2021-10-31") == [b.id]
    assert ids(limit=1) == [a.id]


def test_store_quotes_in_query_are_parameters_not_sql(store: Store) -> None:
    store.write([_article("Baghdad CNN On Sunday something happened.")])
    assert store.query(QueryFilters(q="'; DROP TABLE articles; --")) == []
    assert store.count() == 1


def test_store_read_only_refuses_writes(tmp_path: Path) -> None:
    path = tmp_path / "ro.duckdb"
    Store(path).close()
    with Store(path, read_only=True) as s, pytest.raises(StoreError, match="read-only"):
        s.write([_article("Baghdad CNN On Sunday something happened.")])


def test_store_unopenable_path_is_a_store_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(StoreError, match="cannot open store"):
        Store(tmp_path / "file" / "sub.duckdb")


def test_store_full_text_matches_whole_words_and_prefixes(store: Store) -> None:
    a = _article("Baghdad CNN Drones attacked the Green Zone in Zürich-like fashion.")
    b = _article("Baghdad CNN A drone attack was reported.")
    store.write([a, b])
    ids = lambda q: sorted(r["id"] for r in store.query(QueryFilters(q=q)))  # noqa: E731
    assert ids("drone") == [b.id]  # whole words: "drone" is not "drones"
    assert ids("drone*") == sorted([a.id, b.id])  # a prefix
    assert ids("GREEN zone") == [a.id]  # case-insensitive, every word
    assert ids("zürich") == [a.id] and ids("ZÜRICH") == [a.id]
    assert ids("green-zone") == [a.id]  # punctuation splits words
    assert ids("drone zone") == []


def test_store_word_index_follows_updates(store: Store) -> None:
    a = _article("Baghdad CNN Ministers met in Basra.")
    store.write([a])
    a.text, a.title = "Baghdad CNN Ministers met in Mosul.", "Mosul"
    store.write([a])
    assert store.query(QueryFilters(q="basra")) == []
    assert [r["id"] for r in store.query(QueryFilters(q="mosul"))] == [a.id]


def _recount(store: Store) -> set[tuple[str, int, int]]:
    rows = store.cursor().execute(
        "SELECT entity_id, count(*), count(DISTINCT article_id) FROM entities "
        "WHERE entity_id IS NOT NULL GROUP BY entity_id"
    )
    return set(rows.fetchall())


def _kept(store: Store) -> set[tuple[str, int, int]]:
    rows = store.cursor().execute("SELECT * FROM entity_stats WHERE articles > 0")
    return set(rows.fetchall())


def test_store_entity_counts_are_kept_through_rewrites(store: Store) -> None:
    a = _article("Baghdad CNN On Sunday something happened.")
    b = _article("Baghdad CNN reported again.")
    store.write([a, b])
    assert _kept(store) == _recount(store)
    assert sorted((m, n) for _, m, n in _kept(store)) == [(2, 2)]  # CNN (the rest: no id)
    a.entities = [Entity("Mosul", "GPE", 0, 5, "Mosul"), Entity("CNN", "ORG", 6, 9, "CNN")] * 2
    store.write([a])
    assert _kept(store) == _recount(store)
    assert sorted((m, n) for _, m, n in _kept(store)) == [(2, 1), (3, 2)]  # Mosul, CNN


def test_store_migration_backfills_the_word_index(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    with Store(path) as s:
        a = _article("Baghdad CNN Ministers met in Basra.")
        s.write([a])
        con = s.connection()  # back to the schema before 0006
        con.execute("DROP TABLE article_terms; DROP TABLE entity_stats")
        con.execute("DELETE FROM schema_migrations WHERE name LIKE '0006%'")
    with Store(path) as s:
        assert [r["id"] for r in s.query(QueryFilters(q="basra"))] == [a.id]
        assert _kept(s) == _recount(s) != set()
