"""``tidings serve``: the HTTP API, the live stream and the intake worker in one process.

FastAPI on uvicorn. Writes need a bearer token (``TIDINGS_API_TOKEN`` or the
``api_token`` setting); with no token configured, write endpoints are refused.
Reads never take the writer's lock: each request reads through a cursor of its
own, and DuckDB's MVCC shows it the last committed state. Every error is JSON
of one shape: ``{"error": {"status", "code", "message", "details"}}``.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import (
    FileResponse,
    JSONResponse,
    PlainTextResponse,
    Response,
    StreamingResponse,
)
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..dedup import DuplicateFinder
from ..errors import InputError
from ..pipeline import Pipeline
from ..settings import Settings
from ..sources.files import record_from_json
from ..store import Store
from . import alerts, feeds, inbox, intake, queries
from . import stories as story_queries

logger = logging.getLogger(__name__)

KEEPALIVE_SECONDS = 15.0


# The dashboard runs only its own script; article text can never become code.
DASHBOARD_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)


class ApiError(Exception):
    """An error answered as JSON: ``{"error": {status, code, message, details}}``."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        details: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.details = details or []
        self.headers = headers


def _error(
    status: int, code: str, message: str, details: Any = None, headers: Any = None
) -> JSONResponse:
    body = {"error": {"status": status, "code": code, "message": message, "details": details or []}}
    return JSONResponse(body, status_code=status, headers=headers)


class Notifier:
    """Wakes live-stream listeners (in the event loop) when the worker stores something."""

    def __init__(self) -> None:
        self.loop: asyncio.AbstractEventLoop | None = None
        self._event: asyncio.Event | None = None

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self._event = asyncio.Event()

    def notify_threadsafe(self) -> None:
        if self.loop is not None and not self.loop.is_closed():
            self.loop.call_soon_threadsafe(self._fire)

    def _fire(self) -> None:
        if self._event is not None:
            self._event.set()
            self._event = asyncio.Event()

    async def wait(self, timeout: float) -> bool:
        event = self._event
        if event is None:
            await asyncio.sleep(timeout)
            return False
        try:
            await asyncio.wait_for(event.wait(), timeout)
            return True
        except TimeoutError:
            return False


