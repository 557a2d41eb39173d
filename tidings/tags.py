"""Tag rules in the style of the Europe Media Monitor's categories.

A taxonomy is a YAML file (the default ships as ``tidings/data/tags.yaml``)::

    version: 1
    tags:
      - tag: Drone
        group: conflict
        description: Attacks and incidents involving drones.
        keywords: {drone: 3, drones: 3, "unmanned aerial": 3, UAV: 3}
        threshold: 3
        not: ["drone music"]

Each tag is a *block*; a block matches when every part it has holds:

``keywords``
    ``{term: weight}`` (or a list: weight 1 each). The score is the sum of
    weight × occurrences (at most ``max_count`` occurrences of a term count;
    default 3); a match in the headline counts :data:`TITLE_WEIGHT` times.
    Weights may be negative. The block needs ``score >= threshold`` (default 1).
``all`` / ``any`` / ``not``
    Lists of terms or nested blocks: all must match / at least one / none.
``near``
    ``{terms: [[a, b], [c, d]], within: 10}``: a term of the first list within
    ``within`` words of a term of the second.
``event_type``, ``sub_event_type``, ``country``, ``entity``, ``source_tag``
    Conditions on the article's analysis (any of the listed values): its
    current events' types, its countries (focus, places and events; ISO
    alpha-2), its canonical entities, the page's own tags.

Terms: a word or phrase, matched as whole words, case-insensitively, where
``terror*`` matches any word starting with "terror"; an all-capitals term of
up to six letters (``UN``, ``IT``, ``AI``) matches only in capitals; ``/regex/``
is a regular expression over the text (case-insensitive).

Rules are validated when loaded; errors name the file and line.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .article import Article
from .entities import fold
from .errors import ConfigError

TITLE_WEIGHT = 2.0
DEFAULT_MAX_COUNT = 3
DEFAULT_PATH = Path(__file__).parent / "data" / "tags.yaml"

BLOCK_KEYS = frozenset(
    {
        "keywords",
        "threshold",
        "max_count",
        "all",
        "any",
        "not",
        "near",
        "event_type",
        "sub_event_type",
        "country",
        "entity",
        "source_tag",
    }
)
TAG_KEYS = BLOCK_KEYS | {"tag", "group", "description"}
CONDITIONS = ("event_type", "sub_event_type", "country", "entity", "source_tag")
_TOKEN = re.compile(r"[^\W_]+")


class TaxonomyError(ConfigError):
    """A taxonomy file is invalid; the message names the file and line."""


# -- terms ---------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """A keyword, phrase, prefix (``word*``) or ``/regex/``."""

    source: str
    words: tuple[str, ...] = ()
    prefix: bool = False
    exact_case: bool = False
    regex: re.Pattern[str] | None = None

    @classmethod
    def parse(cls, source: str) -> Term:
        s = source.strip()
        if len(s) > 2 and s.startswith("/") and s.endswith("/"):
            try:
                return cls(source, regex=re.compile(s[1:-1], re.I))
            except re.error as e:
                raise ValueError(f"bad regular expression {s!r}: {e}") from None
        prefix = s.endswith("*")
        body = s.rstrip("*")
        letters = re.sub(r"\W", "", body)
        exact = body.isupper() and 1 < len(letters) <= 6
        words = tuple(_TOKEN.findall(body if exact else fold(body)))
        if not words:
            raise ValueError(f"term {source!r} has no words")
        return cls(source, words, prefix, exact)


class TextIndex:
    """An article's words, indexed once for all rules: word → positions."""

    def __init__(self, text: str, title: str | None = None) -> None:
        self.text = text
        spans = [(m.start(), m.end()) for m in _TOKEN.finditer(text)]
        head_end = 0
        if title and fold(text[: len(title) + 5]).startswith(fold(title.strip())[:40]):
            head_end = len(title.strip())
        self.title_tokens = 0
        words_raw = [text[a:b] for a, b in spans]
        if title and not head_end:
            extra = [(m.start(), m.end()) for m in _TOKEN.finditer(title)]
            words_raw = [title[a:b] for a, b in extra] + words_raw
            spans = [(-1, -1)] * len(extra) + spans
            self.title_tokens = len(extra)
        else:
            self.title_tokens = sum(1 for a, _ in spans if a < head_end)
        self.raw = words_raw
        self.low = [fold(w) for w in words_raw]
        self.spans = spans
        self.positions: dict[str, list[int]] = defaultdict(list)
        self.exact: dict[str, list[int]] = defaultdict(list)
        for i, (w, lw) in enumerate(zip(words_raw, self.low, strict=True)):
            self.positions[lw].append(i)
            self.exact[w].append(i)
        self.vocab = sorted(self.positions)
        self._cache: dict[Term, list[tuple[int, int]]] = {}

    def find(self, term: Term) -> list[tuple[int, int]]:
        """Matches of ``term`` as (first word index, last word index); regex: char spans."""
        hit = self._cache.get(term)
        if hit is None:
            hit = self._find(term)
            self._cache[term] = hit
        return hit

    def _find(self, term: Term) -> list[tuple[int, int]]:
        if term.regex is not None:
            return [(-(m.start() + 1), -(m.end() + 1)) for m in term.regex.finditer(self.text)]
        first, n = term.words[0], len(term.words)
        table = self.exact if term.exact_case else self.positions
        words = self.raw if term.exact_case else self.low
        if n == 1 and term.prefix:
            lo = bisect.bisect_left(self.vocab, first)
            starts: list[int] = []
            for w in self.vocab[lo:]:
                if not w.startswith(first):
                    break
                starts += self.positions[w]
            return [(i, i) for i in sorted(starts)]
        out = []
        for i in table.get(first, []):
            if i + n > len(words):
                continue
            ok = all(words[i + k] == term.words[k] for k in range(1, n - 1))
            last = words[i + n - 1]
            if n > 1:
                ok = ok and (
                    last.startswith(term.words[-1]) if term.prefix else last == term.words[-1]
                )
            if ok:
                out.append((i, i + n - 1))
        return out

    def char_span(self, match: tuple[int, int]) -> tuple[int, int]:
        a, b = match
        if a < 0:  # regex: char offsets encoded negative
            return -a - 1, -b - 1
        return self.spans[a][0], self.spans[b][1]

    def in_title(self, match: tuple[int, int]) -> bool:
        a = match[0]
        return 0 <= a < self.title_tokens  # regex matches (negative) are never in the title


