from __future__ import annotations

import hashlib
import json

import pytest

from tidings.article import CONTRACT_FIELDS, Article, Entity, canonical_url, make_id


def test_article_id_is_sha1_of_canonical_url() -> None:
    article = Article.from_input(
        "Some text.", url="HTTPS://www.Example.com/news/story/?utm_source=x#top"
    )
    expected = hashlib.sha1(b"https://www.example.com/news/story").hexdigest()
    assert article.id == expected
    assert article.url == "https://www.example.com/news/story"
    assert article.source == "example.com"


def test_article_id_from_normalised_text_ignores_case_and_spacing() -> None:
    assert make_id(url=None, text="Hello   World\n") == make_id(url=None, text="hello world")
    assert make_id(url=None, text="Hello World") != make_id(url=None, text="Hello there")


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("http://example.com:80/a/", "http://example.com/a"),
        ("https://example.com:8443/a", "https://example.com:8443/a"),
        ("https://example.com/a?b=2&a=1&fbclid=zz", "https://example.com/a?a=1&b=2"),
        ("https://example.com", "https://example.com/"),
    ],
)
def test_article_canonical_url(url: str, canonical: str) -> None:
    assert canonical_url(url) == canonical


def test_article_to_dict_has_contract_fields_in_order_and_empty_defaults() -> None:
    record = Article.from_input("Body text here.").to_dict()
    assert list(record)[: len(CONTRACT_FIELDS)] == list(CONTRACT_FIELDS)
    assert record["entities"] == [] and record["places"] == [] and record["events"] == []
    assert record["quotes"] == [] and record["tags"] == [] and record["source_tags"] == []
    assert record["tone"] is None and record["story_id"] is None and record["duplicate_of"] is None
    assert set(record["pipeline"]) >= {"models", "timings", "errors", "dropped", "skipped"}
    json.dumps(record)  # JSON-able


def test_article_roundtrips_through_dict() -> None:
    article = Article.from_input("Body", published="2021-11-08", title="T")
    article.text = "Body"
    article.entities = [Entity("Body", "ORG", 0, 4, "Body Inc")]
    again = Article.from_dict(json.loads(json.dumps(article.to_dict())))
    assert again.to_dict() == article.to_dict()


def test_article_drop_reason_is_data() -> None:
    article = Article.from_input("x")
    article.drop("too_short")
    assert article.dropped == "too_short"
    assert article.to_dict()["pipeline"]["dropped"] == "too_short"
