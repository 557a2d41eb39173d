"""Actors of an event, named in ACLED's style, with ACLED's actor-type codes.

ACLED names actors by role and country: "Military Forces of Iraq", "Police
Forces of Kenya", "Protesters (Iraq)", "Rioters (Iraq)", "Civilians (Nigeria)",
"Unidentified Armed Group (Iraq)". The rules here find the role words in the
event's sentences and who acts; a well-known armed group takes ACLED's name for
it, and a country's forces named by nationality ("Turkish warplanes") are that
country's wherever the event is.
``inter`` codes: 1 state forces, 2 rebel groups, 3 political militias,
4 identity militias, 5 rioters, 6 protesters, 7 civilians, 8 external/other.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

# Well-known non-state armed groups: name → (ACLED-style name, inter).
NAMED_GROUPS: dict[str, tuple[str, int]] = {
    "islamic state": ("Islamic State", 2),
    "isis": ("Islamic State", 2),
    "isil": ("Islamic State", 2),
    "daesh": ("Islamic State", 2),
    "taliban": ("Taliban", 2),
    "al-shabaab": ("Al Shabaab", 2),
    "al shabaab": ("Al Shabaab", 2),
    "boko haram": ("Boko Haram", 2),
    "houthi": ("Ansar Allah (Houthi)", 2),
    "houthis": ("Ansar Allah (Houthi)", 2),
    "hamas": ("Hamas", 2),
    "hezbollah": ("Hezbollah", 2),
    "al-qaeda": ("Al Qaeda", 2),
    "pkk": ("PKK: Kurdistan Workers Party", 2),
    "farc": ("FARC", 2),
    "eln": ("ELN: National Liberation Army", 2),
    "wagner": ("Wagner Group", 8),
    "m23": ("M23: March 23 Movement", 2),
    "jnim": ("JNIM: Group for Support of Islam and Muslims", 2),
    "group for support of islam and muslims": ("JNIM: Group for Support of Islam and Muslims", 2),
    "iswap": ("Islamic State (West Africa)", 2),
    "islamic state west africa province": ("Islamic State (West Africa)", 2),
    "islamic state in west africa": ("Islamic State (West Africa)", 2),
    "isgs": ("Islamic State (Greater Sahara)", 2),
    "islamic state in the greater sahara": ("Islamic State (Greater Sahara)", 2),
    "new people's army": ("NPA: New People's Army", 2),
    "npa": ("NPA: New People's Army", 2),
    "arakan army": ("AA: Arakan Army", 2),
    "hayat tahrir al-sham": ("Hayat Tahrir al Sham", 2),
    "hts": ("Hayat Tahrir al Sham", 2),
    "syrian democratic forces": ("QSD: Syrian Democratic Forces", 2),
    "allied democratic forces": ("ADF: Allied Democratic Forces", 2),
    "adf": ("ADF: Allied Democratic Forces", 2),
    "maoists": ("CPI (Maoist): Communist Party of India (Maoist)", 2),
    "cpi (maoist)": ("CPI (Maoist): Communist Party of India (Maoist)", 2),
    "naxals": ("CPI (Maoist): Communist Party of India (Maoist)", 2),
    "aqap": ("Al Qaeda in the Arabian Peninsula", 2),
    "al-qaeda in the arabian peninsula": ("Al Qaeda in the Arabian Peninsula", 2),
    "pakistani taliban": ("TTP: Tehreek-i-Taliban Pakistan", 2),
    "tehreek-e-taliban pakistan": ("TTP: Tehreek-i-Taliban Pakistan", 2),
    "ttp": ("TTP: Tehreek-i-Taliban Pakistan", 2),
    "rapid support forces": ("Rapid Support Forces", 2),
    "ambazonian separatists": ("Ambazonian Separatists", 2),
}
# Any of them, the longest first where several begin at one place.
_GROUP_NAMES = re.compile(
    r"(?<![\w-])(?:"  # not "pro-Houthi forces" (Yemen's own factions, for ACLED)
    + "|".join(re.escape(k) for k in sorted(NAMED_GROUPS, key=len, reverse=True))
    + r")(?!\w)",  # "a Taliban-planted mine"
    re.I,
)
# What an armed party does: "troops shelled", "Ukrainian forces fired", "police arrested".
_ACT_VERBS = (
    r"killed|shot|attacked|fired|opened|shelled|bombed|struck|launched|raided|clashed|fought|"
    r"arrested|detained|dispersed|used|targeted|conducted|carried out|seized|intercepted|"
    r"stormed|ambushed|abducted|kidnapped|looted|burned|torched|demolished|hit|beat|injured|"
    r"wounded|captured|advanced|bombarded|entered|destroyed|exchanged|recaptured|retook|"
    r"regained|took back|liberated"
)
# Not a passive between a party and the verb: "soldiers were killed" is done to them.
_PASSIVE = r"(?!(?:was|were|been|being|is|are|got|get)\b)"
# State forces as the ones acting: "troops shelled", "police fired", "an air strike by",
# "arrested by the police".
_ACTS = rf"(?:\s+{_PASSIVE}\w+){{0,2}}?\s+(?:{_ACT_VERBS})\b"
_BY = r"\bby\s+(?:the\s+)?"
_POLICE = r"(?:police|policemen|police officers|gendarmes?|riot police)"
_MILITARY = (
    r"(?:army|military|troops|soldiers|armed forces|air force|navy|government forces|"
    r"regime forces|security forces)"
)
_STATE = [
    (re.compile(rf"\b{_POLICE}{_ACTS}|{_BY}{_POLICE}\b", re.I), "Police Forces of {c}"),
    (
        re.compile(
            rf"\b{_MILITARY}{_ACTS}|{_BY}{_MILITARY}\b|\bbetween\s+(?:the\s+)?{_MILITARY}\s+and\b|"
            rf"\b(?:warplanes?|fighter jets?|military aircraft|air ?strikes? by)\b",
            re.I,
        ),
        "Military Forces of {c}",
    ),
]
_UNIDENTIFIED = re.compile(
    r"\b(?:no suspects?|unknown|unidentified|no (?:group|one) (?:has )?claimed|"
    r"not (?:yet )?claimed)\b",
    re.I,
)
_GOVERNMENT_TARGET = re.compile(
    r"\b(?:prime minister|president|minister|governor|mayor|government official|"
    r"lawmakers?|senator|official's|officials|the government)\b"
    # not officials as the source: "local officials said", "according to officials"
    r"(?!\s+(?:\w+\s+)?(?:said|say|says|told|reported|confirmed|added|stated)\b)",
    re.I,
)
_CIVILIANS = re.compile(
    r"\b(?:civilians?|villagers?|residents?|people|children|women|students|worshippers|"
    r"farmers|passengers|journalists?|teachers?|family|families|man|woman|men)\b",
    re.I,
)
_PROTESTERS = re.compile(r"\b(?:protest\w*|demonstrat\w*|rall(?:y|ied|ies)|march\w*)\b", re.I)


# Where a group named without a place most likely fights: its home country.
GROUP_COUNTRY = {"houthi": "YE", "houthis": "YE", "pro-houthi": "YE", "pro-hadi": "YE",
                 "taliban": "AF", "al-shabaab": "SO", "al shabaab": "SO", "boko haram": "NG",
                 "pkk": "TR", "hezbollah": "LB", "hamas": "PS", "farc": "CO", "eln": "CO",
                 "m23": "CD", "sdf": "SY", "qsd": "SY", "ypg": "SY", "gna": "LY", "lna": "LY",
                 "haftar": "LY", "puntland": "SO", "osce smm": "UA", "donbass": "UA",
                 "donbas": "UA", "stc": "YE", "pro-stc": "YE", "amisom": "SO",
                 "cpi-maoist": "IN", "naxal": "IN", "ttp": "PK", "adf": "CD", "iswap": "NG",
                 "new people's army": "PH", "npa": "PH", "arakan army": "MM", "hts": "SY",
                 "hayat tahrir al-sham": "SY", "aqap": "YE", "rapid support forces": "SD",
                 "ambazonian": "CM"}  # fmt: skip


def group_country(text: str) -> str | None:
    """The country a named armed group implies, when the text names one."""
    lowered = text.lower()
    for key, code in GROUP_COUNTRY.items():
        if re.search(rf"(?<![\w-]){re.escape(key)}\b", lowered):
            return code
    return None


@dataclass(frozen=True)
class Actors:
    actor1: str | None
    inter1: int | None
    actor2: str | None
    inter2: int | None


# "IS militants", "an IS attack": the Islamic State by its initials (never "is").
_IS = re.compile(
    r"\bIS(?=\s+(?:militants?|fighters?|attacks?|cells?|members?|insurgents?|gunmen|"
    r"jihadists?|suicide)\b)"
)


def _named_group(text: str) -> tuple[tuple[str, int], int] | None:
    """The first well-known armed group the text names, and where."""
    found = []
    named = _GROUP_NAMES.search(text)
    if named:
        found.append((named.start(), NAMED_GROUPS[named.group().lower()]))
    initials = _IS.search(text)
    if initials:
        found.append((initials.start(), NAMED_GROUPS["islamic state"]))
    if not found:
        return None
    start, group = min(found)
    return group, start


_POLICE_NAMED = re.compile(rf"\b{_POLICE}\b", re.I)
_MILITARY_NAMED = re.compile(rf"\b{_MILITARY}\b", re.I)


def _forces_named(text: str, country: str) -> str | None:
    """The country's own forces the text names, whatever they did (the first named)."""
    police = _POLICE_NAMED.search(text)
    military = _MILITARY_NAMED.search(text)
    if police and (not military or police.start() < military.start()):
        return f"Police Forces of {country}"
    return f"Military Forces of {country}" if military else None