# -- rules ---------------------------------------------------------------------


@dataclass
class Block:
    keywords: list[tuple[Term, float]] = field(default_factory=list)
    threshold: float = 1.0
    max_count: int = DEFAULT_MAX_COUNT
    all: list[Block] = field(default_factory=list)
    any: list[Block] = field(default_factory=list)
    none: list[Block] = field(default_factory=list)
    near: tuple[list[Term], list[Term], int] | None = None
    conditions: dict[str, frozenset[str]] = field(default_factory=dict)


@dataclass
class Rule:
    tag: str
    block: Block
    group: str | None = None
    description: str = ""
    line: int = 0


@dataclass
class Facts:
    """What conditions test, gathered once per article."""

    event_types: frozenset[str]
    sub_event_types: frozenset[str]
    countries: frozenset[str]
    entities: frozenset[str]
    source_tags: frozenset[str]

    @classmethod
    def of(cls, article: Article) -> Facts:
        current = [e for e in article.events if not e.get("background")]
        countries: set[str] = set(article.focus.get("countries") or [])
        countries |= {p.country for p in article.places if p.country}
        for e in current:
            country = (e.get("location") or {}).get("country")
            if country:
                countries.add(country)
        return cls(
            frozenset(fold(e.get("event_type") or "") for e in current),
            frozenset(fold(e.get("sub_event_type") or "") for e in current),
            frozenset(c.upper() for c in countries if c),
            frozenset(fold(e.canonical) for e in article.entities if e.canonical),
            frozenset(fold(t) for t in article.source_tags),
        )

    def get(self, name: str) -> frozenset[str]:
        return {
            "event_type": self.event_types,
            "sub_event_type": self.sub_event_types,
            "country": self.countries,
            "entity": self.entities,
            "source_tag": self.source_tags,
        }[name]


