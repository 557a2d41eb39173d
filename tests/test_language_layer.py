"""Canonical entities, quotes, tags and tone: own fixtures, each pattern and operator."""

from __future__ import annotations

from pathlib import Path

import pytest

from tidings import Pipeline
from tidings.article import Article, Entity
from tidings.entities import canonicalize
from tidings.quotes import find_quotes
from tidings.store import Store
from tidings.tags import Taxonomy, TaxonomyError
from tidings.tone import tone


def ents(text: str, spans: list[tuple[str, str]]) -> list[Entity]:
    """Entities for (surface, label) pairs, longest first, each at a free occurrence."""
    out: list[Entity] = []
    taken: list[tuple[int, int]] = []
    for surface, label in sorted(spans, key=lambda s: -len(s[0])):
        start = text.find(surface)
        while start >= 0 and any(a < start + len(surface) and start < b for a, b in taken):
            start = text.find(surface, start + 1)
        assert start >= 0, surface
        taken.append((start, start + len(surface)))
        out.append(Entity(surface, label, start, start + len(surface)))
    return sorted(out, key=lambda e: e.start)


def canon(text: str, spans: list[tuple[str, str]]) -> list[Entity]:
    return canonicalize(text, ents(text, spans))


# -- canonical entities ------------------------------------------------------------


def test_short_forms_and_case_variants_map_to_the_full_name() -> None:
    text = (
        "Prime Minister Jacinda Ardern spoke in Wellington. Ardern said the plan works. "
        "Later, ardern's office confirmed it."
    )
    out = canon(
        text,
        [
            ("Jacinda Ardern", "PERSON"),
            ("Wellington", "GPE"),
            ("Ardern", "PERSON"),
            ("ardern's", "ORG"),
        ],
    )
    people = [e for e in out if e.label == "PERSON"]
    assert {e.canonical for e in people} == {"Jacinda Ardern"}
    possessive = next(e for e in out if e.text.lower().startswith("ardern") and e.start > 60)
    assert possessive.label == "PERSON" and possessive.text == "ardern"


def test_two_people_with_the_same_surname_stay_apart() -> None:
    text = (
        "John Smith, a farmer, met Jane Smith, the mayor, on Monday. "
        "Jane Smith said the road would be fixed. Smith, the mayor, added more. "
        "John Smith disagreed. Smith said he would appeal."
    )
    out = canon(
        text,
        [
            ("John Smith", "PERSON"),
            ("Jane Smith", "PERSON"),
            ("Jane Smith", "PERSON"),
            ("Smith", "PERSON"),
            ("John Smith", "PERSON"),
            ("Smith", "PERSON"),
        ],
    )
    names = [e.canonical for e in out if e.label == "PERSON"]
    assert set(names) == {"John Smith", "Jane Smith"}
    # Each bare "Smith" goes to the Smith named last before it.
    bare = [e for e in out if e.text == "Smith"]
    assert [e.canonical for e in bare] == ["Jane Smith", "John Smith"]


def test_headline_noise_is_cut_from_a_name() -> None:
    text = "Rosa Parks Honoured In Alabama\n\nRosa Parks was honoured on Friday."
    out = canon(
        text, [("Rosa Parks Honoured", "PERSON"), ("Alabama", "GPE"), ("Rosa Parks", "PERSON")]
    )
    first = out[0]
    assert first.text == "Rosa Parks" and first.end == len("Rosa Parks")
    assert {e.canonical for e in out if e.label == "PERSON"} == {"Rosa Parks"}


def test_acronym_and_first_word_join_the_full_organisation_name() -> None:
    text = (
        "The World Health Organization warned on Monday. WHO experts travelled. "
        "The Labour Party met; Labour said more."
    )
    out = canon(
        text,
        [
            ("The World Health Organization", "ORG"),
            ("WHO", "ORG"),
            ("The Labour Party", "ORG"),
            ("Labour", "ORG"),
        ],
    )
    assert [e.canonical for e in out] == [
        "World Health Organization",
        "World Health Organization",
        "Labour Party",
        "Labour Party",
    ]


def test_a_role_held_by_one_person_becomes_a_mention_of_them() -> None:
    text = "Finnish PM Sanna Marin spoke. Later the prime minister left Helsinki."
    out = canon(text, [("Finnish", "NORP"), ("Sanna Marin", "PERSON"), ("Helsinki", "GPE")])
    role = next(e for e in out if "prime minister" in e.text)
    assert role.text == "the prime minister" and role.canonical == "Sanna Marin"


