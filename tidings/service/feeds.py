"""RSS/Atom feeds: managed in the store, polled politely, items taken once.

Feeds come from the ``feeds`` setting (synced into the ``feeds`` table at
start) and from ``POST/DELETE /api/feeds`` / ``tidings feeds add|remove``.
The :class:`FeedPoller` thread polls each due feed with ``If-None-Match`` /
``If-Modified-Since`` (a 304 costs nothing), parses it with feedparser, and for
each item whose link was never seen fetches the article page (HTML, extracted
later by the pipeline's trafilatura) and hands it to the intake. Every request:
``http``/``https`` only, a connect/read timeout and a total deadline, a size
cap checked while streaming, redirects followed by hand (each hop checked),
and no private, loopback, link-local or reserved addresses unless
``allow_private_urls`` is set. A host gets one request per
``feed_host_delay`` seconds. A failing feed backs off: its interval doubles
with each consecutive error, up to a day.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import logging
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

from ..errors import FetchError
from ..settings import Settings
from ..sources.files import InputRecord, decode
from ..store import Store
from . import intake

logger = logging.getLogger(__name__)

MAX_REDIRECTS = 5
MAX_BACKOFF_S = 86_400
MAX_ITEMS_PER_POLL = 50


@dataclass
class Response:
    status: int
    url: str
    headers: dict[str, str]
    body: bytes


def check_address(url: str, *, allow_private: bool) -> None:
    """Refuse non-HTTP URLs and hosts that resolve to private or local addresses."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(url, "bad_url", "only http and https URLs are fetched")
    if allow_private:
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 80, proto=socket.IPPROTO_TCP)
    except OSError as e:
        raise FetchError(url, "dns_failed", str(e)) from e
    for info in infos:
        ip = ipaddress.ip_address(info[4][0])
        if (
            ip.is_private
            or ip.is_loopback
            or ip.is_link_local
            or ip.is_reserved
            or ip.is_multicast
            or ip.is_unspecified
        ):
            raise FetchError(
                url,
                "private_address",
                f"{parts.hostname} resolves to {ip}, a non-public address "
                "(setting allow_private_urls)",
            )


class PoliteClient:
    """Guarded GETs with per-host spacing (one client for the poller thread)."""

    def __init__(self, settings: Settings) -> None:
        import httpx

        self.settings = settings
        self.timeout = settings.fetch_timeout
        self.max_bytes = settings.max_input_bytes
        self.delay = settings.feed_host_delay
        self._last: dict[str, float] = {}
        self._client = httpx.Client(
            follow_redirects=False,
            timeout=self.timeout,
            headers={"User-Agent": settings.user_agent},
        )

    def close(self) -> None:
        self._client.close()

    def _wait_turn(self, host: str) -> None:
        last = self._last.get(host)
        if last is not None:
            pause = self.delay - (time.monotonic() - last)
            if pause > 0:
                time.sleep(pause)
        self._last[host] = time.monotonic()

    def get(self, url: str, headers: dict[str, str] | None = None) -> Response:
        import httpx

        current = url
        for _ in range(MAX_REDIRECTS + 1):
            check_address(current, allow_private=self.settings.allow_private_urls)
            self._wait_turn(urlsplit(current).hostname or "")
            deadline = time.monotonic() + self.timeout * 3
            try:
                with self._client.stream("GET", current, headers=headers or {}) as r:
                    if r.status_code in (301, 302, 303, 307, 308) and "location" in r.headers:
                        current = urljoin(current, r.headers["location"])
                        continue
                    declared = r.headers.get("content-length")
                    if declared and declared.isdigit() and int(declared) > self.max_bytes:
                        raise FetchError(current, "oversize", f"{declared} bytes")
                    body = bytearray()
                    for chunk in r.iter_bytes():
                        body.extend(chunk)
                        if len(body) > self.max_bytes:
                            raise FetchError(current, "oversize", f"over {self.max_bytes:,} bytes")
                        if time.monotonic() > deadline:
                            raise FetchError(current, "timeout", "the body took too long")
                    return Response(r.status_code, str(r.url), dict(r.headers), bytes(body))
            except httpx.TimeoutException as e:
                raise FetchError(current, "timeout", f"no answer within {self.timeout}s") from e
            except httpx.HTTPError as e:
                raise FetchError(current, "fetch_failed", str(e) or type(e).__name__) from e
        raise FetchError(url, "too_many_redirects", f"more than {MAX_REDIRECTS}")