@dataclass
class Match:
    matched: bool
    score: float = 0.0
    evidence: list[dict[str, Any]] = field(default_factory=list)


def evaluate(block: Block, index: TextIndex, facts: Facts) -> Match:
    """Does ``block`` match the article? With its keyword score and evidence."""
    evidence: list[dict[str, Any]] = []
    score = 0.0
    for term, weight in block.keywords:
        hits = index.find(term)[: block.max_count]
        for hit in hits:
            w = weight * (TITLE_WEIGHT if index.in_title(hit) else 1.0)
            score += w
            start, end = index.char_span(hit)
            evidence.append(
                {
                    "term": term.source,
                    "weight": w,
                    "start": start if start >= 0 else None,
                    "end": end if start >= 0 else None,
                    "text": index.text[start:end] if start >= 0 else "(title)",
                }
            )
    if block.keywords and score < block.threshold:
        return Match(False, score, evidence)
    for name, wanted in block.conditions.items():
        have = facts.get(name)
        if not (have & wanted):
            return Match(False, score, evidence)
        evidence.append({"condition": name, "values": sorted(have & wanted)})
    for sub in block.all:
        m = evaluate(sub, index, facts)
        if not m.matched:
            return Match(False, score, evidence)
        score += m.score
        evidence += m.evidence
    if block.any:
        found = [m for m in (evaluate(sub, index, facts) for sub in block.any) if m.matched]
        if not found:
            return Match(False, score, evidence)
        for m in found:
            score += m.score
            evidence += m.evidence
    for sub in block.none:
        if evaluate(sub, index, facts).matched:
            return Match(False, score, evidence)
    if block.near is not None:
        left, right, within = block.near
        pair = _near(index, left, right, within)
        if pair is None:
            return Match(False, score, evidence)
        evidence.append({"near": pair, "within": within})
    return Match(True, score if block.keywords or score else 1.0, evidence)


def _near(index: TextIndex, left: list[Term], right: list[Term], within: int) -> list[str] | None:
    a_hits = [(h, t) for t in left for h in index.find(t) if h[0] >= 0]
    b_hits = [(h, t) for t in right for h in index.find(t) if h[0] >= 0]
    for a, ta in a_hits:
        for b, tb in b_hits:
            gap = max(b[0] - a[1], a[0] - b[1])
            if gap <= within:
                return [ta.source, tb.source]
    return None


class Taxonomy:
    """A validated list of tag rules."""

    def __init__(self, rules: Sequence[Rule], *, source: str = "<rules>") -> None:
        self.rules = list(rules)
        self.source = source

    def __len__(self) -> int:
        return len(self.rules)

    def apply(self, article: Article) -> list[dict[str, Any]]:
        """Every tag that fires: {tag, group, score, evidence}, best score first."""
        return [r for r in self.explain(article) if r["matched"]]

    def explain(self, article: Article) -> list[dict[str, Any]]:
        """Every rule with its outcome (for ``tidings tags test``)."""
        index = TextIndex(article.text, article.title)
        facts = Facts.of(article)
        results: list[dict[str, Any]] = []
        for rule in self.rules:
            m = evaluate(rule.block, index, facts)
            results.append(
                {
                    "tag": rule.tag,
                    "group": rule.group,
                    "matched": m.matched,
                    "score": round(m.score, 3),
                    "threshold": rule.block.threshold if rule.block.keywords else None,
                    "evidence": m.evidence[:12],
                }
            )
        results.sort(key=lambda r: (not r["matched"], -float(r["score"])))
        return results

    @classmethod
    def load(cls, path: str | Path | None = None) -> Taxonomy:
        """Load and validate a taxonomy file (the shipped default when ``path`` is None)."""
        p = Path(path) if path else DEFAULT_PATH
        try:
            text = p.read_text(encoding="utf-8")
        except OSError as e:
            raise TaxonomyError(f"cannot read tag rules {p}: {e.strerror}") from e
        except UnicodeDecodeError as e:
            raise TaxonomyError(f"{p}: not UTF-8 text ({e.reason})") from e
        return cls.parse(text, source=str(p))

    @classmethod
    def parse(cls, text: str, *, source: str = "<rules>") -> Taxonomy:
        import yaml

        try:
            loader = yaml.SafeLoader(text)
            try:
                root = loader.get_single_node()
            finally:
                loader.dispose()
        except yaml.YAMLError as e:
            mark = getattr(e, "problem_mark", None)
            where = f"{source}:{mark.line + 1}" if mark else source
            problem = getattr(e, "problem", None) or str(e)
            raise TaxonomyError(f"{where}: invalid YAML: {problem}") from None
        return cls(_Builder(source).taxonomy(root), source=source)


