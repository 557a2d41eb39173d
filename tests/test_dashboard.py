"""The dashboard in a real browser: Debian's chromium, driven by Playwright.

A real ``tidings serve`` process holds our own fixture articles and the seed;
the page must show them on the map, in the feed and on the timeline, take a new
article live, filter through the URL, open an event page with its evidence
highlighted, manage alerts, and keep hostile article text inert.
Screenshots go to ``test-artifacts/`` (the README's is taken from there).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tidings.service.bench import Server

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
SEED = ROOT.parent / "shared" / "examples" / "seed-article.txt"
CHROMIUM = os.environ.get("TIDINGS_CHROMIUM", "/usr/bin/chromium")
BUNDLE = ROOT / "tidings" / "web" / "static" / "index.html"
ARTIFACTS = ROOT / "test-artifacts"

pytestmark = pytest.mark.slow


def _need(path: Path | str, what: str) -> None:
    if not Path(path).exists():
        message = f"{what} not found at {path}: `make test` installs and builds it"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def _post(server: Server, records: list[dict[str, Any]]) -> list[int]:
    r = httpx.post(
        f"{server.base}/api/articles",
        json=records,
        headers={"Authorization": f"Bearer {server.token}"},
        timeout=30,
    )
    assert r.status_code == 202, r.text
    return [a["seq"] for a in r.json()["accepted"]]


def _wait_done(server: Server, seqs: list[int], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    for seq in seqs:
        while True:
            status = httpx.get(f"{server.base}/api/intake/{seq}", timeout=5).json()["status"]
            if status != "pending":
                break
            assert time.monotonic() < deadline, f"intake {seq} still pending"
            time.sleep(0.2)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    _need(BUNDLE, "the dashboard bundle")
    _need(CHROMIUM, "Debian's chromium")
    db = tmp_path_factory.mktemp("dash") / "dash.duckdb"
    srv = Server(db, env={})
    try:
        srv.wait_ready()
        records = []
        if SEED.is_file():
            records.append(
                {
                    "text": SEED.read_text(),
                    "published": "2021-11-08",
                    "url": "https://seed.example/",
                }
            )
        for path in sorted((FIXTURES / "events").glob("*.txt")):
            records.append(
                {"text": path.read_text(), "published": "2024-06-20",
                 "url": f"https://fixtures.example/{path.stem}"}
            )  # fmt: skip
        _wait_done(srv, _post(srv, records))
        yield srv
    finally:
        srv.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    _need(CHROMIUM, "Debian's chromium")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture
def page(browser: Any, server: Server) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    outside: list[str] = []
    pg.on(
        "request",
        lambda r: None if r.url.startswith((server.base, "data:")) else outside.append(r.url),
    )
    yield pg
    context.close()
    assert not errors, errors
    assert not outside, f"the dashboard reached outside the server: {outside}"


def _until(check: Any, timeout: float = 20) -> None:
    # Polled from here: the page's CSP forbids the string evaluation wait_for_function uses.
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.2)


def _shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def test_dashboard_shows_map_feed_and_timeline(page: Any, server: Server) -> None:
    page.goto(server.base + "/")
    page.wait_for_selector("#feed li.event")
    assert page.locator("#status").inner_text() == "live"
    feed = page.locator("#feed").inner_text()
    if SEED.is_file():  # both seed events: the drone strike and the deadly protest
        assert "Air/drone strike" in feed and "Violent demonstration" in feed
        assert "Baghdad" in feed
    assert page.locator(".leaflet-overlay-pane path.leaflet-interactive").count() >= 3
    assert page.locator("#timeline svg rect").count() >= 1
    assert page.locator("#trending li").count() >= 1
    _shot(page, "dashboard.png")


def test_new_event_arrives_live_without_reload(page: Any, server: Server) -> None:
    page.goto(server.base + "/")
    page.wait_for_selector("#feed li.event")
    page.wait_for_selector("#status:text-is('live')")
    _post(
        server,
        [
            {
                "title": "Rebels attack army post near Bunia",
                "text": "Rebel fighters attacked an army post outside the town of Bunia in "
                "northeastern Congo on Thursday, the army said. Six soldiers and four rebels "
                "were killed in the fighting, an army spokesman told reporters.",
                "published": "2024-06-21",
                "url": "https://live.example/bunia",
            }
        ],
    )
    page.wait_for_selector("#feed li.live", timeout=20_000)
    assert "Bunia" in page.locator("#feed li.live").first.inner_text()


def test_filters_live_in_the_url_and_narrow_every_panel(page: Any, server: Server) -> None:
    page.goto(server.base + "/")
    page.wait_for_selector("#feed li.event")
    page.select_option("select[name=event_type]", "Protests")
    page.click("#filters button[type=submit]")
    page.wait_for_url("**event_type=Protests**")
    _until(lambda: set(page.locator("#feed li.event .badge").all_inner_texts()) == {"Protests"})
    assert page.locator("#feed li.event").count() >= 1
    shared = page.url  # the same view, opened fresh from its URL
    page.goto(shared)
    page.wait_for_selector("#feed li.event")
    assert page.locator("select[name=event_type]").input_value() == "Protests"


def test_confidence_and_toll_filters_narrow_the_feed(page: Any, server: Server) -> None:
    every = httpx.get(f"{server.base}/api/events", params={"limit": 200}).json()["items"]
    scores = sorted({e["confidence"] for e in every})
    assert len(scores) >= 2
    cut = scores[len(scores) // 2]
    sure = httpx.get(
        f"{server.base}/api/events", params={"limit": 200, "min_confidence": cut}
    ).json()["items"]
    assert 0 < len(sure) < len(every)
    page.goto(server.base + "/")
    page.wait_for_selector("#feed li.event")
    page.fill("#filters input[name=min_confidence]", str(cut))
    page.click("#filters button[type=submit]")
    page.wait_for_url("**min_confidence=**")
    _until(lambda: page.locator("#feed li.event").count() == len(sure))
    shown = {(a, int(i)) for a, i in zip(
        page.locator("#feed li.event").evaluate_all("els => els.map(e => e.dataset.article)"),
        page.locator("#feed li.event").evaluate_all("els => els.map(e => e.dataset.idx)"),
        strict=True,
    )}  # fmt: skip
    assert shown == {(e["article_id"], e["idx"]) for e in sure}
    page.goto(page.url)  # the view, opened fresh from its URL, keeps the filter
    page.wait_for_selector("#feed li.event")
    assert page.locator("#filters input[name=min_confidence]").input_value() == str(cut)
    page.fill("#filters input[name=min_fatalities]", "1000000")
    page.click("#filters button[type=submit]")
    page.wait_for_selector("#feed li.empty")


def test_event_page_shows_fields_reports_and_highlighted_evidence(
    page: Any, server: Server
) -> None:
    page.goto(server.base + "/")
    page.wait_for_selector("#feed li.event a")
    page.locator("#feed li.event a").first.click()
    page.wait_for_selector("#event-page:not([hidden])")
    assert page.locator("#event-fields th").count() >= 10
    assert page.locator("#event-text mark").count() >= 1
    assert page.locator("#event-reports li").count() >= 1
    _shot(page, "event-page.png")
    page.keyboard.press("Escape")
    page.wait_for_selector("#event-page", state="hidden")


def test_hostile_article_text_stays_inert(page: Any, server: Server) -> None:
    evil = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'
    _wait_done(
        server,
        _post(
            server,
            [
                {
                    "title": f"Protest {evil}",
                    "text": f"Thousands of protesters marched in Santiago on Monday {evil} "
                    'against pension cuts, police said. <a href="javascript:window.__pwned=3">'
                    "read more</a> The march was peaceful and ended without incident.",
                    "published": "2024-06-20",
                    "url": "https://hostile.example/protest",
                }
            ],
        ),
    )
    page.goto(server.base + "/?q=santiago")
    page.wait_for_selector("#feed li.event a")
    hostile = page.locator("#feed li.event", has_text="onerror").first
    assert "<script>" in hostile.inner_text()  # shown as text
    hostile.locator("a").first.click()
    page.wait_for_selector("#event-page:not([hidden])")
    body = page.locator("#event-text").inner_text()
    assert "<script>" in body and "onerror" in body
    assert page.locator("#event-text a[href^=javascript]").count() == 0
    assert page.locator("#event-page img, #feed img").count() == 0
    assert page.evaluate("window.__pwned === undefined")


def test_alerts_can_be_created_and_deleted(page: Any, server: Server) -> None:
    page.goto(server.base + "/")
    page.wait_for_selector("#alert-form")
    page.fill("#alert-form input[name=token]", server.token)
    page.fill("#alert-form input[name=name]", "Deadly events in Iraq")
    page.fill("#alert-form input[name=country]", "IQ")
    page.fill("#alert-form input[name=min_confidence]", "0.35")
    page.click("#alert-form button[type=submit]")
    page.locator("#alerts li", has_text="Deadly events in Iraq").wait_for()
    listed = httpx.get(f"{server.base}/api/alerts").json()["items"]
    assert [a["filter"] for a in listed if a["name"] == "Deadly events in Iraq"] == [
        {"country": "IQ", "min_confidence": 0.35}
    ]
    page.click("#alerts li button")
    page.wait_for_selector("#alerts li", state="detached")


def test_keyboard_and_phone_width(browser: Any, server: Server) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(server.base + "/")
    page.wait_for_selector("#feed li.event")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#feed"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1, f"the page is {width}px wide on a 390px screen"
    _shot(page, "dashboard-phone.png")
    context.close()


def test_dashboard_page_sends_a_content_security_policy(server: Server) -> None:
    r = httpx.get(server.base + "/")
    assert r.status_code == 200
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert json.loads(httpx.get(server.base + "/api/health").text)["status"]


def test_timeline_switches_to_hours(page: Any, server: Server) -> None:
    page.goto(server.base + "/")
    page.wait_for_selector("#timeline svg rect")
    page.select_option("#interval", "hour")
    page.wait_for_selector("#timeline svg[aria-label^='Events per hour']")
    assert page.locator("#timeline svg rect").count() >= 1
