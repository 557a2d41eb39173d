"""Evaluations against human-labelled data (read from ../shared/data, never copied)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..errors import TidingsError


def read_jsonl(
    path: Path, required: tuple[str, ...], what: str, *, limit: int = 0
) -> list[dict[str, Any]]:
    """The objects of a JSONL file, each with non-empty ``required`` keys.

    Raises:
        TidingsError: a line is not JSON or lacks a required key (with file:line).
    """
    rows: list[dict[str, Any]] = []
    with path.open(encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                missing = [k for k in required if not isinstance(row, dict) or k not in row]
                missing += [k for k in required if k not in missing and row[k] in (None, "")]
            except json.JSONDecodeError as e:
                raise TidingsError(f"{path}:{n}: not {what} ({e})") from None
            if missing:
                raise TidingsError(f"{path}:{n}: not {what} (no {', '.join(missing)})")
            rows.append(row)
            if limit and len(rows) >= limit:
                break
    return rows