def create_app(settings: Settings, *, db: str | None = None) -> FastAPI:
    """Build the application; the store opens and the worker starts with the app's lifespan."""
    notifier = Notifier()
    state: dict[str, Any] = {}

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = Store(db or settings.db)
        state["store"] = store
        notifier.bind(asyncio.get_running_loop())
        feeds.sync_from_settings(store, settings)
        alerts.sync_from_settings(store, settings)
        evaluator = alerts.AlertEvaluator(store, settings, on_fire=notifier.notify_threadsafe)
        evaluator.start()

        def stored() -> None:
            notifier.notify_threadsafe()
            evaluator.poke()

        worker = None
        if settings.intake_worker:
            pipeline = Pipeline.from_settings(settings)
            if settings.source_homes:  # what earlier runs learnt of publishers
                pipeline.remember(store.publisher_memory())
            worker = intake.IntakeWorker(
                store,
                pipeline,
                batch_size=min(settings.batch_size, 16),
                on_stored=stored,
                finder=DuplicateFinder(store) if settings.dedup else None,
            )
            worker.start()
        poller = None
        if settings.feed_poller:
            poller = feeds.FeedPoller(
                store, settings, on_accept=worker.notify if worker is not None else None
            )
            poller.start()
        watcher = None
        if settings.inbox:
            watcher = inbox.InboxWatcher(
                store,
                settings,
                Path(settings.inbox),
                on_accept=worker.notify if worker is not None else None,
            )
            watcher.start()
        state.update(worker=worker, poller=poller, evaluator=evaluator)
        try:
            yield
        finally:
            # Stop taking new work first, then drain the batch in flight.
            if poller is not None:
                await run_in_threadpool(poller.stop)
            if watcher is not None:
                await run_in_threadpool(watcher.stop)
            if worker is not None:
                await run_in_threadpool(worker.stop)
            await run_in_threadpool(evaluator.stop)
            store.close()

    app = FastAPI(
        title="tidings",
        version=__version__,
        description="Real-time news event intelligence: articles in, structured events out.",
        lifespan=lifespan,
    )

    def store() -> Store:
        return state["store"]

    # -- the dashboard (built by `make`: web/ bundled into tidings/web/static) ----------

    static = Path(__file__).resolve().parent.parent / "web" / "static"
    app.mount("/static", StaticFiles(directory=static, check_dir=False), name="static")

    @app.get("/", include_in_schema=False)
    def dashboard() -> Response:
        index = static / "index.html"
        if not index.is_file():
            return PlainTextResponse(
                "The dashboard is not built: run `make install` (it runs npm ci and the "
                "esbuild bundle in web/). The API is at /api and documented at /docs.",
                status_code=503,
            )
        return FileResponse(
            index,
            headers={
                "Content-Security-Policy": DASHBOARD_CSP,
                "X-Content-Type-Options": "nosniff",
                "Referrer-Policy": "no-referrer",
            },
        )

    # -- errors --------------------------------------------------------------------

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        return _error(exc.status, exc.code, exc.message, exc.details, exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return _error(exc.status_code, code, str(exc.detail), headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        details = [
            {"path": ".".join(str(p) for p in e.get("loc", ())), "message": e.get("msg", "")}
            for e in exc.errors()
        ]
        return _error(422, "validation_error", "the request is not valid", details)

    # -- auth ----------------------------------------------------------------------

    def require_token(authorization: Annotated[str | None, Header()] = None) -> None:
        expected = settings.api_token
        if not expected:
            raise ApiError(
                403,
                "writes_disabled",
                "write endpoints are disabled: no API token is configured "
                "(set TIDINGS_API_TOKEN or api_token in the settings file)",
            )
        if not authorization or not authorization.lower().startswith("bearer "):
            raise ApiError(
                401,
                "unauthorized",
                "send the API token as 'Authorization: Bearer <token>'",
                headers={"WWW-Authenticate": "Bearer"},
            )
        given = authorization[7:].strip().encode()
        if not hmac.compare_digest(given, expected.encode()):
            raise ApiError(403, "forbidden", "the API token is not valid")

    # -- writes --------------------------------------------------------------------

    @app.post(
        "/api/articles",
        status_code=202,
        dependencies=[Depends(require_token)],
        summary="Submit one article or a batch for analysis",
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "description": "One record, a list of records, or "
                            "{'articles': [...]}; a record has 'text' or 'html' and optionally "
                            "'title', 'url', 'published', 'source', 'id' (as JSONL ingest)."
                        }
                    }
                },
            }
        },
    )
    async def post_articles(request: Request) -> JSONResponse:
        body = await _read_capped(request, settings.max_request_bytes)
        try:
            data = json.loads(body)
        except (json.JSONDecodeError, UnicodeDecodeError) as e:
            raise ApiError(400, "malformed_json", f"the body is not JSON: {e}") from None
        items, prefix = _records_of(data)
        if len(items) > settings.max_batch:
            raise ApiError(
                413, "batch_too_large", f"at most {settings.max_batch} articles per request"
            )
        accepted, rejected = [], []
        for i, obj in enumerate(items):
            path = f"{prefix}[{i}]" if prefix is not None else "$"
            try:
                record = record_from_json(obj, path)
            except InputError as e:
                rejected.append({"path": _field_path(path, e.detail), "message": e.detail})
                continue
            if len(record.raw.encode("utf-8")) > settings.max_input_bytes:
                rejected.append(
                    {
                        "path": f"{path}.{record.raw_format}",
                        "message": f"longer than {settings.max_input_bytes:,} bytes "
                        "(setting max_input_bytes)",
                    }
                )
                continue
            accepted.append(record)
        if not accepted:
            raise ApiError(422, "validation_error", "no valid article in the request", rejected)
        seqs = await run_in_threadpool(intake.accept, store(), accepted, "api")
        worker = state.get("worker")
        if worker is not None:
            worker.notify()
        base = str(request.base_url).rstrip("/")
        body_out = {
            "accepted": [
                {"seq": s, "status_url": f"{base}/api/intake/{s}", "url": r.url}
                for s, r in zip(seqs, accepted, strict=True)
            ],
            "rejected": rejected,
        }
        return JSONResponse(
            body_out, status_code=202, headers={"Location": f"/api/intake/{seqs[0]}"}
        )

    # -- reads ---------------------------------------------------------------------

    @app.get("/api/intake/{seq}", summary="Status of a submitted article")
    def get_intake(seq: int) -> dict[str, Any]:
        row = intake.status(store(), seq)
        if row is None:
            raise ApiError(404, "not_found", f"no submission {seq}")
        if row["article_id"]:
            row["article_url"] = f"/api/articles/{row['article_id']}"
        return row

    @app.get("/api/health", summary="Liveness and queue depth")
    def health() -> dict[str, Any]:
        worker = state.get("worker")
        return {
            "status": "ok",
            "version": __version__,
            "pending": intake.pending_count(store()),
            "worker": bool(worker and worker.is_alive()),
        }

    @app.get("/api/articles", summary="Articles, newest first")
    def list_articles(f: Annotated[queries.Filters, Depends(queries.filters)]) -> dict[str, Any]:
        return queries.articles(store(), f)

    @app.get("/api/articles/{article_id}", summary="One article's full record")
    def get_article(article_id: str) -> dict[str, Any]:
        record = store().get(article_id)
        if record is None:
            raise ApiError(404, "not_found", f"no article {article_id!r}")
        return record

    @app.get("/api/events", summary="Coded events, newest article first")
    def list_events(
        f: Annotated[queries.Filters, Depends(queries.filters)],
        background: Annotated[bool, Query(description="Include background events.")] = False,
    ) -> dict[str, Any]:
        return queries.events(store(), f, background=background)

    @app.get("/api/entities", summary="Canonical entities with mention and article counts")
    def list_entities(
        f: Annotated[queries.Filters, Depends(queries.filters)],
        kind: Annotated[str | None, Query(description="PERSON, ORG, PLACE, NORP...")] = None,
    ) -> dict[str, Any]:
        return queries.entities(store(), f, kind=kind)

    @app.get("/api/places", summary="Resolved places with article counts")
    def list_places(f: Annotated[queries.Filters, Depends(queries.filters)]) -> dict[str, Any]:
        return queries.places(store(), f)

    @app.get("/api/stats", summary="Counts over time by event type, country and tag")
    def stats(
        f: Annotated[queries.Filters, Depends(queries.filters)],
        interval: Annotated[str, Query(pattern="^(hour|day)$")] = "day",
    ) -> dict[str, Any]:
        return queries.stats(store(), f, interval=interval)

    @app.get("/api/trending", summary="Rising tags, countries, event types or entities")
    def get_trending(
        f: Annotated[queries.Filters, Depends(queries.filters)],
        by: Annotated[str, Query(pattern="^(tag|country|event_type|entity)$")] = "tag",
        window_hours: Annotated[int, Query(ge=1, le=168)] = 1,
        baseline_hours: Annotated[int, Query(ge=1, le=720)] = 24,
        min_count: Annotated[int, Query(ge=1)] = 3,
    ) -> dict[str, Any]:
        return queries.trending(
            store(),
            f,
            by=by,
            window_hours=window_hours,
            baseline_hours=baseline_hours,
            min_count=min_count,
        )

    @app.get("/api/stories", summary="Stories (clustered articles), latest first")
    def list_stories(
        limit: Annotated[int, Query(ge=1, le=500)] = 20,
        cursor: Annotated[str | None, Query(description="next_cursor of the last page.")] = None,
        breaking: Annotated[bool, Query(description="Only breaking stories.")] = False,
        window_hours: Annotated[int, Query(ge=1, le=168)] = 1,
        baseline_hours: Annotated[int, Query(ge=1, le=720)] = 24,
        min_articles: Annotated[int, Query(ge=1)] = 1,
    ) -> dict[str, Any]:
        return story_queries.list_stories(
            store(),
            limit=limit,
            cursor=cursor,
            breaking=breaking,
            window_hours=window_hours,
            baseline_hours=baseline_hours,
            min_articles=min_articles,
        )

    @app.get("/api/stories/{story_id}", summary="One story: its reports and events")
    def get_story(story_id: str) -> dict[str, Any]:
        found = story_queries.get_story(store(), story_id)
        if found is None:
            raise ApiError(404, "not_found", f"no story {story_id!r}")
        return found

    @app.get("/api/canonical-events", summary="Events merged across reports, latest first")
    def list_canonical_events(
        event_type: Annotated[str | None, Query()] = None,
        country: Annotated[str | None, Query(pattern="^[A-Za-z]{2}$")] = None,
        since: Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}-\d{2}$")] = None,
        until: Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}-\d{2}$")] = None,
        min_fatalities: Annotated[int | None, Query(ge=0)] = None,
        min_reports: Annotated[int, Query(ge=1)] = 1,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
        cursor: Annotated[str | None, Query()] = None,
    ) -> dict[str, Any]:
        return story_queries.list_canonical_events(
            store(),
            event_type=event_type,
            country=country.upper() if country else None,
            since=since,
            until=until,
            min_fatalities=min_fatalities,
            min_reports=min_reports,
            limit=limit,
            cursor=cursor,
        )

    @app.get(
        "/api/canonical-events/{event_id}",
        summary="One merged event: every report and evidence span, and figure revisions",
    )
    def get_canonical_event(event_id: str) -> dict[str, Any]:
        found = story_queries.get_canonical_event(store(), event_id)
        if found is None:
            raise ApiError(404, "not_found", f"no event {event_id!r}")
        return found

    # -- feeds and alerts ------------------------------------------------------------

    @app.get("/api/publishers", summary="What the store learnt of each publisher")
    def list_publishers(limit: Annotated[int, Query(ge=1, le=2000)] = 50) -> dict[str, Any]:
        return {"items": store().publishers_seen(limit)}

    @app.get(
        "/api/publishers/{source:path}",
        summary="One publisher: its home, and the place each name it uses means",
    )
    def get_publisher(source: str) -> dict[str, Any]:
        from ..gazetteer import load as load_gazetteer
        from ..publishers import describe

        found = describe(
            store().publisher_memory(sources=[source]),
            source,
            load_gazetteer(settings.gazetteer_extra or None),
        )
        if found is None:
            raise ApiError(404, "not_found", f"the store has learnt nothing of {source!r}")
        return found

    @app.get("/api/feeds", summary="Feeds polled, with their state")
    def get_feeds() -> dict[str, Any]:
        return {"items": feeds.list_feeds(store())}

    @app.post(
        "/api/feeds",
        status_code=201,
        dependencies=[Depends(require_token)],
        summary="Add a feed: {'url': ..., 'interval_s': 300}",
    )
    async def post_feed(request: Request) -> dict[str, Any]:
        data = _json_object(await _read_capped(request, 64_000))
        url = data.get("url")
        interval = data.get("interval_s", settings.feed_interval)
        if not isinstance(url, str) or not isinstance(interval, int) or interval < 1:
            raise ApiError(
                422,
                "validation_error",
                "the feed is not valid",
                [{"path": "$.url", "message": "an http(s) URL; interval_s >= 1"}],
            )
        try:
            feed = await run_in_threadpool(
                lambda: feeds.add_feed(store(), url, interval_s=interval)
            )
        except InputError as e:
            raise ApiError(
                422, "validation_error", e.detail, [{"path": "$.url", "message": e.detail}]
            ) from None
        poller = state.get("poller")
        if poller is not None:
            poller.poke()
        return feed

    @app.delete("/api/feeds", dependencies=[Depends(require_token)], summary="Remove a feed")
    def delete_feed(url: str) -> dict[str, Any]:
        if not feeds.remove_feed(store(), url):
            raise ApiError(404, "not_found", f"no feed {url!r}")
        return {"removed": url}

    @app.get("/api/alerts", summary="Alert rules, with how often each fired")
    def get_alerts() -> dict[str, Any]:
        return {"items": alerts.list_alerts(store())}

    @app.post(
        "/api/alerts",
        status_code=201,
        dependencies=[Depends(require_token)],
        summary="Add an alert rule (see README, Alerts)",
    )
    async def post_alert(request: Request) -> dict[str, Any]:
        data = _json_object(await _read_capped(request, 64_000))
        try:
            return await run_in_threadpool(alerts.add_alert, store(), data)
        except alerts.AlertRuleError as e:
            raise ApiError(
                422, "validation_error", str(e), [{"path": e.path, "message": str(e)}]
            ) from None

    @app.delete(
        "/api/alerts/{alert_id}",
        dependencies=[Depends(require_token)],
        summary="Remove an alert rule",
    )
    def delete_alert(alert_id: str) -> dict[str, Any]:
        if not alerts.remove_alert(store(), alert_id):
            raise ApiError(404, "not_found", f"no alert {alert_id!r}")
        return {"removed": alert_id}

    @app.get("/api/alerts/{alert_id}/deliveries", summary="Webhook delivery log of a rule")
    def get_deliveries(alert_id: str) -> dict[str, Any]:
        return {"items": alerts.deliveries(store(), alert_id)}

    # -- live ----------------------------------------------------------------------

    @app.get(
        "/api/stream",
        summary="Server-sent events: new articles and events (resume with Last-Event-ID)",
        response_class=StreamingResponse,
    )
    async def stream(
        request: Request,
        kinds: Annotated[str, Query(description="Comma-separated: article, event, alert")] = (
            "article,event,alert"
        ),
        event_type: str | None = None,
        country: str | None = None,
        tag: str | None = None,
        min_fatalities: Annotated[int | None, Query(ge=0)] = None,
        min_confidence: Annotated[float | None, Query(ge=0, le=1)] = None,
        last_event_id: Annotated[str | None, Header()] = None,
        since_id: Annotated[int | None, Query(description="Resume after this event id.")] = None,
    ) -> StreamingResponse:
        wanted = queries.StreamFilter(
            frozenset(k.strip() for k in kinds.split(",") if k.strip()),
            event_type,
            country,
            tag,
            min_fatalities,
            min_confidence,
        )
        start = since_id
        if last_event_id and last_event_id.strip().isdigit():
            start = int(last_event_id.strip())
        if start is None:
            start = await run_in_threadpool(queries.last_stream_seq, store())

        async def events() -> AsyncIterator[str]:
            last = start
            yield "retry: 2000\n\n"
            while not await request.is_disconnected():
                rows = await run_in_threadpool(queries.stream_after, store(), last)
                for seq, kind, payload in rows:
                    last = seq
                    data = json.loads(payload)
                    if wanted.keeps(kind, data):
                        yield f"id: {seq}\nevent: {kind}\ndata: {json.dumps(data)}\n\n"
                if rows:
                    continue
                if not await notifier.wait(KEEPALIVE_SECONDS):
                    yield ": keepalive\n\n"

        return StreamingResponse(
            events(),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )

    return app


