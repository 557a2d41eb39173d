"""Canonical entities within one article.

NER gives mentions; readers think in entities. This module groups an article's
mentions into entities and gives each mention the entity's ``canonical`` name:

- short forms and variants map to the fullest mention of the same entity
  ("al-Kadhimi", "Al-Kadhimi" → "Mustafa al-Kadhimi"; "Labour" → "Labour
  Party"; "UN" → "United Nations" when the article spells it out);
- two people who share a surname stay two entities ("John Smith", "Jane Smith");
  a bare "Smith" goes to the one mentioned most recently before it;
- headline noise that NER drags into a name is cut off ("Mustafa al-Kadhimi
  Survives" in a headline, when the body says "Mustafa al-Kadhimi");
- a mention NER labels ORG but which is the same name as a person in the
  article ("al-Kadhimi's") becomes PERSON;
- titles are not part of names ("Prime Minister Boris Johnson" → "Boris
  Johnson"), and a role held by exactly one person in the article ("PM Mustafa
  al-Kadhimi") makes "the prime minister" a mention of that person.

Across articles, the store's alias table gives each canonical entity one id
(:mod:`tidings.store.aliases`).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from .article import Entity

NAMED_LABELS = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"}
)
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})

# Name particles: part of a name, but not what makes two names the same person.
PARTICLES = frozenset(
    [
        "al",
        "el",
        "bin",
        "ibn",
        "bint",
        "abu",
        "abd",
        "ben",
        "van",
        "von",
        "der",
        "den",
        "de",
        "da",
        "di",
        "du",
        "le",
        "la",
        "dos",
        "das",
        "del",
        "y",
    ]
)

# Roles that can stand for one person ("the prime minister"), with their variants.
ROLES: dict[str, str] = {
    "prime minister": "prime minister",
    "pm": "prime minister",
    "premier": "prime minister",
    "president": "president",
    "vice president": "vice president",
    "chancellor": "chancellor",
    "foreign minister": "foreign minister",
    "foreign secretary": "foreign secretary",
    "home secretary": "home secretary",
    "defence minister": "defence minister",
    "defense minister": "defence minister",
    "defense secretary": "defence secretary",
    "defence secretary": "defence secretary",
    "secretary of state": "secretary of state",
    "secretary-general": "secretary-general",
    "secretary general": "secretary-general",
    "governor": "governor",
    "mayor": "mayor",
    "king": "king",
    "queen": "queen",
    "pope": "pope",
    "chief executive": "chief executive",
    "ceo": "chief executive",
    "chairman": "chairman",
    "chairwoman": "chairwoman",
    "coach": "coach",
    "manager": "manager",
    "speaker": "speaker",
    "leader": "leader",
}
_ROLE_ALT = "|".join(sorted((re.escape(r) for r in ROLES), key=len, reverse=True))
# A role written right before a name: "Iraqi PM Mustafa al-Kadhimi", "President Biden".
_ROLE_BEFORE = re.compile(rf"\b({_ROLE_ALT})\s+$", re.I)
# A role in apposition after a name: "Mustafa al-Kadhimi, the country's prime minister".
_ROLE_AFTER = re.compile(
    rf"^,\s+(?:the|a|an|[A-Z][\w'’-]*'s|[A-Z][\w'’-]*’s)\s+(?:[\w'’-]+\s+){{0,2}}?({_ROLE_ALT})\b",
    re.I,
)
# A role standing for a person: "the prime minister", "the Iraqi PM", "the country's president".
_ROLE_MENTION = re.compile(
    rf"(?:\b(?:the|The)\s+(?:(?:[A-Z][\w-]+|country's|country’s|nation's|nation’s)\s+)?"
    rf"|^[A-Z][\w-]+\s+)((?i:{_ROLE_ALT}))\b(?!\s+(?:of|for)\b)",
    re.M,
)
# Titles and honorifics in front of a person's name (stripped from canonical names).
_HONORIFIC = re.compile(
    r"^(?:(?:mr|mrs|ms|miss|dr|prof|sir|dame|lord|lady|rev|sen|rep|gov|gen|col|capt|lt|sgt|"
    r"president|prime minister|pm|minister|chancellor|senator|governor|mayor|judge|justice|"
    r"king|queen|prince|princess|pope|sheikh|ayatollah|imam|general|colonel|captain|"
    r"secretary|chairman|coach|officer)\.?\s+)+",
    re.I,
)
_THE = re.compile(r"^the\s+", re.I)
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
_TRAILING = re.compile(r"[\s,.;:!?\"'“”‘’()\[\]-]+$")
_ORG_SUFFIX = re.compile(
    r"\s+(?:inc|corp|corporation|co|ltd|plc|llc|ag|sa|nv|gmbh|limited|company)\.?$", re.I
)
_ACRONYM_SKIP = frozenset({"of", "the", "and", "for", "&", "in", "on", "de", "du", "des"})
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_SENTENCE_END = re.compile(r"[.!?\"”’:]\s*$")


def fold(text: str) -> str:
    """Lower-case, accent-free form of ``text`` (for comparing names)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def name_tokens(text: str) -> tuple[str, ...]:
    """The folded word tokens of a name: "Mustafa al-Kadhimi" → (mustafa, al, kadhimi)."""
    return tuple(_TOKEN.findall(fold(text)))