def test_an_ambiguous_role_is_left_alone() -> None:
    text = "President Ana Lima met President Rui Costa. The president spoke first."
    out = canon(text, [("Ana Lima", "PERSON"), ("Rui Costa", "PERSON")])
    assert not any(
        "president" in e.text.lower()
        for e in out
        if e.label == "PERSON" and e.canonical and e.text.lower().startswith("the")
    )


# -- quotes ------------------------------------------------------------------------


def people(text: str, *names: str) -> list[Entity]:
    return canonicalize(text, ents(text, [(n, "PERSON") for n in names]))


def test_quote_followed_by_pronoun_attribution_and_via() -> None:
    text = 'Maria Lopez visited the site. "We will rebuild every home," she told CNN on Sunday.'
    e = canonicalize(text, ents(text, [("Maria Lopez", "PERSON"), ("CNN", "ORG")]))
    (q,) = find_quotes(text, e)
    assert q.text == "We will rebuild every home"
    assert (q.speaker, q.via, q.kind) == ("Maria Lopez", "CNN", "direct")
    assert text[q.start : q.end] == q.text


def test_said_name_after_the_quote_and_curly_marks() -> None:
    text = "“The bridge is closed until further notice,” said Tom Berg, the engineer."
    (q,) = find_quotes(text, people(text, "Tom Berg"))
    assert q.speaker == "Tom Berg" and q.text.startswith("The bridge")


def test_role_attribution_resolves_to_the_person() -> None:
    text = (
        "Greek PM Nikos Andreou opened the port. "
        '"This port will serve the whole region for decades," the prime minister said.'
    )
    e = canonicalize(text, ents(text, [("Greek", "NORP"), ("Nikos Andreou", "PERSON")]))
    (q,) = find_quotes(text, e)
    assert q.speaker == "Nikos Andreou"


def test_speaker_before_the_quote_with_colon() -> None:
    text = 'Ana Ruiz told reporters: "The vote was fair and the count was open to all."'
    (q,) = find_quotes(text, people(text, "Ana Ruiz"))
    assert q.speaker == "Ana Ruiz" and q.text.startswith("The vote")


def test_according_to_after_the_quote() -> None:
    text = '"Three roads were washed away by the flood," according to Lena Holm.'
    (q,) = find_quotes(text, people(text, "Lena Holm"))
    assert q.speaker == "Lena Holm"


def test_quote_spanning_sentences_and_paragraphs_is_one_quote() -> None:
    text = (
        'Omar Said spoke at length. "We lost everything. The water came at night.\n\n'
        '"Nobody warned us and nobody came," he said.'
    )
    quotes = [q for q in find_quotes(text, people(text, "Omar Said")) if q.kind == "direct"]
    assert len(quotes) == 1
    assert "We lost everything" in quotes[0].text and "nobody came" in quotes[0].text
    assert quotes[0].speaker == "Omar Said"


def test_partial_quote_inside_a_sentence() -> None:
    text = 'Karin Olsen called the budget "a betrayal of every family in the north" on Monday.'
    (q,) = find_quotes(text, people(text, "Karin Olsen"))
    assert q.text == "a betrayal of every family in the north" and q.speaker == "Karin Olsen"


def test_unattributed_quote_keeps_a_null_speaker() -> None:
    text = 'Officials were unavailable. "Everything is under control and nobody is hurt."'
    (q,) = find_quotes(text, [])
    assert q.speaker is None


def test_scare_quotes_and_titles_are_not_quotes() -> None:
    text = 'The so-called "reform" stalled, and the film "Silent Harbour" opened.'
    assert find_quotes(text, []) == []


def test_indirect_speech() -> None:
    text = "Ida Berg said on Monday that the mine would reopen next spring."
    (q,) = find_quotes(text, people(text, "Ida Berg"))
    assert q.kind == "indirect" and q.speaker == "Ida Berg"
    assert q.text == "the mine would reopen next spring"


def test_a_later_quote_in_the_paragraph_keeps_the_speaker() -> None:
    text = '"We are ready," Paul Weber said. "The trucks leave at dawn with food and water."'
    quotes = find_quotes(text, people(text, "Paul Weber"))
    assert [q.speaker for q in quotes] == ["Paul Weber", "Paul Weber"]


def test_seed_quote_has_kadhimi_via_cnn(seed: Article) -> None:
    q = next(q for q in seed.quotes if q.text.startswith("I was and still am a redemption"))
    assert (q.speaker, q.via, q.kind) == ("Mustafa al-Kadhimi", "CNN", "direct")
    assert q.text.endswith("set the law in place")