class _Builder:
    """Turns YAML nodes into rules, with file:line in every error."""

    def __init__(self, source: str) -> None:
        self.source = source

    def error(self, node: Any, message: str) -> TaxonomyError:
        line = node.start_mark.line + 1 if node is not None else 1
        return TaxonomyError(f"{self.source}:{line}: {message}")

    def scalar(self, node: Any) -> Any:
        import yaml

        if not isinstance(node, yaml.ScalarNode):
            raise self.error(node, "expected a single value")
        return _construct(node)

    def mapping(self, node: Any, what: str) -> list[tuple[Any, Any]]:
        import yaml

        if not isinstance(node, yaml.MappingNode):
            raise self.error(node, f"{what} must be a mapping")
        return node.value

    def taxonomy(self, root: Any) -> list[Rule]:
        import yaml

        if root is None:
            raise TaxonomyError(f"{self.source}:1: empty tag rules file")
        top = dict((self.scalar(k), v) for k, v in self.mapping(root, "the file"))
        unknown = set(top) - {"version", "tags"}
        if unknown:
            raise self.error(
                root, f"unknown top-level key(s) {sorted(unknown)}; valid: tags, version"
            )
        if "version" in top and self.scalar(top["version"]) != 1:
            raise self.error(top["version"], "unsupported version (expected 1)")
        tags = top.get("tags")
        if not isinstance(tags, yaml.SequenceNode):
            raise self.error(tags if tags is not None else root, "'tags' must be a list of rules")
        rules: list[Rule] = []
        seen: dict[str, int] = {}
        for node in tags.value:
            rule = self.rule(node)
            if rule.tag in seen:
                raise self.error(
                    node, f"tag {rule.tag!r} is defined twice (first at line {seen[rule.tag]})"
                )
            seen[rule.tag] = rule.line
            rules.append(rule)
        return rules

    def rule(self, node: Any) -> Rule:
        items = self.mapping(node, "a tag rule")
        keys = {self.scalar(k): (k, v) for k, v in items}
        if "tag" not in keys:
            raise self.error(node, "a tag rule needs a 'tag' name")
        name = str(self.scalar(keys["tag"][1])).strip()
        if not name:
            raise self.error(keys["tag"][1], "empty tag name")
        for key, (knode, _) in keys.items():
            if key not in TAG_KEYS:
                raise self.error(
                    knode,
                    f"tag {name!r}: unknown key {key!r}; valid: {', '.join(sorted(TAG_KEYS))}",
                )
        block = self.block(node, name, allowed=TAG_KEYS)
        if not (block.keywords or block.all or block.any or block.near or block.conditions):
            raise self.error(
                node, f"tag {name!r}: a rule needs keywords, all, any, near or a condition"
            )
        group = self.scalar(keys["group"][1]) if "group" in keys else None
        desc = self.scalar(keys["description"][1]) if "description" in keys else ""
        return Rule(name, block, group, str(desc or ""), node.start_mark.line + 1)

    def block(self, node: Any, name: str, *, allowed: frozenset[str] = BLOCK_KEYS) -> Block:
        import yaml

        if isinstance(node, yaml.ScalarNode):
            return Block(keywords=[(self.term(node, name), 1.0)], threshold=1.0)
        b = Block()
        for knode, value in self.mapping(node, "a block"):
            key = self.scalar(knode)
            if key not in allowed:
                raise self.error(
                    knode, f"tag {name!r}: unknown key {key!r}; valid: {', '.join(sorted(allowed))}"
                )
            if key == "keywords":
                b.keywords = self.keywords(value, name)
            elif key == "threshold":
                b.threshold = self.number(value, name, "threshold")
            elif key == "max_count":
                b.max_count = int(self.number(value, name, "max_count", minimum=1))
            elif key in ("all", "any", "not"):
                if not isinstance(value, yaml.SequenceNode) or not value.value:
                    raise self.error(value, f"tag {name!r}: {key!r} must be a non-empty list")
                blocks = [self.block(v, name) for v in value.value]
                setattr(b, "none" if key == "not" else key, blocks)
            elif key == "near":
                b.near = self.near(value, name)
            elif key in CONDITIONS:
                values = self.strings(value, name, key)
                b.conditions[key] = frozenset(
                    v.upper() if key == "country" else fold(v) for v in values
                )
        return b

    def keywords(self, node: Any, name: str) -> list[tuple[Term, float]]:
        import yaml

        if isinstance(node, yaml.SequenceNode):
            return [(self.term(v, name), 1.0) for v in node.value]
        out: list[tuple[Term, float]] = []
        seen: dict[tuple[Any, ...], int] = {}
        for knode, vnode in self.mapping(node, "keywords"):
            term = self.term(knode, name)
            key = (term.words, term.prefix, term.exact_case)
            if term.regex is None and key in seen:
                raise self.error(
                    knode,
                    f"tag {name!r}: keyword {term.source!r} repeats an earlier term "
                    f"(line {seen[key]}); terms are case-insensitive",
                )
            seen[key] = knode.start_mark.line + 1
            out.append((term, self.number(vnode, name, "keyword weight", minimum=None)))
        if not out:
            raise self.error(node, f"tag {name!r}: empty keywords")
        return out

    def term(self, node: Any, name: str) -> Term:
        value = self.scalar(node)
        if not isinstance(value, str):
            value = str(value)
        try:
            return Term.parse(value)
        except ValueError as e:
            raise self.error(node, f"tag {name!r}: {e}") from None

    def number(self, node: Any, name: str, what: str, *, minimum: float | None = 0) -> float:
        value = self.scalar(node)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.error(node, f"tag {name!r}: {what} must be a number, not {value!r}")
        if minimum is not None and value < minimum:
            raise self.error(node, f"tag {name!r}: {what} must be at least {minimum}")
        return float(value)

    def strings(self, node: Any, name: str, what: str) -> list[str]:
        import yaml

        nodes = node.value if isinstance(node, yaml.SequenceNode) else [node]
        values = [str(self.scalar(n)) for n in nodes]
        if not values:
            raise self.error(node, f"tag {name!r}: {what} needs at least one value")
        return values

    def near(self, node: Any, name: str) -> tuple[list[Term], list[Term], int]:
        import yaml

        parts = {self.scalar(k): v for k, v in self.mapping(node, "near")}
        unknown = set(parts) - {"terms", "within"}
        if unknown or "terms" not in parts:
            raise self.error(node, f"tag {name!r}: near needs 'terms' (two lists) and 'within'")
        groups = parts["terms"]
        if not isinstance(groups, yaml.SequenceNode) or len(groups.value) != 2:
            raise self.error(groups, f"tag {name!r}: near terms must be a list of two term lists")
        lists = []
        for g in groups.value:
            items = g.value if isinstance(g, yaml.SequenceNode) else [g]
            lists.append([self.term(i, name) for i in items])
        within = (
            int(self.number(parts["within"], name, "within", minimum=1))
            if "within" in parts
            else 10
        )
        return lists[0], lists[1], within


def _construct(node: Any) -> Any:
    import yaml

    loader = yaml.SafeLoader("")
    try:
        return loader.construct_object(node, deep=True)
    finally:
        loader.dispose()