def name_key(text: str) -> str:
    """A comparison key for a name: folded tokens joined by single spaces."""
    return " ".join(name_tokens(text))


def core_tokens(tokens: Sequence[str]) -> tuple[str, ...]:
    """Tokens that are not name particles ("al", "van", "de")."""
    return tuple(t for t in tokens if t not in PARTICLES)


def clean_surface(text: str, label: str) -> str:
    """The name a mention stands for: no leading "the", possessive, title or trailing dots."""
    s = _TRAILING.sub("", text.strip())
    s = _POSSESSIVE.sub("", s)
    s = _TRAILING.sub("", s)
    if label != "WORK_OF_ART":
        s = _THE.sub("", s)
    if label == "PERSON":
        stripped = _HONORIFIC.sub("", s)
        if name_tokens(stripped):
            s = stripped
    return s.strip()


@dataclass
class _Cluster:
    label: str
    members: list[int] = field(default_factory=list)
    surfaces: Counter[str] = field(default_factory=Counter)
    tokens: set[tuple[str, ...]] = field(default_factory=set)
    positions: list[int] = field(default_factory=list)

    def add(self, index: int, surface: str, start: int) -> None:
        self.members.append(index)
        self.surfaces[surface] += 1
        self.tokens.add(name_tokens(surface))
        self.positions.append(start)

    def absorb(self, index: int, start: int) -> None:
        """Add a mention that counts toward this entity but never names it (an acronym)."""
        self.members.append(index)
        self.positions.append(start)

    def canonical(self) -> str:
        """The fullest name; among its spellings the most frequent, body spelling first."""
        by_key: dict[str, Counter[str]] = defaultdict(Counter)
        for surface, count in self.surfaces.items():
            by_key[name_key(surface)][surface] += count
        best = max(
            by_key, key=lambda k: (len(core_tokens(k.split())), len(k), sum(by_key[k].values()))
        )
        spellings = by_key[best]
        return max(spellings, key=lambda s: (spellings[s], -_caps_penalty(s)))


def _caps_penalty(surface: str) -> int:
    """Headline Title Case ("Al-Kadhimi") loses to body spelling on ties; ALL CAPS loses more."""
    if surface.isupper() and len(surface) > 4:
        return 2
    return 0


def _headline_lines(text: str) -> list[tuple[int, int]]:
    """Spans of lines that read as headlines or subheads (no sentence-final punctuation)."""
    spans = []
    pos = 0
    for line in text.split("\n"):
        end = pos + len(line)
        stripped = line.strip()
        if stripped and len(stripped) < 200 and not _SENTENCE_END.search(stripped):
            spans.append((pos, end))
        pos = end + 1
    return spans


