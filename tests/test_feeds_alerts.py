"""Feeds against a local HTTP server serving our own RSS; alerts firing once, webhooks signed."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest

from tidings import Pipeline
from tidings.errors import ConfigError
from tidings.service import alerts, feeds, intake
from tidings.settings import Settings
from tidings.store import Store

FIXTURES = Path(__file__).parent / "fixtures" / "events"


def page(name: str) -> bytes:
    title, _, body = (FIXTURES / f"{name}.txt").read_text(encoding="utf-8").partition("\n\n")
    paras = "".join(f"<p>{p}</p>" for p in body.split("\n\n") if p.strip())
    return (
        f"<html><head><title>{title}</title></head><body><nav>Home | World</nav>"
        f"<article><h1>{title}</h1>{paras}</article><footer>Copyright</footer></body></html>"
    ).encode()


class Site(BaseHTTPRequestHandler):
    hits: ClassVar[Counter[str]] = Counter()
    posts: ClassVar[list[tuple[dict[str, str], bytes]]] = []
    webhook_failures = 0
    base = ""

    def log_message(self, *args: Any) -> None:
        pass

    def _send(self, status: int, body: bytes, ctype: str, **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers.items():
            self.send_header(k.replace("_", "-"), v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        Site.hits[self.path] += 1
        if self.path == "/feed.xml":
            if self.headers.get("If-None-Match") == '"v1"':
                self.send_response(304)
                self.end_headers()
                return
            items = "".join(
                f"<item><title>{n}</title><link>{Site.base}/{n}.html</link>"
                f"<pubDate>Thu, 07 Mar 2024 10:00:00 GMT</pubDate></item>"
                for n in ("airstrike", "protest")
            )
            rss = (
                '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
                f"{items}</channel></rss>"
            )
            self._send(200, rss.encode(), "application/rss+xml", ETag='"v1"')
        elif self.path.endswith(".html"):
            self._send(200, page(self.path.strip("/").removesuffix(".html")), "text/html")
        elif self.path == "/moved.xml":
            self.send_response(301)
            self.send_header("Location", "/feed.xml")
            self.end_headers()
        elif self.path == "/big.xml":
            self._send(200, b"<rss>" + b" " * 200_000 + b"</rss>", "application/rss+xml")
        elif self.path == "/slow.xml":
            time.sleep(2.5)
            self._send(200, b"<rss></rss>", "application/rss+xml")
        else:
            self._send(404, b"no", "text/plain")

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        Site.posts.append((dict(self.headers), body))
        if Site.webhook_failures > 0:
            Site.webhook_failures -= 1
            self._send(500, b"try again", "text/plain")
        else:
            self._send(200, b"ok", "text/plain")


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    Site.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Site.base
    server.shutdown()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "f.duckdb") as s:
        yield s


def feed_settings(settings: Settings, **changes: Any) -> Settings:
    base = {"allow_private_urls": True, "fetch_timeout": 1.0, "max_input_bytes": 100_000,
            "feed_host_delay": 0.0}  # fmt: skip
    return settings.replace(**{**base, **changes})


def feed_row(store: Store, url: str) -> dict[str, Any]:
    return next(f for f in feeds.list_feeds(store) if f["url"] == url)


# -- feeds --------------------------------------------------------------------------


def test_feed_items_are_taken_once_and_304_costs_nothing(
    site: str, store: Store, settings: Settings
) -> None:
    s = feed_settings(settings)
    poller = feeds.FeedPoller(store, s)
    client = feeds.PoliteClient(s)
    url = f"{site}/feed.xml"
    feeds.add_feed(store, url, interval_s=60)
    Site.hits.clear()
    assert poller.poll(client, url) == 2
    assert Site.hits["/airstrike.html"] == 1 and Site.hits["/protest.html"] == 1
    assert intake.pending_count(store) == 2
    row = store.cursor().execute("SELECT payload, origin FROM intake ORDER BY seq").fetchone()
    payload = json.loads(row[0])
    assert payload["raw_format"] == "html" and payload["url"].endswith("/airstrike.html")
    assert payload["published"].startswith("2024-03-07") and row[1].startswith("feed:")
    # Second poll: the server answers 304 to the ETag; nothing is fetched again.
    assert poller.poll(client, url) == 0
    assert Site.hits["/feed.xml"] == 2 and Site.hits["/airstrike.html"] == 1
    # The same items through a redirecting URL: followed, and still not fetched again.
    moved = f"{site}/moved.xml"
    feeds.add_feed(store, moved, interval_s=60)
    assert poller.poll(client, moved) == 0
    assert Site.hits["/airstrike.html"] == 1
    assert feed_row(store, moved)["errors"] == 0
    client.close()


def test_oversize_and_slow_feeds_fail_and_back_off(
    site: str, store: Store, settings: Settings
) -> None:
    s = feed_settings(settings)
    poller = feeds.FeedPoller(store, s)
    client = feeds.PoliteClient(s)
    for name, reason in (("big", "oversize"), ("slow", "timeout")):
        url = f"{site}/{name}.xml"
        feeds.add_feed(store, url, interval_s=60)
        assert poller.poll(client, url) == 0
        row = feed_row(store, url)
        assert row["errors"] == 1 and reason in row["last_error"]
        polled = time.mktime(time.strptime(row["last_polled"][:19], "%Y-%m-%dT%H:%M:%S"))
        due = time.mktime(time.strptime(row["next_poll"][:19], "%Y-%m-%dT%H:%M:%S"))
        assert due - polled >= 119  # backoff: twice the interval
    client.close()


def test_private_addresses_are_refused_by_default(
    site: str, store: Store, settings: Settings
) -> None:
    s = feed_settings(settings, allow_private_urls=False)
    poller = feeds.FeedPoller(store, s)
    client = feeds.PoliteClient(s)
    url = f"{site}/feed.xml"
    feeds.add_feed(store, url, interval_s=60)
    Site.hits.clear()
    assert poller.poll(client, url) == 0
    assert "private_address" in feed_row(store, url)["last_error"]
    assert Site.hits["/feed.xml"] == 0  # no request left the machine's checks
    client.close()


def test_feed_management(store: Store) -> None:
    feeds.add_feed(store, "https://news.example/rss", interval_s=120)
    assert [f["url"] for f in feeds.list_feeds(store)] == ["https://news.example/rss"]
    with pytest.raises(Exception, match="bad_url"):
        feeds.add_feed(store, "file:///etc/passwd", interval_s=60)
    assert feeds.remove_feed(store, "https://news.example/rss")
    assert not feeds.remove_feed(store, "https://news.example/rss")


# -- alerts -------------------------------------------------------------------------


def test_alert_rules_are_validated() -> None:
    for bad, where in (
        ({"filter": {}}, "alert.name"),
        ({"name": "x", "mode": "sometimes"}, "alert.mode"),
        ({"name": "x", "filter": {"colour": "red"}}, "alert.filter"),
        ({"name": "x", "mode": "threshold", "threshold": {"field": "mood"}}, "threshold.field"),
        ({"name": "x", "webhook": "ftp://h"}, "alert.webhook"),
        # Filter values are checked when the rule is made, not when it is first evaluated.
        ({"name": "x", "filter": {"min_fatalities": "lots"}}, "filter.min_fatalities"),
        ({"name": "x", "filter": {"min_fatalities": -1}}, "filter.min_fatalities"),
        ({"name": "x", "filter": {"min_confidence": 1.5}}, "filter.min_confidence"),
        ({"name": "x", "filter": {"min_confidence": "high"}}, "filter.min_confidence"),
    ):
        with pytest.raises(ConfigError, match=where):
            alerts.validate_rule(bad)
    rule = {"name": "sure strikes", "filter": {"min_confidence": 0.5, "min_fatalities": 1}}
    assert alerts.validate_rule(rule)["filter"] == rule["filter"]


def test_alerts_fire_once_and_webhooks_are_signed_and_retried(
    site: str, store: Store, settings: Settings, pipeline: Pipeline
) -> None:
    s = feed_settings(settings, webhook_secret="k3y")
    any_strike = alerts.add_alert(store, {
        "name": "strikes", "filter": {"event_type": "Explosions/Remote violence"},
        "webhook": f"{site}/hook",
    })  # fmt: skip
    deadly = alerts.add_alert(store, {
        "name": "deadly Yemen", "filter": {"country": "YE"}, "mode": "threshold",
        "threshold": {"field": "fatalities", "value": 10, "window_hours": 24},
    })  # fmt: skip
    quiet = alerts.add_alert(store, {"name": "protests", "filter": {"event_type": "Protests"}})
    evaluator = alerts.AlertEvaluator(store, s)
    worker = intake.IntakeWorker(store, pipeline)
    Site.posts.clear()
    Site.webhook_failures = 1
    evaluator.start()
    try:
        text = (FIXTURES / "airstrike.txt").read_text(encoding="utf-8")
        record = intake.InputRecord(
            raw=text, raw_format="text", origin="t", url="https://n.example/1"
        )
        for _ in range(2):  # the same article twice: the matches do not fire again
            intake.accept(store, [record], "test")
            worker.step()
            evaluator.poke()
            time.sleep(0.5)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and len(alerts.deliveries(store, any_strike["id"])) < 2:
            time.sleep(0.1)
    finally:
        evaluator.stop()
    fired = {a["id"]: a["fired"] for a in alerts.list_alerts(store)}
    assert fired == {any_strike["id"]: 1, deadly["id"]: 1, quiet["id"]: 0}
    log = alerts.deliveries(store, any_strike["id"])
    assert [(d["attempt"], d["status"]) for d in log] == [(1, "failed"), (2, "delivered")]
    headers, body = Site.posts[-1]
    expected = hmac.new(b"k3y", body, hashlib.sha256).hexdigest()
    assert headers["X-Tidings-Signature"] == f"sha256={expected}"
    sent = json.loads(body)
    assert sent["name"] == "strikes" and sent["event"]["fatalities"] == 12
    streamed = (
        store.cursor().execute("SELECT count(*) FROM stream_log WHERE kind = 'alert'").fetchone()
    )
    assert streamed == (2,)


# -- inbox --------------------------------------------------------------------------


def test_inbox_files_are_ingested_and_moved_with_reasons(
    tmp_path: Path, store: Store, settings: Settings
) -> None:
    from tidings.service import inbox

    box = tmp_path / "inbox"
    box.mkdir()
    (box / "strike.txt").write_text((FIXTURES / "airstrike.txt").read_text(), encoding="utf-8")
    good = json.dumps({"text": (FIXTURES / "protest.txt").read_text()})
    (box / "mixed.jsonl").write_text(good + "\n{broken\n", encoding="utf-8")
    (box / "empty.txt").write_bytes(b"")
    (box / "writing.part").write_text("not yet", encoding="utf-8")
    old = time.time() - 10
    for p in box.iterdir():
        os.utime(p, (old, old))
    watcher = inbox.InboxWatcher(store, settings, box)
    taken = {p.name: inbox.take(store, p, settings)[:2] for p in watcher.ready()}
    assert taken == {
        "strike.txt": ("done", 1),
        "mixed.jsonl": ("done", 1),
        "empty.txt": ("failed", 0),
    }
    assert (box / "done" / "strike.txt").is_file() and (box / "failed" / "empty.txt").is_file()
    assert "malformed_json" in (box / "done" / "mixed.jsonl.reason.txt").read_text()
    assert "empty" in (box / "failed" / "empty.txt.reason.txt").read_text()
    assert (box / "writing.part").is_file()  # never taken
    assert intake.pending_count(store) == 2
