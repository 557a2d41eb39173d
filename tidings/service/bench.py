"""``tidings bench --serve`` and ``tidings bench --queries``: the service, measured from outside.

``--serve`` starts ``tidings serve`` on loopback (a fresh store, a random
token, feeds off) as a separate process, listens on ``/api/stream``, and posts
articles from a corpus one by one at a fixed rate (default 5/s) for a bounded
count. For each article:

- POST→stream: from just before the POST to the moment its ``article`` event
  arrives on the stream;
- POST→queryable: from just before the POST to the commit that made it
  queryable (the intake row's ``finished`` time, same machine clock).

It reports p50/p95/p99 of both, the sustained throughput (articles stored per
second over the run), errors (non-202 answers, articles never streamed) and the
server's peak RSS (sampled every 100 ms).

``--queries`` starts the server (worker off) on an existing store and times the
read endpoints with a mix of filters; see README for how the 100k store was made.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return round(ordered[k] * 1000, 1)


class Server:
    """A ``tidings serve`` child process on loopback."""

    def __init__(self, db: Path, *, env: dict[str, str]) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.token = secrets.token_hex(16)
        environ = {
            **os.environ,
            "TIDINGS_API_TOKEN": self.token,
            "TIDINGS_FEED_POLLER": "false",
            **env,
        }
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tidings.cli",
                "serve",
                "--port",
                str(self.port),
                "--db",
                str(db),
            ],
            env=environ,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.peak_rss = 0
        self._stop = threading.Event()
        self._sampler = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        import psutil

        try:
            proc = psutil.Process(self.proc.pid)
            while not self._stop.wait(0.1):
                self.peak_rss = max(self.peak_rss, proc.memory_info().rss)
        except psutil.Error:
            return

    def wait_ready(self, timeout: float = 120) -> None:
        import httpx

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("tidings serve exited at start")
            try:
                if httpx.get(f"{self.base}/api/health", timeout=1).status_code == 200:
                    self._sampler.start()
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        raise RuntimeError("tidings serve did not start in time")

    def stop(self) -> None:
        self._stop.set()
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def _corpus(path: Path, count: int) -> list[dict[str, Any]]:
    out = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            row = json.loads(line)
            out.append({"title": row.get("title"), "text": row.get("text")})
            if len(out) >= count:
                break
    if not out:
        raise ValueError(f"{path}: no articles")
    # A long run cycles the corpus; each post has its own URL, so each is a new article.
    return [out[i % len(out)] for i in range(count)]


def bench_serve(
    corpus: Path,
    *,
    rate: float = 5.0,
    count: int = 300,
    log: Callable[[str], None] = lambda m: None,
) -> dict[str, Any]:
    import httpx

    texts = _corpus(corpus, count)
    with tempfile.TemporaryDirectory(prefix="tidings-bench-serve-") as tmp:
        server = Server(Path(tmp) / "serve.duckdb", env={})
        try:
            server.wait_ready()
            headers = {"Authorization": f"Bearer {server.token}"}
            streamed: dict[str, float] = {}
            listening = threading.Event()
            done = threading.Event()

            def listen() -> None:
                with httpx.stream(
                    "GET", f"{server.base}/api/stream", params={"kinds": "article"}, timeout=None
                ) as r:
                    listening.set()
                    for line in r.iter_lines():
                        if line.startswith("data:"):
                            url = json.loads(line[5:]).get("url")
                            if url:
                                streamed[url] = time.time()
                        if done.is_set():
                            return

            listener = threading.Thread(target=listen, daemon=True)
            listener.start()
            listening.wait(30)
            with httpx.Client(base_url=server.base, headers=headers, timeout=30) as client:
                # Warm-up: the first article loads the models; it is not measured.
                warm = client.post(
                    "/api/articles", json={**texts[0], "url": "https://bench.invalid/warm"}
                )
                seq = warm.json()["accepted"][0]["seq"]
                while client.get(f"/api/intake/{seq}").json()["status"] == "pending":
                    time.sleep(0.1)
                log(f"posting {len(texts)} articles at {rate}/s")
                posted: dict[str, tuple[float, int]] = {}
                errors = 0
                start = time.monotonic()
                t0 = time.time()
                for i, article in enumerate(texts):
                    due = start + i / rate
                    pause = due - time.monotonic()
                    if pause > 0:
                        time.sleep(pause)
                    url = f"https://bench.invalid/{i}"
                    sent = time.time()
                    r = client.post("/api/articles", json={**article, "url": url})
                    if r.status_code != 202:
                        errors += 1
                        continue
                    posted[url] = (sent, r.json()["accepted"][0]["seq"])
                # Wait for the tail (bounded).
                deadline = time.monotonic() + 60
                while time.monotonic() < deadline and len(streamed) < len(posted) + 1:
                    time.sleep(0.1)
                done.set()
                t_end = max(streamed.values(), default=time.time())
            rows = httpx.get(f"{server.base}/api/health").json()
            finished: dict[int, float] = {}
            with httpx.Client(base_url=server.base, timeout=30) as client:
                for _url, (_sent, seq) in posted.items():
                    st = client.get(f"/api/intake/{seq}").json()
                    if st.get("finished"):
                        finished[seq] = _server_time(st["finished"])
        finally:
            server.stop()
    to_stream = [streamed[u] - s for u, (s, _) in posted.items() if u in streamed]
    to_query = [finished[q] - s for _, (s, q) in posted.items() if q in finished]
    elapsed = max(t_end - t0, 1e-9)
    return {
        "corpus": str(corpus),
        "rate_per_s": rate,
        "posted": len(posted),
        "post_errors": errors,
        "never_streamed": len(posted) - len(to_stream),
        "pending_at_end": rows.get("pending"),
        "seconds": round(elapsed, 1),
        "sustained_articles_per_s": round(len(to_stream) / elapsed, 2),
        "post_to_stream_ms_p50": _pct(to_stream, 50),
        "post_to_stream_ms_p95": _pct(to_stream, 95),
        "post_to_stream_ms_p99": _pct(to_stream, 99),
        "post_to_queryable_ms_p50": _pct(to_query, 50),
        "post_to_queryable_ms_p95": _pct(to_query, 95),
        "post_to_queryable_ms_p99": _pct(to_query, 99),
        "server_peak_rss_mb": round(server.peak_rss / 2**20, 1),
    }


def _server_time(iso: str) -> float:
    import datetime as dt

    # DuckDB's now() is UTC; the intake stores it without a zone.
    return dt.datetime.fromisoformat(iso).replace(tzinfo=dt.UTC).timestamp()


QUERY_MIX: list[tuple[str, dict[str, Any]]] = [
    ("/api/articles", {}),
    ("/api/articles", {"q": "election"}),
    ("/api/articles", {"q": "drone attack"}),
    ("/api/articles", {"q": "kadhimi"}),
    ("/api/articles", {"country": "IQ"}),
    ("/api/articles", {"entity": "Tony Blair"}),
    ("/api/articles", {"tag": "Sport"}),
    ("/api/articles", {"since": "2024-01-01", "until": "2024-12-31"}),
    ("/api/events", {}),
    ("/api/events", {"event_type": "Protests"}),
    ("/api/events", {"country": "IQ"}),
    ("/api/events", {"bbox": "40,29,49,38"}),
    ("/api/events", {"min_fatalities": 5}),
    ("/api/events", {"actor": "Protesters"}),
    ("/api/entities", {"kind": "PERSON"}),
    ("/api/entities", {"q": "election"}),
    ("/api/places", {}),
    ("/api/stats", {"interval": "day"}),
    ("/api/trending", {}),
]


def bench_queries(db: Path, *, rounds: int = 20) -> dict[str, Any]:
    """Time each read endpoint of QUERY_MIX ``rounds`` times against an existing store."""
    import httpx

    server = Server(db, env={"TIDINGS_INTAKE_WORKER": "false"})
    timings: dict[str, list[float]] = {}
    try:
        server.wait_ready()
        with httpx.Client(base_url=server.base, timeout=60) as client:
            articles = client.get("/api/stats").json()["totals"]["articles"]
            for path, params in QUERY_MIX:  # warm the caches once
                client.get(path, params=params)
            for _ in range(rounds):
                for path, params in QUERY_MIX:
                    query = "&".join(f"{k}={v}" for k, v in params.items())
                    name = f"{path}?{query}" if query else path
                    t = time.perf_counter()
                    r = client.get(path, params=params)
                    timings.setdefault(name, []).append(time.perf_counter() - t)
                    if r.status_code != 200:
                        raise RuntimeError(f"{name}: HTTP {r.status_code}")
    finally:
        server.stop()
    every = [t for ts in timings.values() for t in ts]
    return {
        "db": str(db),
        "articles": articles,
        "requests": len(every),
        "p50_ms": _pct(every, 50),
        "p95_ms": _pct(every, 95),
        "p99_ms": _pct(every, 99),
        "by_endpoint_p95_ms": {k: _pct(v, 95) for k, v in timings.items()},
        "by_endpoint_mean_ms": {k: round(statistics.mean(v) * 1000, 1) for k, v in timings.items()},
        "server_peak_rss_mb": round(server.peak_rss / 2**20, 1),
    }


def bench_crash(
    corpus: Path,
    *,
    count: int = 200,
    rate: float = 10.0,
    log: Callable[[str], None] = lambda m: None,
) -> dict[str, Any]:
    """Post ``count`` articles, ``kill -9`` the server halfway, restart it, post the rest.

    Then wait until nothing is pending and count: every article that got a 202
    must be stored exactly once (``lost`` and ``duplicated`` must be 0); posts
    that failed because the server was down are ``refused`` (never acknowledged).
    """
    import httpx

    texts = _corpus(corpus, count)
    acked: dict[str, int] = {}
    refused = 0
    with tempfile.TemporaryDirectory(prefix="tidings-bench-crash-") as tmp:
        db = Path(tmp) / "crash.duckdb"
        server = Server(db, env={})
        server.wait_ready()
        killed_at = None
        try:
            for i, article in enumerate(texts):
                if i == count // 2:
                    log(f"kill -9 after {i} posts ({len(acked)} acknowledged)")
                    server.proc.send_signal(signal.SIGKILL)
                    server.proc.wait()
                    killed_at = i
                    server = Server(db, env={})
                    server.wait_ready()
                time.sleep(1 / rate)
                url = f"https://bench.invalid/crash/{i}"
                try:
                    r = httpx.post(
                        f"{server.base}/api/articles",
                        json={**article, "url": url},
                        headers={"Authorization": f"Bearer {server.token}"},
                        timeout=30,
                    )
                except httpx.HTTPError:
                    refused += 1
                    continue
                if r.status_code == 202:
                    acked[url] = r.json()["accepted"][0]["seq"]
                else:
                    refused += 1
            deadline = time.monotonic() + 300
            while time.monotonic() < deadline:
                if httpx.get(f"{server.base}/api/health").json()["pending"] == 0:
                    break
                time.sleep(0.5)
            stored: list[str | None] = []
            cursor = None
            with httpx.Client(base_url=server.base, timeout=60) as client:
                while True:
                    params: dict[str, Any] = {"limit": 500}
                    if cursor:
                        params["cursor"] = cursor
                    page = client.get("/api/articles", params=params).json()
                    stored += [item["url"] for item in page["items"]]
                    cursor = page["next_cursor"]
                    if not cursor:
                        break
                pending = client.get("/api/health").json()["pending"]
        finally:
            server.stop()
    present = [u for u in stored if u in acked]
    return {
        "posted": count,
        "killed_after_posts": killed_at,
        "acknowledged": len(acked),
        "refused_while_down": refused,
        "stored": len(stored),
        "lost": len(set(acked) - set(present)),
        "duplicated": len(stored) - len(set(stored)),
        "pending_at_end": pending,
    }
