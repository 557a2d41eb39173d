"""Every kind of bad input is reported with where and why; good inputs still come through."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tidings.errors import InputError
from tidings.sources import InputRecord, Skipped, count_inputs, iter_inputs

GOOD = "A council in the north approved a new budget on Tuesday after a long debate."


def _items(*paths: Path | str, max_bytes: int = 10_000) -> list[object]:
    return list(iter_inputs([str(p) for p in paths], max_bytes=max_bytes))


def _errors(items: list[object]) -> list[tuple[str, str]]:
    return [(e.where, e.reason) for e in items if isinstance(e, InputError)]


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \n\n \t", "empty"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("control.txt", bytes(range(1, 9)) * 40, "binary"),
        ("latin1.txt", "Caf\u00e9 au lait in S\u00e3o Paulo".encode("latin-1"), "undecodable"),
        ("broken.json", b'{"text": "no end', "malformed_json"),
        ("notobject.json", b"[1, 2]", "invalid_record"),
        ("notext.json", b'{"title": "only a title"}', "invalid_record"),
        ("badtype.json", b'{"text": 42}', "invalid_record"),
        (
            "baddate.json",
            json.dumps({"text": GOOD, "published": "someday"}).encode(),
            "invalid_record",
        ),
    ],
)
def test_sources_bad_file_is_reported_with_reason(
    tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    errors = _errors(_items(path))
    assert errors and errors[0][1] == reason
    assert errors[0][0].startswith(str(path))


def test_sources_oversize_file_is_refused_without_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    path.write_text("word " * 5000)
    [error] = _items(path, max_bytes=1000)
    assert isinstance(error, InputError) and error.reason == "oversize"
    assert "max_input_bytes" in error.detail


def test_sources_jsonl_bad_lines_are_reported_by_line_and_the_rest_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl"
    lines = [
        json.dumps({"text": GOOD, "title": "One", "published": "2021-11-08", "id": "a1"}),
        '{"text": "unterminated',
        "",
        json.dumps({"html": "<p>" + GOOD + "</p>", "url": "https://example.com/x"}),
        json.dumps({"text": "x" * 2000}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"text": GOOD + " Again."}),
    ]
    path.write_text("\n".join(lines) + "\n")
    items = _items(path, max_bytes=1000)
    records = [i for i in items if isinstance(i, InputRecord)]
    assert [r.origin for r in records] == [f"{path}:1", f"{path}:4", f"{path}:7"]
    assert (
        records[0].title == "One"
        and records[0].input_id == "a1"
        and records[0].published == "2021-11-08"
    )
    assert records[1].raw_format == "html" and records[1].url == "https://example.com/x"
    assert _errors(items) == [
        (f"{path}:2", "malformed_json"),
        (f"{path}:5", "oversize"),
        (f"{path}:6", "invalid_record"),
    ]


def test_sources_jsonl_undecodable_line(tmp_path: Path) -> None:
    path = tmp_path / "enc.jsonl"
    path.write_bytes(
        json.dumps({"text": GOOD}).encode()
        + b"\n"
        + '{"text": "caf\u00e9"}'.encode("latin-1")
        + b"\n"
    )
    items = _items(path)
    assert _errors(items) == [(f"{path}:2", "undecodable")]
    assert sum(isinstance(i, InputRecord) for i in items) == 1


def test_sources_missing_path_and_unsupported_files(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(GOOD)
    (tmp_path / "photo.png").write_bytes(b"\x89PNG")
    (tmp_path / ".hidden.txt").write_text(GOOD)
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "b.html").write_text("<html><body><p>" + GOOD + "</p></body></html>")
    items = _items(tmp_path, tmp_path / "nope.txt")
    records = [i for i in items if isinstance(i, InputRecord)]
    assert [Path(r.origin).name for r in records] == ["a.txt", "b.html"]
    assert records[1].raw_format == "html"
    assert [(Path(s.where).name, s.reason) for s in items if isinstance(s, Skipped)] == [
        ("photo.png", "unsupported_type")
    ]
    assert _errors(items) == [(str(tmp_path / "nope.txt"), "not_found")]


def test_sources_broken_symlink_is_unreadable(tmp_path: Path) -> None:
    link = tmp_path / "gone.txt"
    link.symlink_to(tmp_path / "missing-target.txt")
    (tmp_path / "ok.txt").write_text(GOOD)
    items = _items(tmp_path)
    assert _errors(items) == [(str(link), "unreadable")]
    assert sum(isinstance(i, InputRecord) for i in items) == 1


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_sources_permission_denied(tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text(GOOD)
    path.chmod(0)
    assert _errors(_items(path)) == [(str(path), "unreadable")]


def test_sources_utf8_bom_and_utf16_are_read(tmp_path: Path) -> None:
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbf" + GOOD.encode())
    (tmp_path / "u16.txt").write_bytes(GOOD.encode("utf-16"))
    records = [i for i in _items(tmp_path) if isinstance(i, InputRecord)]
    assert [r.raw for r in records] == [GOOD, GOOD]


def test_sources_html_declared_charset_is_honoured(tmp_path: Path) -> None:
    html = (
        '<html><head><meta charset="iso-8859-1"></head><body><p>Caf\u00e9 society</p></body></html>'
    )
    (tmp_path / "page.html").write_bytes(html.encode("latin-1"))
    [record] = _items(tmp_path / "page.html")
    assert isinstance(record, InputRecord) and "Café" in record.raw


def test_sources_json_list_of_records(tmp_path: Path) -> None:
    path = tmp_path / "many.json"
    path.write_text(json.dumps([{"text": GOOD}, {"nope": 1}]))
    items = _items(path)
    assert isinstance(items[0], InputRecord)
    assert _errors(items) == [(f"{path}[1]", "invalid_record")]


def test_sources_count_inputs(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(GOOD)
    (tmp_path / "b.jsonl").write_text("{}\n{}\n{}\n")
    assert count_inputs([str(tmp_path)]) == 4
