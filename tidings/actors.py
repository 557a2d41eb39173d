"""Actors of an event, named in ACLED's style, with ACLED's actor-type codes.

ACLED names actors by role and country: "Military Forces of Iraq", "Police
Forces of Kenya", "Protesters (Iraq)", "Rioters (Iraq)", "Civilians (Nigeria)",
"Unidentified Armed Group (Iraq)". The rules here find the role words in the
event's sentences; a named armed group the text gives is used as written.
``inter`` codes: 1 state forces, 2 rebel groups, 3 political militias,
4 identity militias, 5 rioters, 6 protesters, 7 civilians, 8 external/other.
"""

from __future__ import annotations

import re
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
}
# State forces as the ones acting: "troops shelled", "police fired", "an air strike by".
_ACTS = (
    r"(?:\s+\w+){0,2}?\s+(?:killed|shot|attacked|fired|opened|shelled|bombed|struck|launched|"
    r"raided|clashed|fought|arrested|detained|dispersed|used)\b"
)
_STATE = [
    (
        re.compile(rf"\b(?:police|policemen|police officers|gendarmes?|riot police){_ACTS}", re.I),
        "Police Forces of {c}",
    ),
    (
        re.compile(
            rf"\b(?:army|military|troops|soldiers|armed forces|air force|navy|"
            rf"government forces|regime forces|security forces){_ACTS}|"
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
    r"lawmakers?|senator|official's|officials|the government)\b",
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
                 "cpi-maoist": "IN", "naxal": "IN", "ttp": "PK", "adf": "CD"}  # fmt: skip


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


def _named_group(text: str) -> tuple[str, int] | None:
    lowered = text.lower()
    for key, value in NAMED_GROUPS.items():
        if re.search(rf"\b{re.escape(key)}\b", lowered):
            return value
    return None


def _state(text: str, country: str) -> str | None:
    for pattern, template in _STATE:
        if pattern.search(text):
            return template.format(c=country)
    return None


def code_actors(event_type: str, sub_event_type: str, text: str, country: str | None) -> Actors:
    """Actor names and types for an event of this type described by ``text``."""
    c = country or "Unknown"
    state = _state(text, c)
    group = _named_group(text)
    if event_type == "Protests":
        second = f"Police Forces of {c}" if sub_event_type != "Peaceful protest" else None
        return Actors(f"Protesters ({c})", 6, second, 1 if second else None)
    if event_type == "Riots":
        second = f"Police Forces of {c}" if state or re.search(r"\bpolice\b", text, re.I) else None
        return Actors(f"Rioters ({c})", 5, second, 1 if second else None)
    if sub_event_type == "Arrests":
        held = f"Protesters ({c})" if _PROTESTERS.search(text) else f"Civilians ({c})"
        return Actors(state or f"Police Forces of {c}", 1, held, 6 if "Protesters" in held else 7)
    attacker: tuple[str, int]
    if group:
        attacker = group
    elif state and not _UNIDENTIFIED.search(text):
        attacker = (state, 1)
    else:
        attacker = (f"Unidentified Armed Group ({c})", 3)
    target: tuple[str | None, int | None] = (None, None)
    if _GOVERNMENT_TARGET.search(text) and attacker[1] != 1:
        target = (f"Government of {c}", 1)
    elif event_type == "Violence against civilians" or (
        event_type == "Explosions/Remote violence" and _CIVILIANS.search(text) and not state
    ):
        target = (f"Civilians ({c})", 7)
    elif event_type == "Battles":
        if attacker[1] == 1:
            target = (
                group[0] if group else f"Unidentified Armed Group ({c})",
                group[1] if group else 3,
            )
        elif state:
            target = (state, 1)
    return Actors(attacker[0], attacker[1], target[0], target[1])
