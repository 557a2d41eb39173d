"""Page furniture in plain text scraped from news pages.

Scraped text carries more than the story: photo captions and credits, bylines,
"Tags:" trailers, share and "read more" widgets, analytics footers. None of it
is news, and a caption in particular reads like news ("X looks on as Y speaks
... on July 28") and would otherwise become a false event. The rules below look
at one line (a paragraph) at a time and at its neighbours; they are written to
be conservative: a line must *look like* furniture on its own, not merely be
short, because short body lines (subheads, one-line quotes) are common.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

_MONTHS = (
    r"(?:JAN(?:UARY)?|FEB(?:RUARY)?|MAR(?:CH)?|APR(?:IL)?|MAY|JUNE?|JULY?|AUG(?:UST)?|"
    r"SEPT?(?:EMBER)?|OCT(?:OBER)?|NOV(?:EMBER)?|DEC(?:EMBER)?)"
)
# Agency caption datelines: "WASHINGTON, DC - JULY 28: ..." (Getty, AFP, EPA style).
_CAPTION_DATELINE = re.compile(
    rf"^[A-Z][A-Z .,'’-]{{1,60}}\s+[-–—]\s+{_MONTHS}\.?\s+\d{{1,2}}(?:,\s*\d{{4}})?\s*:"
)
# A credit that ends the line: "... Photo by Drew Angerer/Getty Images", "(AFP via Getty Images)".
_CREDIT_AT_END = re.compile(
    r"(?:(?:\b(?:staff|file|telegram|courtesy|handout)\s+)?\b(?:photo|photograph|picture|image|video|illustration)s?\s*(?:by|:|credit:?)\s*"
    r"[A-Z][^.!?]{0,100}"
    r"|\bgetty\s+images"
    r"|/\s*(?:afp|ap|reuters|epa(?:-efe)?|getty|anadolu|xinhua|shutterstock|alamy)"
    r"|\b(?:afp|ap|reuters|epa|anadolu)\s+(?:photo|via\s+getty\s+images)"
    r")\s*\)?\s*\.?$",
    re.IGNORECASE,
)
_CAPTION_START = re.compile(
    r"^(?:image caption|image source|caption|photo|picture|pictured|file photo|image|credit|"
    r"photographer)\s*[:|-]",
    re.IGNORECASE,
)
_BYLINE = re.compile(
    r"^(?i:by|written by|words by|story by)\s+[A-Z][\w.'’-]+"
    r"(?:\s+(?:[A-Z][\w.'’-]+|de|van|von|al-\w+)){0,4}"
    r"(?:\s*(?:,|\||and|&|-|–)\s*.{0,60})?$"
)
_TIMESTAMP_LINE = re.compile(
    r"^(?:published|updated|last updated|posted|first published)"
    r"(?:\s+on)?\s*:?\s*.{0,60}\d.{0,40}$",
    re.IGNORECASE,
)
_AGENCY_TRAILER = re.compile(
    r"^\(?\s*(?:additional\s+)?(?:reporting|writing|editing|compiled)\s+by\s+.{2,200}\)?$",
    re.IGNORECASE,
)
# Widgets and footers: the whole (short) line is one of these.
_FURNITURE_LINE = re.compile(
    r"^(?:real[- ]time analytics|advertisement|advertising|sponsored(?: content)?|"
    r"share(?: this(?: article| story| page)?| on \w+| via \w+)?|"
    r"(?:share|follow us) on (?:facebook|twitter|x|whatsapp|linkedin|telegram)|"
    r"facebook|twitter|whatsapp|linkedin|telegram|email|print|copy link|"
    r"(?:leave a |post a |\d+ )?comments?|"
    r"click here.{0,60}|subscribe.{0,60}|sign up.{0,60}|newsletter.{0,40}|"
    r"(?:©|\(c\)|copyright).{0,100}|all rights reserved\.?|"
    r"skip to (?:main )?content|back to top|cookie (?:policy|settings)|"
    r"loading(?:\.\.\.|…)?|continue reading|show comments)\W*$",
    re.IGNORECASE,
)
# A heading after which nothing of the story follows.
_TAIL_MARKER = re.compile(
    r"^(?:related(?: articles| stories| news| coverage| content| topics)?|"
    r"read more(?: about| on)?.{0,60}|"
    r"more (?:from|on|stories|news).{0,40}|recommended(?: for you)?|most (?:read|popular|viewed)|"
    r"you (?:may|might) also like|trending(?: now)?|top stories|latest news)\W*$",
    re.IGNORECASE,
)
_TAGS_LINE = re.compile(
    r"^(?:tags|tagged|topics|related topics|keywords|filed under)\s*(?::|-|–)?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
# A longer paragraph is body text even if it carries a credit or a caption-like opening.
MAX_CAPTION_CHARS = 400
_SENTENCE_END = re.compile(r"[.!?…:;\"”’')\]]$")
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACES = re.compile(r"[^\S\n]+")


@dataclass
class CleanResult:
    """Body text, a detected title (or None) and what was removed, by kind."""

    text: str
    title: str | None
    source_tags: list[str] = field(default_factory=list)
    removed: dict[str, int] = field(default_factory=dict)


def normalise(text: str) -> str:
    """Unicode NFC, no zero-width or control characters, single spaces, ``\\n`` line ends."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.translate(_ZERO_WIDTH)
    text = "".join(ch if ch in "\n\t" or unicodedata.category(ch)[0] != "C" else " " for ch in text)
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))