# -- feed management (the API and the CLI use these) ---------------------------------


def add_feed(store: Store, url: str, *, interval_s: int) -> dict[str, Any]:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(url, "bad_url", "a feed URL must be http or https")
    with store.write_lock():
        store.connection().execute(
            "INSERT INTO feeds (url, added, interval_s, next_poll) "
            "VALUES (?, now()::TIMESTAMP, ?, now()::TIMESTAMP) ON CONFLICT (url) DO NOTHING",
            [url, interval_s],
        )
    return next(f for f in list_feeds(store) if f["url"] == url)


def remove_feed(store: Store, url: str) -> bool:
    with store.write_lock():
        before = (
            store.connection().execute("SELECT count(*) FROM feeds WHERE url = ?", [url]).fetchone()
        )
        store.connection().execute("DELETE FROM feeds WHERE url = ?", [url])
    return bool(before and before[0])


def list_feeds(store: Store) -> list[dict[str, Any]]:
    rows = (
        store.cursor()
        .execute(
            "SELECT url, interval_s, last_polled, next_poll, errors, last_error, items_seen "
            "FROM feeds ORDER BY url"
        )
        .fetchall()
    )
    keys = ("url", "interval_s", "last_polled", "next_poll", "errors", "last_error", "items_seen")
    out = []
    for row in rows:
        item = dict(zip(keys, row, strict=True))
        for k in ("last_polled", "next_poll"):
            item[k] = item[k].isoformat() if item[k] else None
        out.append(item)
    return out


def sync_from_settings(store: Store, settings: Settings) -> None:
    for url in (u.strip() for u in settings.feeds.split(",")):
        if url:
            add_feed(store, url, interval_s=settings.feed_interval)


# -- polling -------------------------------------------------------------------------


def _item_text(entry: Any) -> str:
    for content in entry.get("content") or []:
        if content.get("value"):
            return str(content["value"])
    return str(entry.get("summary") or "")


def _published(entry: Any) -> str | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None
    year, month, day, hour, minute, second = parsed[:6]
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=dt.UTC).isoformat()


