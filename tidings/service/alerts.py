"""Alert rules: a filter plus "any match", a threshold or a spike; each match fires once.

A rule (JSON, saved through ``/api/alerts``, ``tidings alerts add`` or the
settings file's ``alerts`` list)::

    {"name": "Deadly attacks in Iraq",
     "filter": {"country": "IQ", "event_type": "Explosions/Remote violence"},
     "mode": "threshold",                 # any | threshold | spike
     "threshold": {"field": "fatalities", "value": 10, "window_hours": 24},
     "webhook": "https://hooks.example/tidings"}

- ``any``: every new current event matching the filter fires (key: the event).
- ``threshold``: the sum of ``field`` (``fatalities``, ``injured`` or ``count``)
  over matching events of the last ``window_hours`` reaches ``value``; fires
  once per window (key: the window's start).
- ``spike``: matching events in the last hour number at least ``min_count``
  and ``factor`` times the hourly mean of the ``baseline_hours`` before; fires
  once per hour.

Filters: ``event_type``, ``sub_event_type``, ``country``, ``tag``, ``actor``
(part of a name), ``q`` (words in the text), ``min_fatalities``, ``min_confidence``
(the event's coding confidence, 0 to 1). A fired alert
goes to the live stream (``event: alert``) and, if the rule has a webhook, is
POSTed as JSON signed with HMAC-SHA256 (header ``X-Tidings-Signature:
sha256=<hex>`` over the body, key: the ``webhook_secret`` setting), retried
with backoff (1 s, 2 s, 4 s), every attempt in ``alert_deliveries``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import queue
import threading
from collections.abc import Callable
from typing import Any

from ..errors import ConfigError, FetchError
from ..settings import Settings
from ..store import Store
from ..store.search import like_pattern, match_sql
from .feeds import check_address

logger = logging.getLogger(__name__)

MODES = ("any", "threshold", "spike")
FILTER_KEYS = ("event_type", "sub_event_type", "country", "tag", "actor", "q", "min_fatalities",
               "min_confidence")  # fmt: skip
RETRY_DELAYS = (1.0, 2.0, 4.0)


class AlertRuleError(ConfigError):
    """An invalid alert rule; ``path`` is the JSON path of the bad field ("$.mode")."""

    def __init__(self, message: str, path: str = "$") -> None:
        super().__init__(message)
        self.path = path


def validate_rule(rule: Any) -> dict[str, Any]:
    """Check a rule and fill its defaults; ConfigError names the bad field."""
    if not isinstance(rule, dict):
        raise AlertRuleError("an alert rule must be a JSON object")
    unknown = set(rule) - {"name", "filter", "mode", "threshold", "spike", "webhook"}
    if unknown:
        raise AlertRuleError(f"alert: unknown field(s) {sorted(unknown)}")
    name = rule.get("name")
    if not isinstance(name, str) or not name.strip():
        raise AlertRuleError("alert.name: a non-empty name is required", "$.name")
    flt = rule.get("filter") or {}
    if not isinstance(flt, dict) or set(flt) - set(FILTER_KEYS):
        raise AlertRuleError(
            f"alert.filter: an object with keys among {', '.join(FILTER_KEYS)}", "$.filter"
        )
    fatalities = flt.get("min_fatalities")
    if fatalities is not None and (
        not isinstance(fatalities, int) or isinstance(fatalities, bool) or fatalities < 0
    ):
        raise AlertRuleError(
            "alert.filter.min_fatalities: a whole number, 0 or more", "$.filter.min_fatalities"
        )
    confidence = flt.get("min_confidence")
    if confidence is not None and (
        not isinstance(confidence, int | float)
        or isinstance(confidence, bool)
        or not 0 <= confidence <= 1
    ):
        raise AlertRuleError(
            "alert.filter.min_confidence: a number from 0 to 1", "$.filter.min_confidence"
        )
    mode = rule.get("mode", "any")
    if mode not in MODES:
        raise AlertRuleError(f"alert.mode: one of {', '.join(MODES)}", "$.mode")
    out: dict[str, Any] = {"name": name.strip(), "filter": flt, "mode": mode}
    if mode == "threshold":
        t = {
            "field": "fatalities",
            "value": 10,
            "window_hours": 24,
            **(rule.get("threshold") or {}),
        }
        if t["field"] not in ("fatalities", "injured", "count"):
            raise AlertRuleError(
                "alert.threshold.field: fatalities, injured or count", "$.threshold.field"
            )
        if not isinstance(t["value"], int | float) or t["value"] <= 0:
            raise AlertRuleError("alert.threshold.value: a positive number", "$.threshold.value")
        if not isinstance(t["window_hours"], int) or not 1 <= t["window_hours"] <= 24 * 30:
            raise AlertRuleError(
                "alert.threshold.window_hours: 1 to 720", "$.threshold.window_hours"
            )
        out["threshold"] = t
    if mode == "spike":
        sp = {"baseline_hours": 24, "factor": 3.0, "min_count": 5, **(rule.get("spike") or {})}
        if not isinstance(sp["baseline_hours"], int) or not 2 <= sp["baseline_hours"] <= 24 * 30:
            raise AlertRuleError("alert.spike.baseline_hours: 2 to 720", "$.spike.baseline_hours")
        if not isinstance(sp["factor"], int | float) or sp["factor"] < 1:
            raise AlertRuleError("alert.spike.factor: at least 1", "$.spike.factor")
        if not isinstance(sp["min_count"], int) or sp["min_count"] < 1:
            raise AlertRuleError("alert.spike.min_count: at least 1", "$.spike.min_count")
        out["spike"] = sp
    webhook = rule.get("webhook")
    if webhook is not None:
        if not isinstance(webhook, str) or not webhook.startswith(("http://", "https://")):
            raise AlertRuleError("alert.webhook: an http or https URL", "$.webhook")
        out["webhook"] = webhook
    return out


def _alert_id(rule: dict[str, Any]) -> str:
    canonical = json.dumps(rule, sort_keys=True)
    return "a" + hashlib.sha1(canonical.encode()).hexdigest()[:15]


def add_alert(store: Store, rule: Any) -> dict[str, Any]:
    rule = validate_rule(rule)
    aid = _alert_id(rule)
    with store.write_lock():
        store.connection().execute(
            "INSERT INTO alerts (id, name, rule, webhook, created) "
            "VALUES (?, ?, ?, ?, now()::TIMESTAMP) ON CONFLICT (id) DO NOTHING",
            [aid, rule["name"], json.dumps(rule), rule.get("webhook")],
        )
    return {"id": aid, **rule}


def remove_alert(store: Store, alert_id: str) -> bool:
    with store.write_lock():
        row = (
            store.connection()
            .execute("SELECT count(*) FROM alerts WHERE id = ?", [alert_id])
            .fetchone()
        )
        store.connection().execute("DELETE FROM alerts WHERE id = ?", [alert_id])
    return bool(row and row[0])


def list_alerts(store: Store) -> list[dict[str, Any]]:
    rows = (
        store.cursor()
        .execute(
            "SELECT a.id, a.rule, (SELECT count(*) FROM alert_fired f WHERE f.alert_id = a.id) "
            "FROM alerts a ORDER BY a.created, a.id"
        )
        .fetchall()
    )
    return [{"id": i, **json.loads(r), "fired": n} for i, r, n in rows]


def sync_from_settings(store: Store, settings: Settings) -> None:
    if not settings.alerts.strip():
        return
    try:
        rules = json.loads(settings.alerts)
    except json.JSONDecodeError as e:
        raise ConfigError(f"setting 'alerts' is not a JSON list of rules: {e}") from e
    if not isinstance(rules, list):
        raise ConfigError("setting 'alerts' must be a JSON list of rules")
    for rule in rules:
        add_alert(store, rule)


def _event_sql(flt: dict[str, Any]) -> tuple[str, list[Any]]:
    where = ["NOT coalesce(e.background, false)"]
    params: list[Any] = []
    for key in ("event_type", "sub_event_type"):
        if flt.get(key):
            where.append(f"e.{key} = ?")
            params.append(flt[key])
    if flt.get("country"):
        where.append("e.country = ?")
        params.append(str(flt["country"]).upper())
    if flt.get("min_fatalities") is not None:
        where.append("coalesce(e.fatalities, 0) >= ?")
        params.append(int(flt["min_fatalities"]))
    if flt.get("min_confidence") is not None:
        where.append("TRY_CAST(json_extract(e.record, '$.confidence') AS DOUBLE) >= ?")
        params.append(float(flt["min_confidence"]))
    if flt.get("tag"):
        where.append("list_contains(a.tags, ?)")
        params.append(flt["tag"])
    if flt.get("actor"):
        where.append(
            "(json_extract_string(e.record, '$.actor1') ILIKE ? ESCAPE '\\' OR "
            "json_extract_string(e.record, '$.actor2') ILIKE ? ESCAPE '\\')"
        )
        params += [like_pattern(str(flt["actor"]))] * 2
    if flt.get("q"):  # the same words as the API's q (the store's word index)
        qw, qp = match_sql(str(flt["q"]), "a")
        where += qw
        params += qp
    return " AND ".join(where), params


class AlertEvaluator(threading.Thread):
    """After each stored batch, checks every rule against the new events and fires."""

    def __init__(
        self,
        store: Store,
        settings: Settings,
        *,
        on_fire: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(name="tidings-alerts", daemon=True)
        self.store = store
        self.settings = settings
        self.on_fire = on_fire
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._deliveries: queue.Queue[tuple[str, str, str, str] | None] = queue.Queue()
        self._sender = threading.Thread(
            target=self._send_loop, name="tidings-webhooks", daemon=True
        )
        row = store.cursor().execute("SELECT coalesce(max(seq), 0) FROM stream_log").fetchone()
        self.cursor = int(row[0]) if row else 0

    def poke(self) -> None:
        self._wake.set()

    def stop(self, timeout: float | None = 30.0) -> None:
        self._stopping.set()
        self._wake.set()
        self._deliveries.put(None)
        self.join(timeout)
        self._sender.join(timeout)

    def run(self) -> None:
        self._sender.start()
        while not self._stopping.is_set():
            self._wake.wait(5.0)
            self._wake.clear()
            try:
                self.evaluate()
            except Exception:
                logger.exception("alert evaluation failed")

    def evaluate(self) -> int:
        """Check rules against events stored since the last call; return alerts fired."""
        rows = (
            self.store.cursor()
            .execute(
                "SELECT seq, article_id, payload FROM stream_log WHERE seq > ? AND kind = 'event' "
                "ORDER BY seq",
                [self.cursor],
            )
            .fetchall()
        )
        top = self.store.cursor().execute("SELECT coalesce(max(seq), 0) FROM stream_log").fetchone()
        self.cursor = max(self.cursor, int(top[0]) if top else 0)
        if not rows:
            return 0
        new = [(r[1], json.loads(r[2])["idx"]) for r in rows]
        fired = 0
        for alert in list_alerts(self.store):
            for key, payload in self._matches(alert, new):
                fired += self._fire(alert, key, payload)
        if fired and self.on_fire is not None:
            self.on_fire()
        return fired

    def _matches(
        self, alert: dict[str, Any], new: list[tuple[str, int]]
    ) -> list[tuple[str, dict[str, Any]]]:
        where, params = _event_sql(alert.get("filter") or {})
        cur = self.store.cursor()
        hits = cur.execute(
            "SELECT e.article_id, e.idx, e.record FROM events e JOIN articles a "
            "ON a.id = e.article_id JOIN (SELECT unnest(?::VARCHAR[]) AS aid, "
            "unnest(?::INTEGER[]) AS i) n ON n.aid = e.article_id AND n.i = e.idx WHERE " + where,
            [[a for a, _ in new], [i for _, i in new], *params],
        ).fetchall()
        if not hits:
            return []
        mode = alert["mode"]
        if mode == "any":
            return [
                (f"{aid}:{idx}", {"event": {"article_id": aid, "idx": idx, **json.loads(rec)}})
                for aid, idx, rec in hits
            ]
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        if mode == "threshold":
            t = alert["threshold"]
            hours = int(t["window_hours"])
            measure = "count(*)" if t["field"] == "count" else f"sum(coalesce(e.{t['field']}, 0))"
            row = cur.execute(
                f"SELECT {measure} FROM events e JOIN articles a ON a.id = e.article_id "
                f"WHERE a.first_seen >= ?::TIMESTAMP AND {where}",
                [now - dt.timedelta(hours=hours), *params],
            ).fetchone()
            total = float(row[0] or 0) if row else 0.0
            if total < t["value"]:
                return []
            window = int(now.timestamp() // (hours * 3600))
            return [(f"window:{window}", {"total": total, **t})]
        sp = alert["spike"]
        counts = cur.execute(
            "SELECT count(*) FILTER (WHERE a.first_seen >= ?::TIMESTAMP), "
            "count(*) FILTER (WHERE a.first_seen < ?::TIMESTAMP AND a.first_seen >= ?::TIMESTAMP) "
            "FROM events e JOIN articles a ON a.id = e.article_id WHERE " + where,
            [
                now - dt.timedelta(hours=1),
                now - dt.timedelta(hours=1),
                now - dt.timedelta(hours=1 + sp["baseline_hours"]),
                *params,
            ],
        ).fetchone()
        last_hour, before = (int(counts[0]), int(counts[1])) if counts else (0, 0)
        baseline = before / sp["baseline_hours"]
        if last_hour < sp["min_count"] or last_hour < sp["factor"] * max(baseline, 1e-9):
            return []
        hour = int(now.timestamp() // 3600)
        return [(f"hour:{hour}", {"last_hour": last_hour, "baseline_per_hour": baseline})]

    def _fire(self, alert: dict[str, Any], key: str, payload: dict[str, Any]) -> int:
        body = {
            "alert_id": alert["id"],
            "name": alert["name"],
            "mode": alert["mode"],
            "match": key,
            **payload,
        }
        text = json.dumps(body, ensure_ascii=False, default=str)
        with self.store.write_lock():
            con = self.store.connection()
            con.execute("BEGIN TRANSACTION")
            try:
                inserted = con.execute(
                    "INSERT INTO alert_fired VALUES (?, ?, now()::TIMESTAMP, ?) "
                    "ON CONFLICT DO NOTHING RETURNING alert_id",
                    [alert["id"], key, text],
                ).fetchall()
                if inserted:
                    con.execute(
                        "INSERT INTO stream_log (kind, article_id, payload, created) "
                        "VALUES ('alert', NULL, ?, now()::TIMESTAMP)",
                        [text],
                    )
                con.execute("COMMIT")
            except Exception:
                con.execute("ROLLBACK")
                raise
        if not inserted:
            return 0
        if alert.get("webhook"):
            self._deliveries.put((alert["id"], key, alert["webhook"], text))
        return 1

    def _send_loop(self) -> None:
        import httpx

        with httpx.Client(timeout=self.settings.fetch_timeout, follow_redirects=False) as client:
            while True:
                item = self._deliveries.get()
                if item is None:
                    return
                self.deliver(client, *item)

    def deliver(self, client: Any, alert_id: str, key: str, url: str, body: str) -> bool:
        """POST one fired alert, retrying with backoff; log every attempt."""
        import httpx

        data = body.encode()
        signature = hmac.new(self.settings.webhook_secret.encode(), data, hashlib.sha256)
        headers = {
            "Content-Type": "application/json",
            "X-Tidings-Signature": f"sha256={signature.hexdigest()}",
            "User-Agent": self.settings.user_agent,
        }
        for attempt, delay in enumerate((0.0, *RETRY_DELAYS), 1):
            if delay and self._stopping.wait(delay):
                break
            try:
                check_address(url, allow_private=self.settings.allow_private_urls)
                r = client.post(url, content=data, headers=headers)
                ok = 200 <= r.status_code < 300
                detail = f"HTTP {r.status_code}"
            except (FetchError, httpx.HTTPError) as e:
                ok, detail = False, str(e) or type(e).__name__
            last = attempt == len(RETRY_DELAYS) + 1
            status = "delivered" if ok else ("gave_up" if last else "failed")
            self._log(alert_id, key, attempt, status, detail)
            if ok:
                return True
        return False

    def _log(self, alert_id: str, key: str, attempt: int, status: str, detail: str) -> None:
        with self.store.write_lock():
            self.store.connection().execute(
                "INSERT INTO alert_deliveries (alert_id, match_key, attempt, status, detail, "
                "created) VALUES (?, ?, ?, ?, ?, now()::TIMESTAMP)",
                [alert_id, key, attempt, status, detail],
            )


def deliveries(store: Store, alert_id: str | None = None) -> list[dict[str, Any]]:
    sql = "SELECT alert_id, match_key, attempt, status, detail, created FROM alert_deliveries"
    params: list[Any] = []
    if alert_id:
        sql += " WHERE alert_id = ?"
        params.append(alert_id)
    rows = store.cursor().execute(sql + " ORDER BY seq", params).fetchall()
    keys = ("alert_id", "match_key", "attempt", "status", "detail", "created")
    return [dict(zip(keys, (*r[:5], r[5].isoformat()), strict=True)) for r in rows]
