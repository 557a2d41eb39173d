from __future__ import annotations

from pathlib import Path

import pytest

from tidings.boilerplate import normalise, strip_furniture

FIXTURES = Path(__file__).parent / "fixtures"


def test_boilerplate_strips_caption_photo_title_byline_and_trailers() -> None:
    result = strip_furniture((FIXTURES / "caption-and-footer.txt").read_text())
    text = result.text
    assert result.title == "Flooding Forces Thousands From Homes in Northern Town"
    assert text.startswith(
        "Flooding Forces Thousands From Homes in Northern Town\n\nThousands of people"
    )
    for furniture in (
        "Getty Images",
        "FEBRUARY 9",
        "carry an elderly woman",
        "By Claire Dunmore",
        "Share this article",
        "Tags",
        "Advertisement",
        "Real Time Analytics",
    ):
        assert furniture not in text
    assert '"We have never seen water rise this fast," said Mayor Hannah Croft.' in text
    assert result.source_tags == ["Floods", "Weather", "England"]
    assert result.removed["caption"] == 2


def test_boilerplate_keeps_plain_news_untouched() -> None:
    raw = (FIXTURES / "plain-news.txt").read_text()
    result = strip_furniture(raw)
    # "Photos by local residents, ..." is a body sentence, not a credit.
    assert result.removed == {}
    assert result.text == normalise(raw).strip().replace("\n\n\n", "\n\n")


def test_boilerplate_tags_on_the_next_line_and_everything_after_is_dropped() -> None:
    raw = (
        "Headline Here\n\nA sentence of the story, long enough.\n\n"
        "Tags\nDrone, Protests\nReal Time Analytics"
    )
    result = strip_furniture(raw)
    assert result.source_tags == ["Drone", "Protests"]
    assert result.text == "Headline Here\n\nA sentence of the story, long enough."


def test_boilerplate_related_block_at_the_end_is_dropped() -> None:
    raw = (
        "Story Title\n\nFirst paragraph of the story.\n\nSecond paragraph of the story.\n\n"
        "Third paragraph.\n\nRelated articles\nSomething else entirely\nAnother headline"
    )
    text = strip_furniture(raw).text
    assert "Related" not in text and "Another headline" not in text
    assert text.endswith("Third paragraph.")


def test_boilerplate_long_paragraph_keeps_body_and_trims_credit() -> None:
    body = "Officials inspected the damaged bridge on Monday, the ministry said. " * 8
    text = strip_furniture("Title Of Story\n\n" + body + "Photo by Ana Ruiz/Reuters").text
    assert "Officials inspected the damaged bridge" in text
    assert "Ana Ruiz" not in text


def test_boilerplate_rejoins_hard_wrapped_lines() -> None:
    raw = "Title Line\n\nThe minister said the\nplan would go ahead\nnext year.\n\nNext paragraph."
    assert (
        strip_furniture(raw).text
        == "Title Line\n\nThe minister said the plan would go ahead next year.\n\nNext paragraph."
    )


def test_boilerplate_given_title_is_not_redetected() -> None:
    result = strip_furniture("First line of body text is here\n\nMore body.", title="Feed Title")
    assert result.title == "Feed Title"
    assert result.text.startswith("First line of body text is here")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a\u00a0b", "a b"),
        ("zero\u200bwidth", "zerowidth"),
        ("cr\r\nlf", "cr\nlf"),
        ("  spaced   out  ", "spaced out"),
        ("ctrl\x07char", "ctrl char"),
        ("cafe\u0301", "café"),
    ],
)
def test_boilerplate_normalise(raw: str, expected: str) -> None:
    assert normalise(raw) == expected