async def _read_capped(request: Request, cap: int) -> bytes:
    length = request.headers.get("content-length")
    if length and length.isdigit() and int(length) > cap:
        raise ApiError(413, "request_too_large", f"the body is larger than {cap:,} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > cap:
            raise ApiError(413, "request_too_large", f"the body is larger than {cap:,} bytes")
        chunks.append(chunk)
    body = b"".join(chunks)
    if not body.strip():
        raise ApiError(400, "empty_body", "the body is empty: send a JSON article or a list")
    return body


def _json_object(body: bytes) -> dict[str, Any]:
    try:
        data = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise ApiError(400, "malformed_json", f"the body is not JSON: {e}") from None
    if not isinstance(data, dict):
        raise ApiError(
            422,
            "validation_error",
            "expected a JSON object",
            [{"path": "$", "message": "expected a JSON object"}],
        )
    return data


def _records_of(data: Any) -> tuple[list[Any], str | None]:
    if isinstance(data, list):
        return data, "$"
    if isinstance(data, dict) and "articles" in data and "text" not in data and "html" not in data:
        if not isinstance(data["articles"], list):
            raise ApiError(
                422,
                "validation_error",
                "'articles' must be a list",
                [{"path": "$.articles", "message": "expected a list of articles"}],
            )
        return data["articles"], "$.articles"
    return [data], None


def _field_path(path: str, message: str) -> str:
    m = re.search(r"field '(\w+)'", message) or re.search(r"'(text)'", message)
    return f"{path}.{m.group(1)}" if m else path
