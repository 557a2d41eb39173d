"""Read articles from files, folders, stdin and URLs, reporting bad input as data.

:func:`iter_inputs` yields, in order, an :class:`InputRecord` for each article
it can read, an :class:`~tidings.errors.InputError` for each input it cannot
(with the file, the line for JSONL, and the reason), and a :class:`Skipped` for
files in a folder that are not articles. It never raises for one bad input,
so a batch goes on past it.

Accepted: ``.txt`` (plain text), ``.html``/``.htm``, ``.json`` (one record, or a
list of records), ``.jsonl`` (one record per line). A record has ``text`` or
``html`` and optionally ``title``, ``url``, ``published``, ``source``, ``id``.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from ..errors import InputError
from ..timeexpr import parse_published

TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSON_SUFFIXES = {".json"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
SUPPORTED = TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES | JSONL_SUFFIXES
RECORD_FIELDS = ("title", "url", "published", "source", "id")

_HTML_SNIFF = re.compile(rb"^\s*(?:<!doctype\s+html|<html|<head|<body|<article|<\?xml)", re.I)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.I)


@dataclass
class InputRecord:
    """One article's raw input and what came with it."""

    raw: str
    raw_format: str  # "text" or "html"
    origin: str  # where it came from: "path", "path:line" or a URL
    url: str | None = None
    title: str | None = None
    published: str | None = None
    source: str | None = None
    input_id: str | None = None


@dataclass
class Skipped:
    """A file in a folder that is not an article (unsupported type)."""

    where: str
    reason: str


Item = InputRecord | InputError | Skipped


def is_url(value: str) -> bool:
    return value.startswith(("http://", "https://"))


def iter_inputs(
    paths: Sequence[str],
    *,
    max_bytes: int,
    published: str | None = None,
    fetch: Any = None,
) -> Iterator[Item]:
    """Yield the articles (and the errors) found under ``paths``.

    Args:
        paths: files, folders (searched recursively), ``-`` for stdin, or URLs.
        max_bytes: largest file, JSONL line or fetched page accepted.
        published: a publication date for inputs that carry none (``--published``).
        fetch: a callable ``fetch(url) -> InputRecord`` for URLs (see ``sources.fetch``).
    """
    for path in paths:
        if path == "-":
            yield from _with_default_published(
                _read_stream(sys.stdin.buffer, "<stdin>", max_bytes), published
            )
        elif is_url(path):
            if fetch is None:
                from .fetch import Fetcher

                fetch = Fetcher(max_bytes=max_bytes)
            try:
                record = fetch(path)
            except InputError as e:
                yield e
            else:
                yield from _with_default_published([record], published)
        else:
            yield from _with_default_published(_walk(Path(path), max_bytes), published)


def _with_default_published(items: Any, published: str | None) -> Iterator[Item]:
    for item in items:
        if published and isinstance(item, InputRecord) and not item.published:
            item.published = published
        yield item


def _walk(path: Path, max_bytes: int) -> Iterator[Item]:
    if not path.exists():
        yield InputError(str(path), "not_found", "no such file or folder")
        return
    if path.is_dir():
        problems: list[OSError] = []
        for root, dirs, files in os.walk(path, onerror=problems.append):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                if name.startswith("."):
                    continue
                child = Path(root) / name
                if child.suffix.lower() in SUPPORTED:
                    yield from _read_file(child, max_bytes)
                else:
                    yield Skipped(str(child), "unsupported_type")
            while problems:
                e = problems.pop(0)
                yield InputError(str(e.filename or path), "unreadable", e.strerror or str(e))
        return
    yield from _read_file(path, max_bytes)


def _read_file(path: Path, max_bytes: int) -> Iterator[Item]:
    where = str(path)
    suffix = path.suffix.lower()
    try:
        if suffix in JSONL_SUFFIXES:
            with path.open("rb") as f:
                yield from _read_jsonl(f, where, max_bytes)
            return
        size = path.stat().st_size
        if size > max_bytes:
            yield InputError(
                where,
                "oversize",
                f"{size:,} bytes; the limit is {max_bytes:,} (setting max_input_bytes)",
            )
            return
        data = path.read_bytes()
    except OSError as e:
        yield InputError(where, "unreadable", e.strerror or str(e))
        return
    if suffix in JSON_SUFFIXES:
        yield from _read_json(data, where)
    elif suffix in HTML_SUFFIXES:
        yield from _record_from_bytes(data, where, "html")
    elif suffix in TEXT_SUFFIXES:
        yield from _record_from_bytes(data, where, "text")
    else:
        yield from _record_from_bytes(data, where, None)


def _read_stream(stream: BinaryIO, where: str, max_bytes: int) -> Iterator[Item]:
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        yield InputError(
            where, "oversize", f"more than {max_bytes:,} bytes (setting max_input_bytes)"
        )
        return
    yield from _record_from_bytes(data, where, None)


