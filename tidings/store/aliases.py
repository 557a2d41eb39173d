"""One id per real-world entity across articles: the alias table.

Each article's canonical entities (see :mod:`tidings.entities`) are resolved,
at write time and inside the write's transaction, to rows of
``canonical_entities``:

1. an exact alias: the folded name (or, for people, the name without particles:
   "Mustafa al-Kadhimi" = "Mustafa Kadhimi"; for organisations, without "Inc",
   "Ltd"...) already recorded in ``entity_aliases`` for that kind of entity;
2. otherwise a fuzzy match (rapidfuzz) against known names of the same kind that
   share the first or last word: for people, the same name words but one, and
   that one a spelling variant (similarity at least :data:`PERSON_SIMILARITY`,
   both 5+ letters): "Mustafa al-Kadhemi" joins "Mustafa al-Kadhimi"; "Jane
   Smith" never joins "John Smith"; a lone surname never joins anyone;
   for organisations, at least :data:`ORG_SIMILARITY` on names of 10+ letters;
3. otherwise a new entity, its id derived from its kind and name.

The first name an entity was seen under stays its name; every variant seen
(full names for people, all spellings for organisations and places) is added as
an alias. Nothing here is visible to readers until the write commits.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from ..article import Article
from ..entities import PLACE_LABELS, core_tokens, name_key, name_tokens

PERSON_SIMILARITY = 85.0
ORG_SIMILARITY = 95.0
_ORG_SUFFIX = re.compile(
    r"\s+(?:inc|corp|corporation|co|ltd|plc|llc|ag|sa|nv|gmbh|limited|company)$"
)


def kind_of(label: str) -> str:
    """The entity kind ids are kept apart by: PERSON, ORG, PLACE, or the NER label."""
    return "PLACE" if label in PLACE_LABELS else label


def entity_id(kind: str, key: str) -> str:
    return "e" + hashlib.sha1(f"{kind}\x1f{key}".encode()).hexdigest()[:15]


def _keys(kind: str, name: str) -> list[str]:
    key = name_key(name)
    keys = [key]
    if kind == "PERSON":
        core = " ".join(core_tokens(name_tokens(name)))
        if core and core != key:
            keys.append(core)
    elif kind == "ORG":
        bare = _ORG_SUFFIX.sub("", key)
        if bare and bare != key:
            keys.append(bare)
    return keys


def _alias_worthy(kind: str, surface: str) -> bool:
    """Variants that may name the entity in other articles too."""
    tokens = name_tokens(surface)
    if kind == "PERSON":
        return len(core_tokens(tokens)) >= 2  # never a lone surname or a role
    if kind == "ORG" and len(tokens) == 1 and surface.isupper():
        return len(surface) >= 3  # "UN" is too ambiguous to carry across articles
    return bool(tokens)


class AliasResolver:
    """Resolves canonical entity names to ids; holds a name index of known entities.

    Use :meth:`resolve` inside the store's write transaction, then :meth:`commit`
    or :meth:`rollback` with it.
    """

    def __init__(self) -> None:
        self._index: dict[str, dict[str, set[str]]] | None = None  # kind -> word -> ids
        self._names: dict[str, str] = {}  # id -> folded core name
        self._pending: list[tuple[str, str, str]] = []

    def _load(self, con: Any) -> None:
        self._index = defaultdict(lambda: defaultdict(set))
        for eid, kind, name in con.execute(
            "SELECT id, kind, name FROM canonical_entities WHERE kind IN ('PERSON', 'ORG')"
        ).fetchall():
            self._remember(eid, kind, name)

    def _remember(self, eid: str, kind: str, name: str) -> None:
        assert self._index is not None
        tokens = core_tokens(name_tokens(name)) if kind == "PERSON" else name_tokens(name)
        if not tokens:
            return
        self._names[eid] = " ".join(tokens)
        self._index[kind][tokens[0]].add(eid)
        self._index[kind][tokens[-1]].add(eid)

    def resolve(self, con: Any, articles: Sequence[Article]) -> None:
        """Set ``entity_id`` on every named entity mention of ``articles``."""
        from rapidfuzz import fuzz

        if self._index is None:
            self._load(con)
        assert self._index is not None
        groups: dict[tuple[str, str], list[Any]] = defaultdict(list)
        for article in articles:
            for e in article.entities:
                e.entity_id = None
                if e.canonical:
                    groups[(kind_of(e.label), e.canonical)].append(e)
        if not groups:
            return
        wanted = sorted({k for kind, name in groups for k in _keys(kind, name)})
        known: dict[tuple[str, str], str] = {
            (kind, alias): eid
            for kind, alias, eid in con.execute(
                "SELECT kind, alias, entity_id FROM entity_aliases "
                "WHERE alias IN (SELECT unnest(?::VARCHAR[]))",
                [wanted],
            ).fetchall()
        }
        new_entities: list[tuple[str, str, str]] = []
        new_aliases: dict[tuple[str, str], str] = {}
        for (kind, name), mentions in groups.items():
            keys = _keys(kind, name)
            eid = next(
                (
                    known.get((kind, k)) or new_aliases.get((kind, k))
                    for k in keys
                    if known.get((kind, k)) or new_aliases.get((kind, k))
                ),
                None,
            )
            if eid is None and kind in ("PERSON", "ORG"):
                eid = self._fuzzy(kind, name, fuzz)
            if eid is None:
                eid = entity_id(kind, keys[0])
                new_entities.append((eid, kind, name))
                self._pending.append((eid, kind, name))
            for k in keys:
                new_aliases.setdefault((kind, k), eid)
            for e in mentions:
                e.entity_id = eid
                if _alias_worthy(kind, e.text):
                    for k in _keys(kind, e.text):
                        new_aliases.setdefault((kind, k), eid)
        if new_entities:
            cols = [list(c) for c in zip(*new_entities, strict=True)]
            con.execute(
                "INSERT INTO canonical_entities (id, kind, name, first_seen) "
                "SELECT unnest(?), unnest(?), unnest(?), now()::TIMESTAMP "
                "ON CONFLICT (id) DO NOTHING",
                cols,
            )
        rows = [(kind, alias, eid) for (kind, alias), eid in new_aliases.items()]
        rows = [r for r in rows if (r[0], r[1]) not in known]
        if rows:
            cols = [list(c) for c in zip(*rows, strict=True)]
            con.execute(
                "INSERT INTO entity_aliases (kind, alias, entity_id) "
                "SELECT unnest(?), unnest(?), unnest(?) ON CONFLICT (kind, alias) DO NOTHING",
                cols,
            )

    def _fuzzy(self, kind: str, name: str, fuzz: Any) -> str | None:
        assert self._index is not None
        if kind == "PERSON":
            tokens = core_tokens(name_tokens(name))
            if len(tokens) < 2:
                return None
            floor = PERSON_SIMILARITY
        else:
            tokens = name_tokens(name)
            if len("".join(tokens)) < 10:
                return None
            floor = ORG_SIMILARITY
        key = " ".join(tokens)
        candidates = self._index[kind].get(tokens[0], set()) | self._index[kind].get(
            tokens[-1], set()
        )
        best, best_score = None, floor
        for eid in candidates:
            other = self._names[eid]
            other_tokens = other.split()
            if kind == "PERSON":
                score = _one_variant(tokens, other_tokens, fuzz)
            else:
                score = fuzz.ratio(key, other)
            if score >= best_score:
                best, best_score = eid, score
        return best

    def commit(self) -> None:
        """The write committed: new entities join the in-memory name index."""
        if self._index is not None:
            for eid, kind, name in self._pending:
                if kind in ("PERSON", "ORG"):
                    self._remember(eid, kind, name)
        self._pending.clear()

    def rollback(self) -> None:
        self._pending.clear()


def _one_variant(a: Sequence[str], b: Sequence[str], fuzz: Any) -> float:
    """Similarity of two names that differ in exactly one word (0 otherwise)."""
    if len(a) != len(b):
        return 0.0
    differ = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    if len(differ) != 1:
        return 0.0
    x, y = differ[0]
    if min(len(x), len(y)) < 5:
        return 0.0
    return float(fuzz.ratio(x, y))
