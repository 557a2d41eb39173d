"""Casualty counts from news sentences: killed (fatalities) and injured.

Numbers come as digits ("12", "1,200") or words ("seven", "twenty-one",
"a dozen", "two dozen", "half a dozen"), with qualifiers ("at least 12", "more
than 20", "all 157": the number given) and ranges ("10 to 15": the lower bound,
as ACLED does). Victims named one by one add up ("a soldier and a civilian
were killed": 2; "killed himself and three others": 4, the bomber counted as
ACLED counts him; "both men", "another injured"). "No one was hurt" is
0; "several", "dozens", "many" are unknown (``None``), never a guess.
A sentence that revises a toll ("the death toll rose to 12") replaces the
earlier figure; otherwise an event's figure is the largest its sentences give
(the same toll is often repeated: in the headline, the lead, a quote).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .numbers import parse_number

_SIMPLE_NUMBER = (
    r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|"
    r"five|six|seven|eight|nine))?|one|two|three|four|five|six|seven|eight|"
    r"nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)"
)
# "two dozen", "three hundred", "half a dozen"
_WORD_NUMBER = (
    rf"(?:half a dozen|(?:a|{_SIMPLE_NUMBER})\s+(?:dozen|hundred)\b|{_SIMPLE_NUMBER}|dozen|hundred)"
)
NUMBER = rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+|{_WORD_NUMBER})"
_QUAL = (
    r"(?:(?:at least|more than|over|nearly|almost|about|around|some|up to|as many as|"
    r"a total of|all)\s+)?"
)
_RANGE = rf"{NUMBER}(?:\s*(?:-|–|to|or)\s*{NUMBER})?"
_WHO_NOUN = (
    r"(?:people|persons|civilians|soldiers|troops|militants|fighters|"
    r"rebels|insurgents|protesters|demonstrators|policemen|police officers|officers|"
    r"members|guards|security guards|children|women|men|villagers|residents|students|"
    r"workers|passengers|worshippers|migrants|refugees|personnel|others|of them|"
    r"security forces|combatants|attackers|gunmen|elements|individuals|persons|bodies|"
    r"person|civilian|soldier|policeman|police officer|officer|member|fighter|militant|"
    r"child|man|woman|boy|girl|guard|farmer|shepherd|journalist|worker|resident|prisoners|"
    r"inmates|suspects|teenagers|victims|relatives|family members|policemen|"
    # a people: "two Palestinians", "three Afghans", "five Israelis"
    r"(?-i:[A-Z][a-z]+(?:ans|is|ese)))"
)
_WHO = (
    rf"(?:[\w-]+\s+){{0,3}}?{_WHO_NOUN}"
    # "2 members of the regime's Air Force Intelligence were killed"
    r"(?:\s+of\s+(?:the\s+)?(?:[\w'’-]+\s+){0,4}?[\w'’-]+)?"
)
_KILL = (
    r"(?:killed|dead|died|slain|shot dead|lost their lives|were killed|have died|perished|"
    r"being killed|beaten to death|stabbed to death|murdered|found dead|shot and killed|"
    r"shot to death|hacked to death|burned to death|burnt to death|executed)"
)
_HURT = r"(?:injured|wounded|hurt|hospitali[sz]ed|hospitalised)"
# One victim named in the singular: "killing the man", "a civilian was shot dead".
_ONE = (
    r"(?:a|an|one|the|his|her|their)\s+(?:[\w'’-]+\s+){0,3}?(?:man|woman|person|civilian|soldier|policeman|"
    r"police officer|officer|child|boy|girl|member|farmer|shepherd|journalist|fighter|"
    r"militant|commander|leader|teacher|student|driver|resident|villager|thief|suspect|"
    r"trader|vendor|businessman|businesswoman|official|activist|politician|youth|priest|"
    r"pastor|imam|chief|doctor|nurse|lawyer|guard|worker|herder|motorist|pedestrian|male|"
    r"female|teenager|teen|inmate|prisoner|victim|husband|wife|son|daughter|father|mother|"
    r"brother|sister|passenger|bystander|relative|friend|neighbou?r|colleague|employee|"
    r"customer|guest|cousin|nephew|uncle|gunman|attacker|assailant|bomber|rebel|insurgent)"
    # "a local leader of Awami League", "a member of the village council"
    r"(?:\s+of\s+(?:the\s+)?(?:[\w'’-]+\s+){0,2}?[\w'’-]+)?"
)
_SINGLE_KILLED = re.compile(
    rf"\b(?:killing|killed|assassinated|murdered|shot dead|shot and killed|beheaded|lynched|"
    rf"executed)\s+{_ONE}\b"
    rf"|\b(?:{_ONE}|he|she)\s+(?:was|has been|had been)\s+(?:(?!not\b|never\b)\w+\s+)?"
    rf"(?:killed|shot dead|beaten to death|stabbed to death|murdered|found dead|assassinated|"
    rf"lynched|shot and killed|shot to death|hacked to death|burned to death|shot and died)\b"
    # "the soldier later died in the hospital", "leaving the driver dead"
    rf"|\b{_ONE}\s+(?:later\s+|also\s+)?died\b"
    rf"|\b(?:leaving|left)\s+{_ONE}\s+dead\b"
    rf"|\bthe body of\b",
    re.I,
)
_PASSIVE = r"(?:were|have been|had been)\s+(?:reportedly\s+|later\s+|also\s+)?"
_NOT_HURT_AFTER = rf"(?!\s+(?:were|was|are|is)\s+(?:\w+\s+)?{_HURT})"
# Two victims named together: "A soldier and a civilian were killed", "killed a teacher
# and two of his students" (1 + 2), "killed himself and three others" (a bomber counts,
# as ACLED counts him), "both men were killed", "killing both".
_PAIRS = [
    (re.compile(rf"\b{_ONE}\s+and\s+{_ONE}\s+{_PASSIVE}{_KILL}\b", re.I), 2, None),
    (re.compile(rf"\b(?:leaving|left)\s+{_ONE}\s+and\s+{_ONE}\s+dead\b", re.I), 2, None),
    (
        re.compile(
            rf"\b(?:killing|killed|shot dead|murdered)\s+{_ONE}\s+and\s+{_ONE}\b{_NOT_HURT_AFTER}",
            re.I,
        ),
        2,
        None,
    ),
    (
        re.compile(
            rf"\b(?:killing|killed|shot dead|murdered)\s+(?:{_ONE}|himself|herself)\s+and\s+"
            rf"{_QUAL}(?P<n>{NUMBER})\s+(?:{_WHO}|others)\b{_NOT_HURT_AFTER}",
            re.I,
        ),
        1,
        "n",
    ),
    (
        re.compile(
            rf"\b{_ONE}\s+and\s+{_QUAL}(?P<n>{NUMBER})\s+{_WHO}\s+{_PASSIVE}{_KILL}\b", re.I
        ),
        1,
        "n",
    ),
]
_BOTH = {
    kind: re.compile(
        rf"\bboth(?:\s+of\s+them)?(?:\s+(?:the\s+)?(?:[\w-]+\s+)?{_WHO_NOUN})?\s+"
        rf"(?:{_PASSIVE})?{verb}\b|\b(?:{lead})\s+both\b",
        re.I,
    )
    for kind, verb, lead in (
        ("fatalities", _KILL, r"killing|killed"),
        ("injured", _HURT, r"injuring|wounding|injured|wounded"),
    )
}
# "One person was killed and another injured": one hurt besides.
_ANOTHER = {
    kind: re.compile(
        rf"\band\s+(?:another|one other)(?:\s+{_WHO_NOUN})?\s+(?:was\s+)?(?:also\s+)?{verb}\b",
        re.I,
    )
    for kind, verb in (("fatalities", r"(?:killed|died|shot dead)"), ("injured", _HURT))
}
_CODED = re.compile(rf"\bfatalities (?:were )?coded as (?P<n>{NUMBER})\b", re.I)


_NOT_NO = r"(?<![Nn]o )(?<![Nn]o-)"
_PATTERNS: list[tuple[str, re.Pattern[str]]] = []
for kind, verb, lead, noun in (
    (
        "fatalities",
        _KILL,
        r"killing|killed|kills|claiming the lives of",
        r"deaths?|fatalit(?:y|ies)|dead|bodies",
    ),
    (
        "injured",
        _HURT,
        r"injuring|wounding|injured|wounded|injures|wounds",
        r"injuries|injured|wounded|casualties",
    ),
):
    _PATTERNS += [
        # "12 people were killed", "at least 12 killed", "one of them was killed"
        (
            kind,
            re.compile(
                rf"{_NOT_NO}\b{_QUAL}(?P<n>{_RANGE})\s+(?:{_WHO}\s+)?"
                rf"(?:were |was |have been |had been |are |being )?"
                rf"(?:reportedly |also |later )?{verb}\b",
                re.I,
            ),
        ),
        # "killing 12 people", "injuring at least three", "killed a family of three"
        (
            kind,
            re.compile(rf"\b(?:{lead})\s+(?:a family of\s+)?{_QUAL}(?P<n>{_RANGE})\b", re.I),
        ),
        # "leaving 12 dead", "left three people wounded"
        (
            kind,
            re.compile(
                rf"\b(?:leaving|left)\s+{_QUAL}(?P<n>{_RANGE})\s+(?:{_WHO}\s+)?{verb}\b", re.I
            ),
        ),
        # "12 fatalities", "seven injuries", "6 rebel fatalities"
        (
            kind,
            re.compile(
                rf"{_NOT_NO}\b{_QUAL}(?P<n>{_RANGE})\s+"
                rf"(?:(?!(?:and|or|of|were|was|are|is|million|billion|thousand|hundred)\b)"
                rf"[a-z][\w-]*\s+)?(?:{noun})\b",
                re.I,
            ),
        ),
    ]
# "leading to the death of one demonstrator", "the deaths of 12 people"
_DEATHS_OF = re.compile(rf"\bdeaths? of {_QUAL}(?P<n>{_RANGE})\b(?! of\b)", re.I)
_TOLL = re.compile(
    rf"\b(?:death toll|toll|number of (?:dead|deaths|injured))\b[^.;]{{0,80}}?"
    rf"\b(?:rose|risen|climbed|"
    rf"increased|reached|stood at|stands at|is|was|now)\b[^.;]{{0,20}}?\b(?P<n>{NUMBER})",
    re.I,
)
_NO_ONE = {
    "injured": re.compile(
        r"\b(?:no one|nobody|none|no people) (?:was|were|has been|had been)? ?"
        r"(?:hurt|injured|wounded|harmed)|\bno (?:injuries|casualties)\b|"
        r"\bwithout (?:any )?injur",
        re.I,
    ),
    "fatalities": re.compile(
        r"\b(?:no one|nobody|none) (?:was|were|has been)? ?(?:killed|died)|"
        r"\bno (?:deaths|fatalities|casualties)\b",
        re.I,
    ),
}


@dataclass
class Counts:
    """Casualties a sentence reports; ``revised`` when it restates a running toll."""

    fatalities: int | None = None
    injured: int | None = None
    revised: bool = False


_RANGE_SEP = re.compile(r"\s*(?:–|\bto\b|\bor\b)\s*|(?<=\d)\s*-\s*(?=\d)|\s+-\s+")


def _first_number(match: re.Match[str]) -> int | None:
    # A range counts by its lower bound ("10 to 15": 10); "twenty-one" is not a range.
    return parse_number(_RANGE_SEP.split(match.group("n"))[0])


_COORDINATED = {
    kind: re.compile(
        rf"{_NOT_NO}\b{_QUAL}(?P<a>{NUMBER})\s+{_WHO}\s+and\s+{_QUAL}(?P<b>{NUMBER})\s+{_WHO}\s+"
        rf"(?:were |have been |had been )?(?:reportedly |also )?{verb}\b",
        re.I,
    )
    for kind, verb in (("fatalities", _KILL), ("injured", _HURT))
}


# A count that is another verb's object: "detained 30 people", "evacuated 200 residents".
_OBJECT_OF = re.compile(
    r"\b(?:detained|arrested|held|rescued|evacuated|displaced|deployed|captured|kidnapped|"
    r"abducted|freed|released|treated|dispersed|sent|mobili[sz]ed)\s+(?:at least\s+|some\s+)?$",
    re.I,
)
_ASIDE = re.compile(
    r",\s+(?:including|among them|most of them|mostly)\s[^,;.]{1,40},"
    # "3 TMF fighters (including the director of the council) dead": no figure inside
    r"|\s*\([^()\d]{1,80}\)"
)


def _counts(pattern: re.Pattern[str], sentence: str) -> Iterator[re.Match[str]]:
    """The pattern's matches, but not one whose count is another verb's object
    ("police detained 30 people and 12 officers were injured": the 30 were detained;
    the search goes on after it, and finds the 12)."""
    at = 0
    while (match := pattern.search(sentence, at)) is not None:
        if _OBJECT_OF.search(sentence, max(0, match.start() - 30), match.start()):
            at = match.start() + 1
            continue
        yield match
        at = max(match.end(), match.start() + 1)


def sentence_counts(sentence: str) -> Counts:
    """The killed and injured figures one sentence gives (None where it gives none)."""
    out = Counts()
    # "Five civilians, including two children, were killed": the aside hides the verb.
    sentence = _ASIDE.sub("", sentence)
    coded = _CODED.search(sentence)
    if coded:  # ACLED's own notes: "Unclear fatalities coded as 10."
        out.fatalities, out.revised = parse_number(coded.group("n")), True
        return out
    toll = _TOLL.search(sentence)
    if toll and re.search(r"toll|dead|deaths", toll.group(0), re.I):
        out.fatalities, out.revised = parse_number(toll.group("n")), True
    for kind, pattern in _PATTERNS:
        if kind == "fatalities" and out.revised:
            continue
        total: int | None = getattr(out, kind)
        for match in _counts(pattern, sentence):
            n = _first_number(match)
            if n is not None and n < 100_000:
                total = n if total is None else max(total, n)
        setattr(out, kind, total)
    for kind, pattern in _COORDINATED.items():
        # "Fourteen fighters and three soldiers were killed": 17 (not "police detained 30
        # people and 12 officers were injured": the 30 were detained).
        for match in _counts(pattern, sentence):
            a, b = parse_number(match.group("a")), parse_number(match.group("b"))
            if a is not None and b is not None:
                setattr(out, kind, max(getattr(out, kind) or 0, a + b))
    for pattern, extra, group in _PAIRS:
        for match in pattern.finditer(sentence):
            n = parse_number(match.group(group)) if group else 0
            if n is not None:
                out.fatalities = max(out.fatalities or 0, n + extra)
    for kind, pattern in _BOTH.items():
        if pattern.search(sentence):
            setattr(out, kind, max(getattr(out, kind) or 0, 2))
    for kind, pattern in _ANOTHER.items():
        if getattr(out, kind) is None and pattern.search(sentence):
            setattr(out, kind, 1)
    if out.fatalities is None and (deaths := _DEATHS_OF.search(sentence)):
        out.fatalities = _first_number(deaths)
    if out.fatalities is None and _SINGLE_KILLED.search(sentence):
        out.fatalities = 1
    for kind, pattern in _NO_ONE.items():
        if getattr(out, kind) is None and pattern.search(sentence):
            setattr(out, kind, 0)
    return out


def combine(counts: list[Counts]) -> tuple[int | None, int | None]:
    """An event's (fatalities, injured) from its sentences' counts, in text order."""
    result: list[int | None] = [None, None]
    for c in counts:
        for i, value in enumerate((c.fatalities, c.injured)):
            if value is None:
                continue
            if c.revised and i == 0:
                result[i] = value
            else:
                result[i] = value if result[i] is None else max(result[i] or 0, value)
    return result[0], result[1]