def _state_at(text: str, country: str) -> tuple[str, int] | None:
    """The country's own forces acting in the text, and where."""
    for pattern, template in _STATE:
        m = pattern.search(text)
        if m:
            return template.format(c=country), m.start()
    return None


# A country's forces named by who they are: "Ukrainian forces", "the Myanmar military",
# "Turkish military forces", "Israeli warplanes", "the armed forces of Armenia",
# "Nigeria's army". The nationality decides whose forces (a Turkish strike in Iraq is
# Turkey's), not the place.
_STRIKE_NOUNS = r"artillery|air ?strikes?|air raids?|missiles?|shelling|bombardment"
_FORCE_WORDS = (
    r"forces|troops|soldiers|army|military|air force|navy|police|policemen|police officers|"
    r"gendarmes|gendarmerie|national guard|border guards?|coast guard|snipers?|warplanes?|"
    r"fighter jets|jets|helicopters|drones?|" + _STRIKE_NOUNS
    # the strike named for who struck: "Israeli airstrikes killed ...", "Russian shelling"
)
_STRIKE_NOUN = re.compile(_STRIKE_NOUNS, re.I)
_POLICE_WORDS = {"police", "policemen", "police officers", "gendarmes", "gendarmerie"}
_FORCE_KIND = r"(?:(?:armed|security|government|regime|military|air|naval|special|riot|civil)\s+)"
# The second word of "Afghan National Army", "Israel Defense Forces": part of the force.
_FORCE_NAME_WORDS = {"national", "armed", "security", "royal", "republican", "federal",
                     "border", "special", "defence", "defense", "air", "naval"}  # fmt: skip
