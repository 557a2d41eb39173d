"""tidings serve: the API in-process (ASGI client) and as a real server process."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from tidings.service import create_app
from tidings.settings import Settings

FIXTURES = Path(__file__).parent / "fixtures" / "events"
TOKEN = "test-token-123"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def article(name: str, **extra: Any) -> dict[str, Any]:
    return {"text": (FIXTURES / f"{name}.txt").read_text(encoding="utf-8"), **extra}


def wait_done(client: Any, seqs: list[int], timeout: float = 60) -> list[dict[str, Any]]:
    deadline = time.monotonic() + timeout
    while True:
        rows = [client.get(f"/api/intake/{s}").json() for s in seqs]
        if all(r["status"] != "pending" for r in rows):
            return rows
        if time.monotonic() > deadline:
            raise AssertionError(f"still pending after {timeout}s: {rows}")
        time.sleep(0.1)


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory, settings: Settings) -> Iterator[TestClient]:
    db = tmp_path_factory.mktemp("svc") / "svc.duckdb"
    app = create_app(settings.replace(api_token=TOKEN, max_request_bytes=300_000), db=str(db))
    with TestClient(app) as c:
        yield c


@pytest.fixture(scope="module")
def loaded(client: TestClient) -> list[dict[str, Any]]:
    batch = [
        article("airstrike", published="2024-03-07", url="https://news.example/airstrike"),
        article("protest", published="2024-03-04", url="https://news.example/protest"),
        article("battle", published="2024-03-05"),
    ]
    r = client.post("/api/articles", json={"articles": batch}, headers=AUTH)
    assert r.status_code == 202, r.text
    seqs = [a["seq"] for a in r.json()["accepted"]]
    rows = wait_done(client, seqs)
    assert [row["status"] for row in rows] == ["done"] * 3
    return rows


# -- writes: auth, validation, limits -------------------------------------------------


def test_writes_need_a_bearer_token(client: TestClient) -> None:
    r = client.post("/api/articles", json=article("protest"))
    assert r.status_code == 401 and r.headers["WWW-Authenticate"] == "Bearer"
    assert r.json()["error"]["code"] == "unauthorized"
    r = client.post(
        "/api/articles", json=article("protest"), headers={"Authorization": "Bearer no"}
    )
    assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"


def test_writes_are_refused_when_no_token_is_configured(tmp_path: Path, settings: Settings) -> None:
    app = create_app(settings.replace(api_token="", intake_worker=False), db=str(tmp_path / "x.db"))
    with TestClient(app) as c:
        r = c.post("/api/articles", json=article("protest"), headers=AUTH)
    assert r.status_code == 403 and r.json()["error"]["code"] == "writes_disabled"


def test_invalid_records_are_reported_with_paths_and_the_rest_accepted(client: TestClient) -> None:
    body = [article("arrest"), {"title": "no text"}, {"text": "x" * 50, "published": "soon"}, 7]
    r = client.post("/api/articles", json=body, headers=AUTH)
    assert r.status_code == 202
    out = r.json()
    assert len(out["accepted"]) == 1 and out["accepted"][0]["status_url"].endswith(
        f"/api/intake/{out['accepted'][0]['seq']}"
    )
    paths = [d["path"] for d in out["rejected"]]
    assert paths == ["$[1].text", "$[2].published", "$[3]"]
    r = client.post("/api/articles", json=[{"title": "nothing"}], headers=AUTH)
    assert r.status_code == 422 and r.json()["error"]["details"][0]["path"] == "$[0].text"


def test_malformed_empty_and_oversize_bodies(client: TestClient) -> None:
    r = client.post("/api/articles", content=b"{not json", headers=AUTH)
    assert r.status_code == 400 and r.json()["error"]["code"] == "malformed_json"
    r = client.post("/api/articles", content=b"  ", headers=AUTH)
    assert r.status_code == 400 and r.json()["error"]["code"] == "empty_body"
    r = client.post("/api/articles", json={"text": "word " * 100_000}, headers=AUTH)
    assert r.status_code == 413 and r.json()["error"]["code"] == "request_too_large"


# -- reads -------------------------------------------------------------------------------


def test_posted_articles_are_queryable(client: TestClient, loaded: list[dict[str, Any]]) -> None:
    ids = {row["article_id"] for row in loaded}
    items = client.get("/api/articles", params={"limit": 50}).json()["items"]
    assert ids <= {i["id"] for i in items}
    record = client.get(f"/api/articles/{loaded[0]['article_id']}").json()
    assert record["title"].startswith("Air Strike Hits Market")
    assert record["events"][0]["event_type"] == "Explosions/Remote violence"


def test_event_filters(client: TestClient, loaded: list[dict[str, Any]]) -> None:
    strikes = client.get("/api/events", params={"event_type": "Explosions/Remote violence"}).json()
    assert strikes["items"] and all(
        e["event_type"] == "Explosions/Remote violence" for e in strikes["items"]
    )
    assert all((e["fatalities"] or 0) >= 12 for e in client.get(
        "/api/events", params={"min_fatalities": 12}).json()["items"])  # fmt: skip
    yemen = client.get("/api/events", params={"country": "ye"}).json()["items"]
    assert yemen and {e["location"]["country"] for e in yemen} == {"YE"}
    box = client.get("/api/events", params={"bbox": "42,15,45,18"}).json()["items"]  # Saada
    assert box and all(42 <= e["location"]["lon"] <= 45 for e in box)
    assert client.get("/api/events", params={"bbox": "0,0,1,1"}).json()["items"] == []
    assert (
        client.get("/api/events", params={"q": "Santiago"}).json()["items"][0]["event_type"]
        == "Protests"
    )
    # Confidence: only events coded at least this surely (the rest stay in the store).
    every = client.get("/api/events", params={"limit": 500}).json()["items"]
    scores = sorted({e["confidence"] for e in every})
    assert len(scores) >= 2
    sure = client.get("/api/events", params={"limit": 500, "min_confidence": scores[1]}).json()
    assert sure["items"] and len(sure["items"]) < len(every)
    assert all(e["confidence"] >= scores[1] for e in sure["items"])
    r = client.get("/api/events", params={"min_confidence": 1.5})
    assert (
        r.status_code == 422 and r.json()["error"]["details"][0]["path"] == "query.min_confidence"
    )


def test_cursor_pagination_visits_every_article_once(
    client: TestClient, loaded: list[dict[str, Any]]
) -> None:
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 1}
        if cursor:
            params["cursor"] = cursor
        page = client.get("/api/articles", params=params).json()
        seen += [i["id"] for i in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    everything = client.get("/api/articles", params={"limit": 500}).json()["items"]
    assert seen == [i["id"] for i in everything] and len(set(seen)) == len(seen)


def test_entities_places_and_stats(client: TestClient, loaded: list[dict[str, Any]]) -> None:
    places = client.get("/api/places", params={"country": "YE"}).json()["items"]
    assert {p["country"] for p in places} == {"YE"} and any(
        p["feature"].startswith("PPL") for p in places
    )
    stats = client.get("/api/stats", params={"interval": "hour"}).json()
    assert stats["interval"] == "hour" and stats["totals"]["events"] >= 3
    assert stats["totals"]["fatalities"] >= 12
    assert any(c["country"] == "YE" for c in stats["countries"])
    entities = client.get("/api/entities", params={"kind": "PLACE"}).json()["items"]
    assert entities and all(e["kind"] == "PLACE" for e in entities)


def test_errors_have_one_shape(client: TestClient) -> None:
    for r in (
        client.get("/api/articles/does-not-exist"),
        client.get("/api/events", params={"bbox": "1,2,3"}),
        client.get("/api/events", params={"limit": 0}),
        client.get("/api/articles", params={"cursor": "garbage"}),
        client.get("/api/stats", params={"interval": "week"}),
        client.get("/api/nothing-here"),
    ):
        err = r.json()["error"]
        assert set(err) == {"status", "code", "message", "details"}
        assert err["status"] == r.status_code >= 400


def test_openapi_documents_the_endpoints(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    expected = (
        "/api/articles", "/api/events", "/api/entities", "/api/places", "/api/stats",
        "/api/trending", "/api/feeds", "/api/alerts", "/api/stream", "/api/articles/{article_id}",
    )  # fmt: skip
    for p in expected:
        assert p in paths
    assert client.get("/docs").status_code == 200


def test_hostile_text_is_stored_as_data(client: TestClient) -> None:
    text = (
        "Robert'); DROP TABLE articles;-- said on Monday that <script>alert(1)</script> "
        "protesters marched in Lagos, police said, and nobody was hurt."
    )
    r = client.post("/api/articles", json={"text": text}, headers=AUTH)
    (row,) = wait_done(client, [r.json()["accepted"][0]["seq"]])
    stored = client.get(f"/api/articles/{row['article_id']}").json()
    assert "DROP TABLE" in stored["text"] and "<script>" in stored["text"]
    assert client.get("/api/articles", params={"q": "'); DROP"}).json()["items"]


# -- a real server process -----------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(db: Path, port: int, **env: str) -> subprocess.Popen[bytes]:
    environ = {**os.environ, "TIDINGS_API_TOKEN": TOKEN, "TIDINGS_CONFIG": "", **env}
    proc = subprocess.Popen(
        [sys.executable, "-m", "tidings.cli", "serve", "--port", str(port), "--db", str(db)],
        env=environ,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise AssertionError("server did not start")


def stop(proc: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
    proc.send_signal(sig)
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.mark.slow
def test_accepted_articles_survive_kill_9_and_are_processed_after_restart(tmp_path: Path) -> None:
    db, port = tmp_path / "live.duckdb", free_port()
    base = f"http://127.0.0.1:{port}"
    # First life: the worker is off, so accepted articles can only be pending.
    proc = start_server(db, port, TIDINGS_INTAKE_WORKER="false")
    try:
        batch = [article(n) for n in ("airstrike", "protest", "battle", "abduction")]
        r = httpx.post(f"{base}/api/articles", json=batch, headers=AUTH, timeout=30)
        assert r.status_code == 202
        seqs = [a["seq"] for a in r.json()["accepted"]]
        assert httpx.get(f"{base}/api/health").json()["pending"] == 4
    finally:
        stop(proc, signal.SIGKILL)
    # Second life: nothing lost, nothing doubled.
    proc = start_server(db, port)
    try:
        with httpx.Client(base_url=base, timeout=30) as c:
            rows = wait_done(c, seqs, timeout=120)
            assert [row["status"] for row in rows] == ["done"] * 4
            items = c.get("/api/articles", params={"limit": 100}).json()["items"]
            assert sorted(i["id"] for i in items) == sorted(row["article_id"] for row in rows)
    finally:
        stop(proc)


@pytest.mark.slow
def test_stream_sends_new_articles_and_events_and_resumes(tmp_path: Path) -> None:
    db, port = tmp_path / "stream.duckdb", free_port()
    base = f"http://127.0.0.1:{port}"
    proc = start_server(db, port)
    try:
        received: list[tuple[int, str, dict[str, Any]]] = []
        with httpx.stream("GET", f"{base}/api/stream", timeout=60) as stream:
            r = httpx.post(f"{base}/api/articles", json=article("airstrike"), headers=AUTH)
            assert r.status_code == 202
            current: dict[str, str] = {}
            for line in stream.iter_lines():
                if line.startswith(("id:", "event:", "data:")):
                    key, _, value = line.partition(":")
                    current[key] = value.strip()
                elif not line and "data" in current:
                    received.append(
                        (int(current["id"]), current["event"], json.loads(current["data"]))
                    )
                    current = {}
                    if any(kind == "event" for _, kind, _ in received):
                        break
        kinds = [kind for _, kind, _ in received]
        assert kinds[0] == "article" and "event" in kinds
        event = next(data for _, kind, data in received if kind == "event")
        assert event["event_type"] == "Explosions/Remote violence" and event["fatalities"] == 12
        # Resume: after the first id, the rest comes again; filters apply.
        first_id = received[0][0]
        with httpx.stream(
            "GET",
            f"{base}/api/stream",
            params={"kinds": "event"},
            headers={"Last-Event-ID": str(first_id)},
            timeout=60,
        ) as stream:
            for line in stream.iter_lines():
                if line.startswith("event:"):
                    assert line == "event: event"
                    break
    finally:
        stop(proc)


def test_stream_filter_narrows_events_as_the_events_api_does() -> None:
    from tidings.service.queries import StreamFilter

    strike = {"event_type": "Explosions/Remote violence", "fatalities": 12, "confidence": 0.8,
              "location": {"country": "YE"}}  # fmt: skip
    unsure = {"event_type": "Protests", "fatalities": None, "confidence": 0.15,
              "location": {"country": "CL"}}  # fmt: skip
    article = {"tags": ["drone"], "focus": {"countries": ["YE"]}}
    everything = StreamFilter()
    assert everything.keeps("event", strike) and everything.keeps("event", unsure)
    sure = StreamFilter(min_confidence=0.2)
    assert sure.keeps("event", strike) and not sure.keeps("event", unsure)
    assert sure.keeps("article", article)  # an article has no confidence of its own
    deadly = StreamFilter(min_fatalities=1)
    assert deadly.keeps("event", strike) and not deadly.keeps("event", unsure)  # unknown: none
    assert StreamFilter(min_fatalities=0).keeps("event", unsure)
    assert not StreamFilter(min_fatalities=13).keeps("event", strike)
    yemen = StreamFilter(country="ye")
    assert yemen.keeps("event", strike) and yemen.keeps("article", article)
    assert not yemen.keeps("event", unsure)
    assert not StreamFilter(kinds=frozenset({"article"})).keeps("event", strike)
    assert not StreamFilter(tag="protests").keeps("article", article)


def test_stream_rejects_a_confidence_out_of_range(client: TestClient) -> None:
    r = client.get("/api/stream", params={"min_confidence": 2})
    assert r.status_code == 422
    assert r.json()["error"]["details"][0]["path"] == "query.min_confidence"


def test_trending_counts_recent_articles(client: TestClient, loaded: list[dict[str, Any]]) -> None:
    out = client.get("/api/trending", params={"by": "country", "min_count": 1}).json()
    assert out["by"] == "country" and out["items"]
    top = out["items"][0]
    assert set(top) == {"country", "count", "expected", "z"} and top["count"] >= 1
    assert client.get("/api/trending", params={"by": "mood"}).status_code == 422