def test_seed_canonical_entities(seed: Article) -> None:
    by_label: dict[str, set[str]] = {}
    for e in seed.entities:
        if e.canonical:
            by_label.setdefault(e.label, set()).add(e.canonical)
    assert by_label["PERSON"] == {"Mustafa al-Kadhimi"}
    assert {"CBS News", "CNN", "Huffington Post", "United States Institute of Peace"} <= by_label[
        "ORG"
    ]
    places = by_label.get("GPE", set()) | by_label.get("LOC", set())
    assert {"Iraq", "Baghdad", "Green Zone", "Iran"} <= places
    assert {"Iraqi", "Shiite", "pro-Iran"} <= by_label["NORP"]
    noisy = [e for e in seed.entities if e.label == "PERSON" and "Survives" in e.text]
    assert noisy == []


# -- tags --------------------------------------------------------------------------


def tagged(rules: str, text: str, title: str | None = None, **fields: object) -> dict[str, dict]:
    article = Article(text=text, title=title, **fields)  # type: ignore[arg-type]
    return {r["tag"]: r for r in Taxonomy.parse(rules).apply(article)}


RULES = """
version: 1
tags:
  - tag: Weighted
    keywords: {flood: 2, rain: 1, "river bank*": 2, /\\b\\d+ mm\\b/: 1}
    threshold: 4
  - tag: AllOf
    all: [ferry, {keywords: [sank, capsized]}]
  - tag: AnyOf
    any: [wildfire, bushfire]
  - tag: NotBlock
    keywords: [virus]
    not: [computer virus]
  - tag: Near
    near: {terms: [[minister], [resign*]], within: 3}
  - tag: Caps
    keywords: [UN]
  - tag: Cond
    keywords: [attack]
    country: [IQ]
"""


def test_weighted_keywords_reach_the_threshold_with_evidence() -> None:
    hit = tagged(RULES, "Flood on the river banks after 90 mm of rain; the flood spread.")
    assert "Weighted" in hit
    w = hit["Weighted"]
    assert w["score"] == 2 + 2 + 2 + 1 + 1
    terms = {e["term"] for e in w["evidence"]}
    assert {"flood", "river bank*", "rain"} <= terms
    assert "Weighted" not in tagged(RULES, "Rain fell. A flood warning.")


def test_headline_matches_count_twice() -> None:
    assert "Weighted" in tagged(RULES, "The warning came late.", title="Flood warning")
    assert "Weighted" not in tagged(RULES, "Flood warning came late.")


def test_all_any_not_near_case_and_conditions() -> None:
    assert "AllOf" in tagged(RULES, "The ferry capsized near the port.")
    assert "AllOf" not in tagged(RULES, "The ferry left on time.")
    assert "AnyOf" in tagged(RULES, "A bushfire spread.")
    assert "NotBlock" in tagged(RULES, "The virus spread in the ward.")
    assert "NotBlock" not in tagged(RULES, "A computer virus spread in the office.")
    assert "Near" in tagged(RULES, "The minister will resign tomorrow.")
    assert "Near" not in tagged(RULES, "The minister said many things before the staff resigned.")
    assert "Caps" in tagged(RULES, "The UN met.")
    assert "Caps" not in tagged(RULES, "Tell un of us.")
    assert "Cond" in tagged(RULES, "An attack.", focus={"countries": ["IQ"], "places": []})
    assert "Cond" not in tagged(RULES, "An attack.", focus={"countries": ["FR"], "places": []})


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        ("version: 1\ntags:\n  - tag: A\n    keyword: [x]\n", ":4: tag 'A': unknown key 'keyword'"),
        (
            "version: 1\ntags:\n  - tag: A\n    keywords: ['/(unclosed/']\n",
            ":4: tag 'A': bad regular",
        ),
        ("version: 1\ntags:\n  - tag: A\n    keywords: {x: heavy}\n", "weight must be a number"),
        ("version: 1\ntags:\n  - keywords: [x]\n", ":3: a tag rule needs a 'tag' name"),
        (
            "version: 1\ntags:\n  - tag: A\n    keywords: [x]\n  - tag: A\n    keywords: [y]\n",
            ":5: tag 'A' is defined twice",
        ),
        ("version: 1\ntags: [\n", "invalid YAML"),
        ("version: 2\ntags: []\n", "unsupported version"),
        ("", "empty tag rules file"),
    ],
)
def test_invalid_rules_are_reported_with_line_numbers(rules: str, message: str) -> None:
    with pytest.raises(TaxonomyError, match=message.replace("(", r"\(")):
        Taxonomy.parse(rules, source="rules.yaml")