def _is_caption(line: str) -> bool:
    return bool(
        _CAPTION_DATELINE.match(line) or _CAPTION_START.match(line) or _CREDIT_AT_END.search(line)
    )


def _looks_like_heading(line: str) -> bool:
    """Short, no closing punctuation, mostly capitalised words: a title or photo title."""
    if len(line) > 200 or _SENTENCE_END.search(line):
        return False
    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", line)]
    if not words:
        return False
    capital = sum(1 for w in words if w[0].isupper())
    return capital / len(words) >= 0.5


def _is_photo_title(line: str) -> bool:
    """A line directly above a caption: short, and not a sentence of the story."""
    return len(line) <= 150 and not _SENTENCE_END.search(line)


def _split_tags(rest: str) -> list[str]:
    parts = re.split(r"\s*[,;|•·]\s*", rest.strip().strip("#"))
    return [p.strip().lstrip("#") for p in parts if 0 < len(p.strip()) <= 60]


def strip_furniture(raw: str, *, title: str | None = None) -> CleanResult:
    """Remove page furniture from scraped plain text and detect its title.

    Args:
        raw: text as scraped, one paragraph per line or blank-line separated.
        title: a title known from elsewhere (feed, metadata); when given, no title
            is detected, and a first line equal to it is kept as the headline.
    """
    lines = normalise(raw).split("\n")
    removed: dict[str, int] = {}
    keep: list[str | None] = list(lines)  # None marks a removed line; "" a paragraph break
    tags: list[str] = []

    def remove(i: int, kind: str) -> None:
        if keep[i]:
            removed[kind] = removed.get(kind, 0) + 1
        keep[i] = None

    # 1. Trailers that end the story: a "Tags" block or a "Related/Read more" heading.
    for i, line in enumerate(lines):
        if not line:
            continue
        match = _TAGS_LINE.match(line)
        if match and len(line) <= 200:
            rest = match.group("rest")
            if rest:
                tags = _split_tags(rest)
            else:
                following = next((j for j in range(i + 1, len(lines)) if lines[j]), None)
                if following is not None and len(lines[following]) <= 200:
                    tags = _split_tags(lines[following])
            for j in range(i, len(lines)):
                remove(j, "tags")
            break
        if _TAIL_MARKER.match(line) and i > len(lines) // 3:
            for j in range(i, len(lines)):
                remove(j, "related")
            break

    # 2. Line-level furniture: captions (and the photo title just above one), credits,
    #    bylines, timestamps, widgets, agency trailers.
    for i, line in enumerate(lines):
        if not keep[i]:
            continue
        if _FURNITURE_LINE.match(line):
            remove(i, "footer")
        elif len(line) > MAX_CAPTION_CHARS:
            # Scraped text often merges a caption into a body paragraph; keep the body
            # and trim only a credit that ends it ("... Photo by Jane Doe/AFP").
            credit = _CREDIT_AT_END.search(line)
            if credit:
                keep[i] = line[: credit.start()].rstrip(" .,;:-–—(") + "."
                removed["credit"] = removed.get("credit", 0) + 1
        elif _is_caption(line):
            remove(i, "caption")
            # A photo title sits right above its caption ("Speaker Meets Minister\nCITY -
            # JULY 28: ..."); the article's own headline (the first line) is never one.
            previous = i - 1
            first = next((j for j, text in enumerate(lines) if text), 0)
            if previous > first and keep[previous] and _is_photo_title(lines[previous]):
                remove(previous, "caption")
        elif (len(line) <= 120 and (_BYLINE.match(line) or _TIMESTAMP_LINE.match(line))) or (
            len(line) <= 300 and _AGENCY_TRAILER.match(line)
        ):
            remove(i, "byline")

    # 3. Paragraphs: keep line structure, but re-join hard-wrapped lines.
    paragraphs: list[str] = []
    pending_break = True
    for kept in keep:
        if kept is None:
            continue
        if not kept:
            pending_break = True
            continue
        if (
            paragraphs
            and not pending_break
            and not _SENTENCE_END.search(paragraphs[-1])
            and kept[:1].islower()
        ):
            paragraphs[-1] += " " + kept
        else:
            paragraphs.append(kept)
        pending_break = False

    detected = title
    if title is None and paragraphs and _looks_like_heading(paragraphs[0]) and len(paragraphs) > 1:
        detected = paragraphs[0]
    return CleanResult("\n\n".join(paragraphs), detected, tags, removed)