class FeedPoller(threading.Thread):
    """Polls due feeds and feeds new items to the intake."""

    def __init__(
        self, store: Store, settings: Settings, *, on_accept: Callable[[], None] | None = None
    ) -> None:
        super().__init__(name="tidings-feeds", daemon=True)
        self.store = store
        self.settings = settings
        self.on_accept = on_accept
        self._stopping = threading.Event()
        self._wake = threading.Event()

    def stop(self, timeout: float | None = 30.0) -> None:
        self._stopping.set()
        self._wake.set()
        self.join(timeout)

    def poke(self) -> None:
        self._wake.set()

    def run(self) -> None:
        client = PoliteClient(self.settings)
        try:
            while not self._stopping.is_set():
                try:
                    due = self._due()
                    for url in due:
                        if self._stopping.is_set():
                            break
                        self.poll(client, url)
                except Exception:
                    logger.exception("feed polling failed")
                self._wake.wait(1.0)
                self._wake.clear()
        finally:
            client.close()

    def _due(self) -> list[str]:
        rows = (
            self.store.cursor()
            .execute(
                "SELECT url FROM feeds WHERE next_poll IS NULL OR next_poll <= now()::TIMESTAMP "
                "ORDER BY next_poll NULLS FIRST"
            )
            .fetchall()
        )
        return [r[0] for r in rows]

    def poll(self, client: PoliteClient, url: str) -> int:
        """Poll one feed now; return how many new items went to the intake."""
        import feedparser

        row = (
            self.store.cursor()
            .execute(
                "SELECT etag, last_modified, interval_s, errors FROM feeds WHERE url = ?", [url]
            )
            .fetchone()
        )
        if row is None:
            return 0
        etag, modified, interval, errors = row
        headers = {"Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9"}
        if etag:
            headers["If-None-Match"] = etag
        if modified:
            headers["If-Modified-Since"] = modified
        try:
            response = client.get(url, headers)
            if response.status == 304:
                self._polled(url, interval, etag, modified, error=None, new=0)
                return 0
            if response.status >= 400:
                raise FetchError(url, "http_error", f"HTTP {response.status}")
            parsed = feedparser.parse(response.body)
            if parsed.get("bozo") and not parsed.get("entries"):
                raise FetchError(url, "bad_feed", str(parsed.get("bozo_exception", "not a feed")))
            new = self._take(client, url, parsed.get("entries") or [])
        except FetchError as e:
            logger.warning("feed %s: %s", url, e)
            backoff = min(MAX_BACKOFF_S, interval * 2 ** (errors + 1))
            self._polled(url, backoff, etag, modified, error=str(e), new=0)
            return 0
        self._polled(
            url,
            interval,
            response.headers.get("etag") or etag,
            response.headers.get("last-modified") or modified,
            error=None,
            new=new,
        )
        return new

    def _take(self, client: PoliteClient, feed_url: str, entries: list[Any]) -> int:
        links = [(e.get("link") or "").strip() for e in entries[:MAX_ITEMS_PER_POLL]]
        known = {
            r[0]
            for r in self.store.cursor()
            .execute(
                "SELECT link FROM feed_seen WHERE link IN (SELECT unnest(?::VARCHAR[]))",
                [[link for link in links if link]],
            )
            .fetchall()
        }
        records: list[InputRecord] = []
        seen: list[str] = []
        for entry, link in zip(entries, links, strict=False):
            if not link or link in known or link in seen:
                continue
            title = entry.get("title")
            published = _published(entry)
            try:
                page = client.get(link, {"Accept": "text/html,text/plain;q=0.9"})
                if page.status >= 400:
                    raise FetchError(link, "http_error", f"HTTP {page.status}")
                kind = "html" if "html" in page.headers.get("content-type", "html") else "text"
                raw = decode(page.body, link, html=kind == "html")
            except FetchError as e:
                text = _item_text(entry)
                if not text.strip():
                    logger.warning("feed item %s: %s; no text in the feed either", link, e)
                    continue
                raw, kind = text, "html"
            seen.append(link)
            records.append(
                InputRecord(
                    raw=raw,
                    raw_format=kind,
                    origin=link,
                    url=link,
                    title=title,
                    published=published,
                )
            )
        if not records:
            return 0
        intake.accept(self.store, records, f"feed:{feed_url}")
        with self.store.write_lock():
            self.store.connection().execute(
                "INSERT INTO feed_seen SELECT unnest(?::VARCHAR[]), ?, now()::TIMESTAMP "
                "ON CONFLICT (link) DO NOTHING",
                [seen, feed_url],
            )
        if self.on_accept is not None:
            self.on_accept()
        return len(records)

    def _polled(
        self,
        url: str,
        next_in: int,
        etag: str | None,
        modified: str | None,
        *,
        error: str | None,
        new: int,
    ) -> None:
        with self.store.write_lock():
            self.store.connection().execute(
                "UPDATE feeds SET last_polled = now()::TIMESTAMP, "
                "next_poll = now()::TIMESTAMP + to_seconds(?::BIGINT), etag = ?, "
                "last_modified = ?, "
                "errors = CASE WHEN ? IS NULL THEN 0 ELSE errors + 1 END, last_error = ?, "
                "items_seen = items_seen + ? WHERE url = ?",
                [next_in, etag, modified, error, error, new, url],
            )
