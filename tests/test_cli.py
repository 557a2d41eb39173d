"""The CLI contract, run as users run it: the installed ``tidings`` command."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tidings import load_settings
from tidings.article import CONTRACT_FIELDS

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
TIDINGS = [sys.executable, "-m", "tidings.cli"]


def run(
    *args: str, cwd: Path | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200", "TIDINGS_CONFIG": ""}
    env.pop("TIDINGS_DB", None)
    return subprocess.run(
        [*TIDINGS, *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        input=stdin,
        env=env,
        timeout=300,
    )


def test_cli_analyze_seed_json_on_sunday(seed_text: str, tmp_path: Path) -> None:
    path = tmp_path / "seed.txt"
    path.write_text(seed_text)
    result = run("analyze", str(path), "--published", "2021-11-08")
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert list(record)[: len(CONTRACT_FIELDS)] == list(CONTRACT_FIELDS)
    assert {"text": "On Sunday", "value": "2021-11-07", "precision": 1}.items() <= next(
        d for d in record["dates"] if d["text"] == "On Sunday"
    ).items()
    assert record["published"] == "2021-11-08"
    assert record["source_tags"] == ["Drone", "Protests"]


def test_cli_analyze_stdin_and_table(tmp_path: Path) -> None:
    text = "Council Approves Budget\n\nThe city council approved the budget in Leeds on Tuesday."
    result = run("analyze", "-", "--published", "2024-03-07", "--format", "table", stdin=text)
    assert result.returncode == 0, result.stderr
    assert "Council Approves Budget" in result.stdout
    assert "Leeds" in result.stdout and "2024-03-05" in result.stdout


def test_cli_analyze_bad_published_is_a_usage_error(tmp_path: Path) -> None:
    result = run("analyze", "-", "--published", "soonish", stdin="Some text about things.")
    assert result.returncode == 2
    assert "--published" in result.stderr and "soonish" in result.stderr


def test_cli_ingest_twice_then_query(tmp_path: Path) -> None:
    db = tmp_path / "t.duckdb"
    folder = tmp_path / "in"
    shutil.copytree(EXAMPLES, folder)
    first = run("ingest", str(folder), "--db", str(db), "--format", "json")
    assert first.returncode == 0, first.stderr
    summary = json.loads(first.stdout)
    assert summary["stored"] == 5 and summary["failed"] == [] and summary["articles_in_store"] == 5
    second = run("ingest", str(folder), "--db", str(db))
    assert second.returncode == 0
    assert "0 stored, 5 updated (0 copies), 0 skipped, 0 failed" in second.stdout

    as_json = run("query", "--db", str(db), "--format", "json", "--entity", "Nairobi")
    records = json.loads(as_json.stdout)
    assert isinstance(records, list) and len(records) == 1
    assert records[0]["title"] == "Thousands march in Nairobi over fuel prices"
    assert list(records[0])[: len(CONTRACT_FIELDS)] == list(CONTRACT_FIELDS)

    as_csv = run(
        "query", "--db", str(db), "--format", "csv", "--q", "arrested", "--since", "2024-01-01"
    )
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert [r["title"] for r in rows] == ["Police arrest opposition leader in Dhaka"]
    assert "Dhaka" in rows[0]["entities"]

    table = run("query", "--db", str(db), "--limit", "2")
    assert table.returncode == 0 and "2 article(s)" in table.stdout

    stats = run("stats", "--db", str(db))
    assert "0002_places_events_quotes" in stats.stdout


def test_cli_ingest_bad_inputs_exit_1_with_reasons(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(
        "Title Of It\n\nThe council approved the new budget on Tuesday in Leeds."
    )
    (folder / "empty.txt").write_text("")
    (folder / "lines.jsonl").write_text(
        '{"text": "The mayor opened a new bridge over the river on Friday."}\nnot json\n'
    )
    result = run("ingest", str(folder), "--db", str(tmp_path / "t.duckdb"))
    assert result.returncode == 1
    assert "2 stored, 0 updated (0 copies), 0 skipped, 2 failed" in result.stdout
    assert "empty.txt: empty" in result.stdout
    assert "lines.jsonl:2: malformed_json" in result.stdout


def test_cli_query_without_store_is_a_clear_error(tmp_path: Path) -> None:
    result = run("query", "--db", str(tmp_path / "none.duckdb"))
    assert result.returncode == 1
    assert "no store at" in result.stderr and "tidings ingest" in result.stderr


@pytest.mark.parametrize("args", [["query", "--since", "last week"], ["query", "--format", "xml"]])
def test_cli_query_bad_options_are_usage_errors(args: list[str], tmp_path: Path) -> None:
    result = run(*args, "--db", str(tmp_path / "x.duckdb"))
    assert result.returncode == 2


def test_cli_settings_lists_every_setting() -> None:
    from tidings.settings import Settings

    result = run("settings")
    assert result.returncode == 0
    for name in Settings.help():
        assert name in result.stdout


def test_cli_bad_config_file(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text("no_such_setting = 1\n")
    result = run("settings", "--config", str(config))
    assert result.returncode == 1 and "unknown setting 'no_such_setting'" in result.stderr


@pytest.mark.slow
def test_cli_bench_reports_every_figure(tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    with corpus.open("w") as f:
        for i in range(6):
            f.write(
                json.dumps(
                    {
                        "title": f"Story {i}",
                        "text": f"Officials in Lagos said on Monday that {i} "
                        "schools would reopen after the floods, the governor told reporters.",
                    }
                )
                + "\n"
            )
    result = run("bench", "--corpus", str(corpus), "--format", "json", "--workers", "1")
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["articles"] == 6 and figures["stored"] == 6 and figures["failed"] == 0
    assert set(figures["stage_ms_mean"]) == set(load_settings(environ={}).stage_names)
    for key in (
        "articles_per_s",
        "words_per_s",
        "latency_ms_p50",
        "latency_ms_p95",
        "peak_rss_mb",
        "raw_ner_articles_per_s",
        "ratio_to_raw_ner",
        "ratio_to_ner_only",
    ):
        assert figures[key] > 0, key


FIXTURES = Path(__file__).parent / "fixtures"


@pytest.mark.parametrize(
    ("kind", "fixture", "keys"),
    [
        ("geo", "geo-mini.jsonl", {"precision", "recall", "f1", "acc_161km", "median_error_km",
                                   "exact_geonameid", "corpora"}),
        ("acled", "acled-mini.csv", {"n", "event_type_accuracy", "sub_event_type_accuracy",
                                     "sub_event_type_macro_f1", "fatalities_exact", "date_exact",
                                     "country_accuracy", "location_within_25km", "actor1_match",
                                     "actor1_name_match",
                                     "no_event_rate", "confusion"}),
        ("case", "case-mini.csv", {"n", "accuracy", "macro_f1"}),
    ],
)  # fmt: skip
def test_cli_eval_prints_one_json_object_last(kind: str, fixture: str, keys: set[str]) -> None:
    result = run("eval", kind, str(FIXTURES / fixture), "--format", "json")
    assert result.returncode == 0, result.stderr
    metrics = json.loads(result.stdout.strip().splitlines()[-1])
    assert keys <= set(metrics)


def test_cli_eval_acled_scores_split_rows_once(tmp_path: Path) -> None:
    result = run("eval", "acled", str(FIXTURES / "acled-mini.csv"), "--format", "json")
    metrics = json.loads(result.stdout.strip().splitlines()[-1])
    # Two rows share one note (one event split over two locations): scored once.
    assert metrics["n"] == 2 and metrics["rows"] == 3
    assert metrics["event_type_accuracy"] == 1.0
    assert metrics["date_exact"] == 1.0
