"""URL inputs against a local HTTP server: timeouts, size caps, errors, redirects."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tidings.errors import FetchError
from tidings.sources.fetch import Fetcher

PAGE = (
    b"<html><head><title>Local story</title></head><body><article><h1>Local story</h1>"
    b"<p>The harbour authority in Cork said on Monday that a cargo ship had run aground "
    b"near the port entrance, and that no one was hurt.</p></article></body></html>"
)


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        if self.path == "/slow":
            time.sleep(2)
        if self.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "/story")
            self.end_headers()
            return
        if self.path == "/missing":
            self.send_error(404)
            return
        body = PAGE if self.path in ("/story", "/slow") else b"<p>" + b"x" * 50_000 + b"</p>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        if self.path != "/big-chunked":
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_fetch_page_and_follow_redirect(server: str) -> None:
    record = Fetcher(max_bytes=10_000)(f"{server}/redirect")
    assert record.raw_format == "html"
    assert record.url == f"{server}/story"
    assert "run aground" in record.raw


@pytest.mark.parametrize(
    ("path", "reason"),
    [("/missing", "http_error"), ("/big", "oversize"), ("/big-chunked", "oversize")],
)
def test_fetch_errors(server: str, path: str, reason: str) -> None:
    with pytest.raises(FetchError) as info:
        Fetcher(max_bytes=10_000)(f"{server}{path}")
    assert info.value.reason == reason


def test_fetch_timeout(server: str) -> None:
    with pytest.raises(FetchError) as info:
        Fetcher(max_bytes=10_000, timeout=0.3)(f"{server}/slow")
    assert info.value.reason == "timeout"


def test_fetch_refuses_other_schemes() -> None:
    with pytest.raises(FetchError) as info:
        Fetcher(max_bytes=10_000)("file:///etc/passwd")
    assert info.value.reason == "bad_url"


def test_fetch_analyze_url_end_to_end(server: str, pipeline) -> None:  # type: ignore[no-untyped-def]
    from tidings.ingest import to_article

    article = pipeline(to_article(Fetcher(max_bytes=10_000)(f"{server}/story")))
    assert article.url == f"{server}/story"
    assert article.title == "Local story"
    assert any(e.text == "Cork" for e in article.entities)