_NATIONAL_FORCE = re.compile(
    rf"(?<![\w-])(?P<nat>[A-Z][\w'’-]+(?:\s+[A-Z][a-z][\w'’-]+)?)(?:['’]s)?\s+"
    rf"(?i:(?P<kind>{_FORCE_KIND}{{0,2}})(?P<noun>{_FORCE_WORDS}))\b"
)
_FORCE_OF = re.compile(
    rf"(?i:\b(?P<kind>{_FORCE_KIND}{{0,2}})(?P<noun>forces|army|military|police|troops)\s+of\s+"
    rf"(?:the\s+)?)(?P<nat>[A-Z][\w'’-]+(?:\s+(?:of\s+(?:the\s+)?)?[A-Z][\w'’-]+){{0,3}})"
)
# Acting, right after the party ("Ukrainian forces fired", "the army has shelled"), or
# the agent of a passive ("killed by Israeli forces").
_AGENT_AFTER = re.compile(rf"(?:\s+(?:{_PASSIVE}\w+|\([^)]*\))){{0,3}}?\s+(?:{_ACT_VERBS})\b")
_AGENT_BEFORE = re.compile(r"\bby\s+(?:the\s+)?$")


@dataclass(frozen=True)
class _Party:
    name: str
    start: int
    agent: bool