def test_the_shipped_taxonomy_loads() -> None:
    assert len(Taxonomy.load()) >= 15


def test_seed_tags(seed: Article) -> None:
    assert {
        "Drone",
        "Protests",
        "Assassination attempt",
        "Political violence",
        "Elections",
        "Iraq",
    } <= set(seed.tags)
    drone = next(t for t in seed.tag_evidence if t["tag"] == "Drone")
    assert any(e.get("text", "").lower() == "drone" for e in drone["evidence"])


# -- tone --------------------------------------------------------------------------


def test_tone_scale_and_sign() -> None:
    assert tone("The attack killed ten people and wounded dozens; a deadly day.") < -10
    assert tone("The festival was a wonderful success and everyone enjoyed it.") > 10
    assert tone("The committee meets on Tuesday in the main building.") == 0
    assert tone("") is None


def test_negation_flips_and_names_do_not_count() -> None:
    assert tone("The plan is not good.") < 0
    assert tone("He spoke at the United States Institute of Peace on Tuesday.") == 0


def test_seed_tone_is_clearly_negative(seed: Article) -> None:
    assert seed.tone is not None and seed.tone < -2


# -- entity ids across articles -----------------------------------------------------


def test_alias_table_gives_one_id_across_articles(tmp_path: Path, pipeline: Pipeline) -> None:
    texts = [
        "Mustafa al-Kadhimi met officials in Baghdad on Monday. Al-Kadhimi said talks went well.",
        "Iraq's leader Mustafa al-Kadhemi travelled to Cairo on Tuesday for a summit.",
        "John Smith and Jane Smith opened a bakery in Leeds on Friday.",
        "Joan Smith, a teacher, spoke in York on Saturday about the schools.",
    ]
    with Store(tmp_path / "t.duckdb") as store:
        for text in texts:
            store.write([pipeline.analyze(text, published="2024-05-06")])
        rows = (
            store.cursor()
            .execute("SELECT canonical, entity_id FROM entities WHERE label = 'PERSON'")
            .fetchall()
        )
    ids: dict[str, set[str]] = {}
    for name, eid in rows:
        ids.setdefault(name, set()).add(eid)
    kadhimi = ids["Mustafa al-Kadhimi"] | ids.get("Mustafa al-Kadhemi", set())
    assert len(kadhimi) == 1, ids  # a spelling variant joins the same person
    smiths = {n: next(iter(i)) for n, i in ids.items() if n.endswith("Smith")}
    assert len(set(smiths.values())) == len(smiths) == 3  # John, Jane, Joan: three people


def test_the_person_wins_over_their_organisation_and_a_new_sentence_is_not_attribution() -> None:
    text = (
        '"Prices will fall," Northwind chief economist Ola Dahl told the Daily Ledger. '
        '"Demand is weak everywhere." The central bank said it would wait.'
    )
    e = canonicalize(
        text,
        ents(text, [("Northwind", "ORG"), ("Ola Dahl", "PERSON"), ("the Daily Ledger", "ORG")]),
    )
    quotes = [q for q in find_quotes(text, e) if q.kind == "direct"]
    assert [(q.speaker, q.via) for q in quotes] == [
        ("Ola Dahl", "Daily Ledger"),
        ("Ola Dahl", "Daily Ledger"),
    ]


@pytest.mark.parametrize(
    ("after", "speaker", "via"),
    [
        (", he told reporters.", "Eva Lind", None),
        (", Eva Lind said.", "Eva Lind", None),
        (", said Eva Lind.", "Eva Lind", None),
        (", she said via Radio North.", "Eva Lind", "Radio North"),
        (", Eva Lind told Harbour News.", "Eva Lind", "Harbour News"),
    ],
)
def test_attribution_patterns_after_a_quote(after: str, speaker: str, via: str | None) -> None:
    text = 'Eva Lind arrived at noon. "The dam will hold through the winter"' + after
    spans = [("Eva Lind", "PERSON")] * text.count("Eva Lind")
    spans += [(o, "ORG") for o in ("Radio North", "Harbour News") if o in text]
    e = canonicalize(text, ents(text, spans))
    (q,) = [q for q in find_quotes(text, e) if q.kind == "direct"]
    assert (q.speaker, q.via) == (speaker, via)


def test_quote_offsets_point_at_their_text(seed: Article) -> None:
    assert seed.quotes
    for q in seed.quotes:
        assert seed.text[q.start : q.end] == q.text
    for e in seed.entities:
        if e.label == "PERSON":
            assert seed.text[e.start : e.end] == e.text