def _record_from_bytes(data: bytes, where: str, kind: str | None) -> Iterator[Item]:
    if kind is None:
        kind = "html" if _HTML_SNIFF.match(data[:1024]) else "text"
    try:
        text = decode(data, where, html=kind == "html")
    except InputError as e:
        yield e
        return
    yield InputRecord(raw=text, raw_format=kind, origin=where)


def decode(data: bytes, where: str, *, html: bool = False) -> str:
    """Decode input bytes to text, or raise :class:`InputError` saying why not.

    UTF-8 (with or without BOM) and BOM-marked UTF-16 are read; HTML may declare
    another charset in a ``<meta>`` tag. Anything else is refused rather than
    guessed, since a wrong guess silently corrupts names and quotes.
    """
    if not data.strip():
        raise InputError(where, "empty", "no content")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as e:
            raise InputError(where, "undecodable", f"invalid UTF-16 at byte {e.start}") from e
    if b"\x00" in data[:8192]:
        raise InputError(where, "binary", "contains NUL bytes; not a text, HTML or JSON file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        declared = _META_CHARSET.search(data[:4096]) if html else None
        if declared:
            try:
                return data.decode(declared.group(1).decode("ascii"))
            except (LookupError, UnicodeDecodeError):
                pass
        raise InputError(
            where,
            "undecodable",
            f"invalid UTF-8 at byte {e.start}; convert the file to UTF-8",
        ) from e
    controls = sum(1 for ch in text[:4096] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > 0.05 * min(len(text), 4096):
        raise InputError(where, "binary", "mostly control characters; not a text file")
    if not text.strip():
        raise InputError(where, "empty", "only whitespace")
    return text


def _read_json(data: bytes, where: str, *, allow_list: bool = True) -> Iterator[Item]:
    """Records from one JSON document: an object, or (when allowed) a list of them."""
    try:
        obj = json.loads(decode(data, where))
    except InputError as e:
        yield e
        return
    except json.JSONDecodeError as e:
        position = f"column {e.colno}" if e.lineno == 1 else f"line {e.lineno} column {e.colno}"
        yield InputError(where, "malformed_json", f"{e.msg} at {position}")
        return
    many = allow_list and isinstance(obj, list)
    for i, item in enumerate(obj if many else [obj]):
        try:
            yield record_from_json(item, f"{where}[{i}]" if many else where)
        except InputError as e:
            yield e


def _read_jsonl(f: BinaryIO, where: str, max_bytes: int) -> Iterator[Item]:
    number = 0
    while True:
        line = f.readline(max_bytes + 1)
        if not line:
            return
        number += 1
        here = f"{where}:{number}"
        if len(line) > max_bytes and not line.endswith(b"\n"):
            while True:  # skip the rest of the oversize line without holding it
                rest = f.readline(1 << 20)
                if not rest or rest.endswith(b"\n"):
                    break
            yield InputError(
                here, "oversize", f"line longer than {max_bytes:,} bytes (setting max_input_bytes)"
            )
            continue
        if line.strip():
            yield from _read_json(line, here, allow_list=False)


def record_from_json(obj: Any, where: str) -> InputRecord:
    """Validate one JSON record (``text`` or ``html`` plus optional fields).

    Raises:
        InputError: not an object, no text, a field of the wrong type, a bad date.
    """
    if not isinstance(obj, dict):
        raise InputError(
            where, "invalid_record", f"expected a JSON object, got {type(obj).__name__}"
        )
    for name in ("text", "html", *RECORD_FIELDS):
        value = obj.get(name)
        if value is not None and not isinstance(value, str):
            raise InputError(
                where,
                "invalid_record",
                f"field {name!r} must be a string, got {type(value).__name__}",
            )
    body, kind = obj.get("text"), "text"
    if not (body and body.strip()):
        body, kind = obj.get("html"), "html"
    if not (body and body.strip()):
        raise InputError(where, "invalid_record", "needs a non-empty 'text' or 'html' field")
    published = obj.get("published")
    if published:
        try:
            published = parse_published(published)
        except ValueError:
            raise InputError(
                where, "invalid_record", f"field 'published' is not a date: {published!r}"
            ) from None
    return InputRecord(
        raw=body,
        raw_format=kind,
        origin=where,
        url=obj.get("url") or None,
        title=obj.get("title") or None,
        published=published or None,
        source=obj.get("source") or None,
        input_id=obj.get("id"),
    )


def _count_lines(path: Path) -> int:
    lines = 0
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            lines += chunk.count(b"\n")
    return lines


def count_inputs(paths: Sequence[str]) -> int | None:
    """A quick estimate of how many articles ``paths`` hold (for a progress bar)."""
    total = 0
    for path in paths:
        if path == "-" or is_url(path):
            total += 1
            continue
        p = Path(path)
        files = (
            [p]
            if p.is_file()
            else (
                [f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUPPORTED]
                if p.is_dir()
                else []
            )
        )
        for f in files:
            if f.suffix.lower() in JSONL_SUFFIXES:
                try:
                    total += _count_lines(f)
                except OSError:
                    total += 1
            else:
                total += 1
    return total