def _nation_of(words: str, nationality: Callable[[str], str | None]) -> str | None:
    """The country "Ukrainian", "The Ukrainian", "Afghan National" or "Nigeria" stands for."""
    country = nationality(words)
    if country is None and " " in words:
        first, last = words.split(None, 1)
        country = nationality(first) if last.lower() in _FORCE_NAME_WORDS else nationality(last)
    return country


def _national_forces(text: str, nationality: Callable[[str], str | None] | None) -> list[_Party]:
    """The forces of a named country in the text, in order, and whether each acts."""
    if nationality is None:
        return []
    found: list[_Party] = []
    for pattern in (_NATIONAL_FORCE, _FORCE_OF):
        for m in pattern.finditer(text):
            country = _nation_of(m.group("nat"), nationality)
            if country is None:
                continue
            role = (
                "Police Forces" if m.group("noun").lower() in _POLICE_WORDS else "Military Forces"
            )
            agent = (
                bool(_AGENT_AFTER.match(text, m.end()))
                or bool(_AGENT_BEFORE.search(text[: m.start()]))
                # a strike is an act: "a Russian missile strike on Kharkiv killed ..."
                or _STRIKE_NOUN.fullmatch(m.group("noun")) is not None
            )
            found.append(_Party(f"{role} of {country}", m.start(), agent))
    return sorted(found, key=lambda p: p.start)


def code_actors(
    event_type: str,
    sub_event_type: str,
    text: str,
    country: str | None,
    nationality: Callable[[str], str | None] | None = None,
) -> Actors:
    """Actor names and types for an event of this type described by ``text``.

    ``nationality`` names the country a word stands for ("Ukrainian", "Myanmar" →
    "Ukraine", "Myanmar"): a country's forces named so are that country's wherever the
    event is, the first of them that acts is actor 1, and another country's forces the
    text names are the other side ("... fired at the positions of the military forces
    of Azerbaijan")."""
    c = country or "Unknown"
    state_at = _state_at(text, c)
    state = state_at[0] if state_at else None
    named = _named_group(text)
    group, group_at = named if named else (None, None)
    if event_type == "Protests":
        second = f"Police Forces of {c}" if sub_event_type != "Peaceful protest" else None
        return Actors(f"Protesters ({c})", 6, second, 1 if second else None)
    if event_type == "Riots":
        # The forces the rioters met, acting or not ("several security forces were injured").
        second = state or _forces_named(text, c)
        return Actors(f"Rioters ({c})", 5, second, 1 if second else None)
    national = _national_forces(text, nationality)
    if sub_event_type == "Arrests":
        held = f"Protesters ({c})" if _PROTESTERS.search(text) else f"Civilians ({c})"
        force = national[0].name if national else state or f"Police Forces of {c}"
        return Actors(force, 1, held, 6 if "Protesters" in held else 7)
    attacker: tuple[str, int]
    acting = next((p for p in national if p.agent), None)
    if acting is not None and (group_at is None or acting.start < group_at):
        attacker = (acting.name, 1)
    elif (
        state_at
        and group_at is not None
        and state_at[1] < group_at
        and not _UNIDENTIFIED.search(text)
    ):
        attacker = (state_at[0], 1)  # "the military attacked a vehicle carrying IS militants"
    elif group:
        attacker = group
    elif state and not _UNIDENTIFIED.search(text):
        attacker = (state, 1)
    else:
        attacker = (f"Unidentified Armed Group ({c})", 3)
    other = next((p.name for p in national if p.name != attacker[0]), None)
    target: tuple[str | None, int | None] = (None, None)
    if _GOVERNMENT_TARGET.search(text) and attacker[1] != 1:
        target = (f"Government of {c}", 1)
    elif other and event_type in ("Battles", "Explosions/Remote violence"):
        target = (other, 1)
    elif (
        group
        and group[0] != attacker[0]
        and event_type in ("Battles", "Explosions/Remote violence")
    ):
        target = group
    elif event_type == "Violence against civilians" or (
        event_type == "Explosions/Remote violence" and _CIVILIANS.search(text) and not state
    ):
        target = (f"Civilians ({c})", 7)
    elif event_type == "Battles":
        if attacker[1] == 1:
            target = (f"Unidentified Armed Group ({c})", 3)
        elif state:
            target = (state, 1)
    return Actors(attacker[0], attacker[1], target[0], target[1])
