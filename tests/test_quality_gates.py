"""Quality gates (after trafilatura's eval_gate): accuracy on fixed samples of the
development sets in ../shared/data must not fall below the floors recorded here.

Floors only go up: when a change improves a figure, raise its floor in the same commit.
The full-set figures are in the README, measured with the commands named there.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tidings import Pipeline

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
GEO = DATA / "geoparsing-news-gold"

# tidings eval geo lgl.jsonl geowebnews.jsonl geovirus.jsonl --limit 40
GEO_SAMPLE = 40
GEO_FLOORS = {"precision": 0.82, "recall": 0.70, "f1": 0.76, "acc_161km": 0.85}


@pytest.mark.slow
def test_quality_gate_geoparsing(pipeline: Pipeline) -> None:
    from tidings.eval.geo import evaluate

    paths = [GEO / f"{name}.jsonl" for name in ("lgl", "geowebnews", "geovirus")]
    if not all(p.is_file() for p in paths):
        pytest.skip(f"gold geoparsing corpora not found under {GEO}")
    result = evaluate(paths, pipeline, limit=GEO_SAMPLE)
    for metric, floor in GEO_FLOORS.items():
        assert result[metric] >= floor, f"{metric} {result[metric]} fell below its floor {floor}"