def _in_spans(start: int, spans: Sequence[tuple[int, int]]) -> bool:
    """Is ``start`` inside one of ``spans`` (sorted, disjoint)?"""
    i = bisect.bisect_right(spans, (start, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= start < spans[i][1]


def canonicalize(text: str, entities: Sequence[Entity]) -> list[Entity]:
    """Return the article's entities with ``canonical`` names (and role mentions added).

    Mentions whose span carried headline noise or a possessive are trimmed;
    numeric and date mentions keep ``canonical=None``. The input is not modified.
    """
    out = [Entity(e.text, e.label, e.start, e.end, None) for e in entities]
    named = [i for i, e in enumerate(out) if e.label in NAMED_LABELS]
    surfaces: dict[int, str] = {}
    for i in named:
        e = out[i]
        surface = clean_surface(e.text, e.label)
        if not name_tokens(surface):
            continue
        _trim_possessive(text, e)
        surfaces[i] = surface

    _relabel_people(out, surfaces)
    _trim_headline_noise(text, out, surfaces)

    clusters: list[_Cluster] = []
    clusters += _person_clusters(out, surfaces)
    clusters += _org_clusters(out, surfaces)
    clusters += _simple_clusters(out, surfaces, PLACE_LABELS)
    for label in sorted(NAMED_LABELS - PLACE_LABELS - {"PERSON", "ORG"}):
        clusters += _simple_clusters(out, surfaces, frozenset({label}))
    for cluster in clusters:
        name = cluster.canonical()
        for i in cluster.members:
            out[i].canonical = name

    out += _role_mentions(text, out, [c for c in clusters if c.label == "PERSON"])
    out.sort(key=lambda e: (e.start, e.end))
    return out


def _trim_possessive(text: str, e: Entity) -> None:
    m = _POSSESSIVE.search(e.text)
    if m and m.start() > 0 and e.label in ("PERSON", "ORG", "GPE", "NORP"):
        e.end -= len(m.group())
        e.text = text[e.start : e.end] if text[e.start : e.end] else e.text[: m.start()]


def _relabel_people(out: list[Entity], surfaces: dict[int, str]) -> None:
    """A name NER calls PERSON more often than ORG (or a known person's surname) is a PERSON."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    surname_of_person: set[str] = set()
    for i, surface in surfaces.items():
        key = name_key(surface)
        votes[key][out[i].label] += 1
        if out[i].label == "PERSON":
            toks = name_tokens(surface)
            for k in range(1, len(toks)):
                if core_tokens(toks[k:]):
                    surname_of_person.add(" ".join(toks[k:]))
    for i, surface in surfaces.items():
        if out[i].label != "ORG":
            continue
        key = name_key(surface)
        person = votes[key]["PERSON"] + (1 if key in surname_of_person else 0)
        if person > votes[key]["ORG"]:
            out[i].label = "PERSON"


def _trim_headline_noise(text: str, out: list[Entity], surfaces: dict[int, str]) -> None:
    """Cut words NER pulled into a name in a headline when the body names it without them."""
    heads = _headline_lines(text)
    if not heads:
        return
    body_keys: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    for i, surface in surfaces.items():
        if not _in_spans(out[i].start, heads):
            body_keys[out[i].label].add(name_tokens(surface))
    for i, surface in list(surfaces.items()):
        e = out[i]
        if e.label not in ("PERSON", "ORG") or not _in_spans(e.start, heads):
            continue
        toks = name_tokens(surface)
        if toks in body_keys[e.label]:
            continue
        for k in range(len(toks) - 1, 0, -1):
            if toks[:k] in body_keys[e.label] and len(core_tokens(toks[:k])) >= 1:
                cut = _cut_after_tokens(e.text, k)
                if cut is None:
                    break
                e.text = e.text[:cut].rstrip()
                e.end = e.start + len(e.text)
                surfaces[i] = clean_surface(e.text, e.label)
                break


def _cut_after_tokens(surface: str, k: int) -> int | None:
    """Character offset in ``surface`` just after its ``k``-th word token."""
    for n, m in enumerate(_TOKEN.finditer(surface), 1):
        if n == k:
            return m.end()
    return None


def _person_clusters(out: list[Entity], surfaces: dict[int, str]) -> list[_Cluster]:
    people = [i for i in surfaces if out[i].label == "PERSON"]
    full = [i for i in people if len(core_tokens(name_tokens(surfaces[i]))) >= 2]
    short = [i for i in people if i not in set(full)]
    clusters: list[_Cluster] = []
    # Full names: the same folded tokens, or the same first and last name with the
    # shorter's tokens all in the longer ("George Bush" / "George W. Bush").
    for i in sorted(full, key=lambda j: -len(name_tokens(surfaces[j]))):
        toks = name_tokens(surfaces[i])
        home = None
        for c in clusters:
            if any(_same_full_name(toks, other) for other in c.tokens):
                home = c
                break
        if home is None:
            home = _Cluster("PERSON")
            clusters.append(home)
        home.add(i, surfaces[i], out[i].start)
    # Short forms: a surname (or other tail) or, failing that, a first name of exactly
    # one full name; several candidates → the one mentioned last before it.
    leftovers: dict[str, _Cluster] = {}
    for i in sorted(short, key=lambda j: out[j].start):
        toks = core_tokens(name_tokens(surfaces[i]))
        candidates = [c for c in clusters if any(_is_tail(toks, t) for t in c.tokens)]
        if not candidates:
            firsts = [c for c in clusters if any(core_tokens(t)[:1] == toks for t in c.tokens)]
            candidates = firsts if len(firsts) == 1 else []
        if candidates:
            _nearest(candidates, out[i].start).add(i, surfaces[i], out[i].start)
            continue
        key = " ".join(toks)
        if key not in leftovers:
            leftovers[key] = _Cluster("PERSON")
        leftovers[key].add(i, surfaces[i], out[i].start)
    return clusters + list(leftovers.values())


def _same_full_name(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    if a == b:
        return True
    ca, cb = core_tokens(a), core_tokens(b)
    if ca == cb:
        return True
    if ca[0] != cb[0] or ca[-1] != cb[-1]:
        return False
    shorter, longer = (ca, cb) if len(ca) < len(cb) else (cb, ca)
    return set(shorter) <= set(longer)


def _is_tail(short: tuple[str, ...], full: tuple[str, ...]) -> bool:
    core = core_tokens(full)
    return bool(short) and len(short) < len(core) and core[-len(short) :] == short


def _nearest(candidates: list[_Cluster], position: int) -> _Cluster:
    def distance(c: _Cluster) -> tuple[int, int]:
        before = [position - p for p in c.positions if p <= position]
        if before:
            return (0, min(before))
        return (1, min(p - position for p in c.positions))

    return min(candidates, key=distance)


def _org_clusters(out: list[Entity], surfaces: dict[int, str]) -> list[_Cluster]:
    orgs = [i for i in surfaces if out[i].label == "ORG"]
    by_key: dict[str, _Cluster] = {}
    for i in sorted(orgs, key=lambda j: -len(surfaces[j])):
        key = name_key(_ORG_SUFFIX.sub("", surfaces[i]))
        if key not in by_key:
            by_key[key] = _Cluster("ORG")
        by_key[key].add(i, surfaces[i], out[i].start)
    # Acronyms and first words of exactly one longer name join it.
    long_names = {k: c for k, c in by_key.items() if len(k.split()) >= 2}
    merged: set[str] = set()
    for key, cluster in list(by_key.items()):
        if len(key.split()) != 1:
            continue
        surface = next(iter(cluster.surfaces))
        targets = []
        if surface.isupper() and 2 <= len(surface) <= 6:
            targets = [c for k, c in long_names.items() if _initials(k) == key]
        if not targets:
            targets = [c for k, c in long_names.items() if k.split()[0] == key]
        if len(targets) == 1:
            for i, start in zip(cluster.members, cluster.positions, strict=True):
                targets[0].absorb(i, start)
            merged.add(key)
    return [c for k, c in by_key.items() if k not in merged]


def _initials(key: str) -> str:
    return "".join(t[0] for t in key.split() if t not in _ACRONYM_SKIP)


def _simple_clusters(
    out: list[Entity], surfaces: dict[int, str], labels: frozenset[str]
) -> list[_Cluster]:
    by_key: dict[str, _Cluster] = {}
    for i in sorted(surfaces, key=lambda j: out[j].start):
        if out[i].label not in labels:
            continue
        key = name_key(surfaces[i])
        if key not in by_key:
            by_key[key] = _Cluster(out[i].label)
        by_key[key].add(i, surfaces[i], out[i].start)
    return list(by_key.values())


def _role_mentions(text: str, out: list[Entity], people: list[_Cluster]) -> list[Entity]:
    """Mentions like "the prime minister" for a role exactly one person holds in the article."""
    holders: dict[str, set[str]] = defaultdict(set)
    for cluster in people:
        name = out[cluster.members[0]].canonical
        if name is None or len(core_tokens(name_tokens(name))) < 2:
            continue
        for i in cluster.members:
            e = out[i]
            before = _ROLE_BEFORE.search(text, max(0, e.start - 40), e.start)
            if before:
                holders[ROLES[before.group(1).lower()]].add(name)
            titled = _HONORIFIC.match(e.text)
            title = titled.group().strip().rstrip(".").lower() if titled else ""
            if title in ROLES:
                holders[ROLES[title]].add(name)
            after = _ROLE_AFTER.match(text[e.end : e.end + 80])
            if after:
                holders[ROLES[after.group(1).lower()]].add(name)
    if not holders:
        return []
    taken = [(e.start, e.end) for e in out]
    added = []
    for m in _ROLE_MENTION.finditer(text):
        role = ROLES[m.group(1).lower()]
        names = holders.get(role)
        if not names or len(names) != 1:
            continue
        # "the Iraqi prime minister" is one mention; in "Iraqi prime minister releases
        # statement" the demonym is an entity of its own and the role is the mention.
        start = m.start() if m.group().lower().startswith("the") else m.start(1)
        end = m.end()
        if any(a < end and start < b for a, b in taken):
            continue
        added.append(Entity(text[start:end], "PERSON", start, end, next(iter(names))))
    return added
