"""Fetch one article page over HTTP(S), within a timeout and a size cap.

Page content is untrusted: it is read as text and handed to the extractor,
never executed. Only ``http`` and ``https`` URLs are fetched; redirects are
followed (at most 5) and the final URL becomes the article's URL.
"""

from __future__ import annotations

from ..errors import FetchError
from ..settings import Settings
from .files import InputRecord, decode

MAX_REDIRECTS = 5


class Fetcher:
    """Fetch URLs with ``httpx``.

    Args:
        max_bytes: refuse bodies larger than this (checked while streaming).
        timeout: seconds for connect and for each read.
        user_agent: the User-Agent header.
    """

    def __init__(
        self, *, max_bytes: int, timeout: float = 10.0, user_agent: str = "tidings/0.1"
    ) -> None:
        self.max_bytes = max_bytes
        self.timeout = timeout
        self.user_agent = user_agent

    @classmethod
    def from_settings(cls, settings: Settings) -> Fetcher:
        return cls(
            max_bytes=settings.max_input_bytes,
            timeout=settings.fetch_timeout,
            user_agent=settings.user_agent,
        )

    def __call__(self, url: str) -> InputRecord:
        import httpx

        if not url.startswith(("http://", "https://")):
            raise FetchError(url, "bad_url", "only http and https URLs are fetched")
        try:
            with (
                httpx.Client(
                    follow_redirects=True,
                    max_redirects=MAX_REDIRECTS,
                    timeout=self.timeout,
                    headers={"User-Agent": self.user_agent, "Accept": "text/html,text/plain;q=0.9"},
                ) as client,
                client.stream("GET", url) as response,
            ):
                if response.status_code >= 400:
                    raise FetchError(url, "http_error", f"HTTP {response.status_code}")
                declared = response.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > self.max_bytes:
                    raise FetchError(
                        url, "oversize", f"{declared} bytes; the limit is {self.max_bytes:,}"
                    )
                body = bytearray()
                for chunk in response.iter_bytes():
                    body.extend(chunk)
                    if len(body) > self.max_bytes:
                        raise FetchError(url, "oversize", f"more than {self.max_bytes:,} bytes")
                kind = "html" if "html" in response.headers.get("content-type", "html") else "text"
                final = str(response.url)
                charset = response.charset_encoding
        except httpx.TimeoutException as e:
            raise FetchError(url, "timeout", f"no answer within {self.timeout}s") from e
        except httpx.TooManyRedirects as e:
            raise FetchError(url, "too_many_redirects", f"more than {MAX_REDIRECTS}") from e
        except httpx.HTTPError as e:
            raise FetchError(url, "fetch_failed", str(e) or type(e).__name__) from e
        data = bytes(body)
        if charset and charset.lower().replace("-", "") not in ("utf8", "ascii"):
            try:
                text = data.decode(charset)
            except (LookupError, UnicodeDecodeError):
                text = decode(data, url, html=kind == "html")
        else:
            text = decode(data, url, html=kind == "html")
        return InputRecord(raw=text, raw_format=kind, origin=url, url=final)
