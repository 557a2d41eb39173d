// tidings dashboard. Every piece of article text goes into the page through
// textContent or attribute setters, never as HTML; links are http(s) only.
import L from "leaflet";
import "leaflet.markercluster";
import { feature } from "topojson-client";
import countries from "world-atlas/countries-110m.json";
import "leaflet/dist/leaflet.css";
import "leaflet.markercluster/dist/MarkerCluster.css";
import "leaflet.markercluster/dist/MarkerCluster.Default.css";
import "./app.css";

const TYPES = {
  "Battles": "#c0392b",
  "Explosions/Remote violence": "#d35400",
  "Violence against civilians": "#8e44ad",
  "Protests": "#2471a3",
  "Riots": "#b7950b",
  "Strategic developments": "#566573",
};
const FILTER_KEYS = ["q", "tag", "event_type", "country", "actor", "min_fatalities", "min_confidence", "since", "until", "bbox"];
const $ = (id) => document.getElementById(id);

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null) continue;
    if (k === "text") node.textContent = String(v);
    else if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, String(v));
  }
  for (const c of children) if (c !== null && c !== undefined) node.append(c);
  return node;
}

function safeUrl(url) {
  try {
    const u = new URL(url, location.href);
    return u.protocol === "http:" || u.protocol === "https:" ? u.href : null;
  } catch {
    return null;
  }
}

// -- filters, kept in the URL ----------------------------------------------------

function filters() {
  const params = new URLSearchParams(location.search);
  const out = {};
  for (const k of FILTER_KEYS) if (params.get(k)) out[k] = params.get(k);
  return out;
}

function setFilters(next) {
  const params = new URLSearchParams();
  for (const k of FILTER_KEYS) if (next[k]) params.set(k, next[k]);
  const query = params.toString();
  history.pushState(null, "", query ? `?${query}${location.hash}` : location.pathname + location.hash);
  refresh();
}

function fillForm() {
  const f = filters();
  const form = $("filters");
  for (const k of FILTER_KEYS) if (form.elements[k]) form.elements[k].value = f[k] || "";
}

function api(path, extra = {}) {
  const params = new URLSearchParams({ ...filters(), ...extra });
  return fetch(`${path}?${params}`).then((r) => {
    if (!r.ok) return r.json().then((e) => Promise.reject(new Error(e.error?.message || r.status)));
    return r.json();
  });
}

// -- map ---------------------------------------------------------------------------

let map;
let cluster;

function setupMap() {
  map = L.map("map", { worldCopyJump: true, minZoom: 1, maxZoom: 12, attributionControl: true, keyboard: true });
  const land = feature(countries, countries.objects.countries);
  L.geoJSON(land, { style: { color: "#9aa5b1", weight: 0.6, fillColor: "#eef1f4", fillOpacity: 1 }, interactive: false })
    .addTo(map);
  map.attributionControl.addAttribution("Country shapes: Natural Earth (world-atlas)");
  map.setView([25, 20], 2);
  cluster = L.markerClusterGroup({ maxClusterRadius: 40, showCoverageOnHover: false });
  map.addLayer(cluster);
  const legend = $("legend");
  for (const [type, colour] of Object.entries(TYPES)) {
    const swatch = el("span", { class: "swatch", "aria-hidden": "true" });
    swatch.style.background = colour;
    legend.append(el("li", {}, swatch, type));
  }
  $("use-view").addEventListener("click", () => {
    const b = map.getBounds();
    const bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((x) => x.toFixed(3)).join(",");
    setFilters({ ...filters(), bbox });
  });
}

function addMarker(event) {
  const loc = event.location || {};
  if (typeof loc.lat !== "number" || typeof loc.lon !== "number") return;
  const toll = (event.fatalities || 0) + (event.injured || 0);
  const marker = L.circleMarker([loc.lat, loc.lon], {
    radius: 5 + Math.min(20, Math.sqrt(toll) * 2),
    color: "#222",
    weight: 1,
    fillColor: TYPES[event.event_type] || "#777",
    fillOpacity: 0.85,
  });
  // An element, not a string: Leaflet would parse a string as HTML.
  marker.bindTooltip(el("span", { text: `${event.sub_event_type || event.event_type} — ${loc.name || ""}` }));
  marker.on("click", () => openEvent(event.article_id, event.idx));
  marker.options.title = loc.name;
  cluster.addLayer(marker);
}

// -- live feed ---------------------------------------------------------------------

function eventItem(event, live = false) {
  const loc = event.location || {};
  const actors = [event.actor1, event.actor2].filter(Boolean).join(" → ");
  const toll = [];
  if (event.fatalities !== null && event.fatalities !== undefined) toll.push(`${event.fatalities} killed`);
  if (event.injured !== null && event.injured !== undefined) toll.push(`${event.injured} injured`);
  const badge = el("span", { class: "badge", text: event.event_type || "event" });
  badge.style.background = TYPES[event.event_type] || "#777";
  const link = el("a", {
    href: `#event/${encodeURIComponent(event.article_id)}/${event.idx}`,
    text: event.sub_event_type || event.event_type,
  });
  return el(
    "li",
    { class: live ? "event live" : "event", "data-article": event.article_id, "data-idx": event.idx },
    badge,
    " ",
    link,
    el("div", { class: "meta", text: [loc.name, loc.country, event.date].filter(Boolean).join(" · ") }),
    actors ? el("div", { class: "actors", text: actors }) : null,
    toll.length ? el("div", { class: "toll", text: toll.join(", ") }) : null,
    el("div", { class: "source", text: event.article_title || event.title || "" }),
    event.tags && event.tags.length ? el("div", { class: "tags", text: event.tags.join(", ") }) : null,
  );
}

let stream;
let reloadTimer;
// The stream filters events by these itself; for the rest, a new event reloads the feed.
const STREAM_SIDE = ["event_type", "country", "min_fatalities", "min_confidence"];
const SERVER_SIDE = ["q", "tag", "actor", "since", "until", "bbox"];

function connect() {
  if (stream) stream.close();
  const f = filters();
  const params = new URLSearchParams({ kinds: "event,alert" });
  for (const k of STREAM_SIDE) if (f[k]) params.set(k, f[k]);
  stream = new EventSource(`/api/stream?${params}`);
  stream.addEventListener("open", () => ($("status").textContent = "live"));
  stream.addEventListener("error", () => ($("status").textContent = "reconnecting…"));
  stream.addEventListener("event", (msg) => {
    const event = JSON.parse(msg.data);
    if (SERVER_SIDE.some((k) => filters()[k])) {
      // The stream cannot tell these; the API is asked again.
      clearTimeout(reloadTimer);
      reloadTimer = setTimeout(() => loadEvents().then(loadSide), 300);
      return;
    }
    const feed = $("feed");
    feed.prepend(eventItem(event, true));
    while (feed.children.length > 200) feed.lastChild.remove();
    addMarker(event);
    loadSide();
  });
  stream.addEventListener("alert", (msg) => {
    const alert = JSON.parse(msg.data);
    toast(`Alert: ${alert.name || alert.alert_id || "rule"} fired`);
    loadAlerts();
  });
}

function toast(text) {
  const box = el("div", { class: "toast", text });
  $("toasts").append(box);
  setTimeout(() => box.remove(), 8000);
}

// -- panels ------------------------------------------------------------------------

async function loadEvents() {
  const page = await api("/api/events", { limit: 200 });
  const feed = $("feed");
  feed.replaceChildren(...page.items.map((e) => eventItem(e)));
  if (!page.items.length) feed.append(el("li", { class: "empty", text: "No events match these filters yet." }));
  cluster.clearLayers();
  page.items.forEach(addMarker);
}

async function loadTimeline() {
  const interval = $("interval").value;
  const cut = interval === "hour" ? 13 : 10;
  const stats = await api("/api/stats", { interval });
  const days = [...new Set(stats.events.map((r) => r.bucket.slice(0, cut)))].sort().slice(-30);
  const box = $("timeline");
  $("tag-list").replaceChildren(...stats.tags.map((t) => el("option", { value: t.tag })));
  if (!days.length) {
    box.replaceChildren(el("p", { text: "No events yet." }));
    return;
  }
  const totals = Object.fromEntries(days.map((d) => [d, 0]));
  for (const r of stats.events) if (r.bucket.slice(0, cut) in totals) totals[r.bucket.slice(0, cut)] += r.count;
  const max = Math.max(1, ...Object.values(totals));
  const ns = "http://www.w3.org/2000/svg";
  const width = 300;
  const height = 120;
  const bar = width / days.length;
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", `0 0 ${width} ${height + 14}`);
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", `Events per ${interval}: ${days.map((d) => `${d} ${totals[d]}`).join(", ")}`);
  days.forEach((day, i) => {
    let y = height;
    for (const r of stats.events.filter((r) => r.bucket.slice(0, cut) === day)) {
      const h = (r.count / max) * (height - 4);
      const rect = document.createElementNS(ns, "rect");
      rect.setAttribute("x", String(i * bar + 1));
      rect.setAttribute("width", String(Math.max(1, bar - 2)));
      rect.setAttribute("y", String(y - h));
      rect.setAttribute("height", String(h));
      rect.setAttribute("fill", TYPES[r.event_type] || "#777");
      const title = document.createElementNS(ns, "title");
      title.textContent = `${day}: ${r.count} ${r.event_type}`;
      rect.append(title);
      svg.append(rect);
      y -= h;
    }
  });
  const label = document.createElementNS(ns, "text");
  label.setAttribute("x", "0");
  label.setAttribute("y", String(height + 12));
  label.setAttribute("class", "axis");
  label.textContent = days.length > 1 ? `${days[0]} … ${days[days.length - 1]}` : days[0];
  svg.append(label);
  box.replaceChildren(svg);
}

async function loadSide() {
  await loadTimeline();
  const trending = await api("/api/trending", { by: "tag", window_hours: 24, baseline_hours: 168, min_count: 1, limit: 10 });
  $("trending").replaceChildren(
    ...trending.items.map((t) =>
      el("li", {}, el("a", { href: `?tag=${encodeURIComponent(t.tag)}`, text: t.tag }), ` ${t.count} (z ${t.z})`),
    ),
  );
  const stories = await fetch("/api/stories?breaking=true&limit=10").then((r) => r.json());
  $("breaking").replaceChildren(
    ...(stories.items.length
      ? stories.items.map((s) => el("li", { text: `${s.title || s.id} — ${s.articles} reports, ${s.sources} sources` }))
      : [el("li", { class: "empty", text: "Nothing breaking." })]),
  );
}

async function loadAlerts() {
  const data = await fetch("/api/alerts").then((r) => r.json());
  $("alerts").replaceChildren(
    ...data.items.map((a) =>
      el(
        "li",
        {},
        el("span", { text: `${a.name} (${a.mode}; fired ${a.fired}) ` }),
        el("button", { type: "button", "aria-label": `Delete alert ${a.name}`, text: "Delete", onclick: () => deleteAlert(a.id) }),
      ),
    ),
  );
}

function token() {
  const value = $("alert-form").elements.token.value || sessionStorage.getItem("tidings-token") || "";
  if (value) sessionStorage.setItem("tidings-token", value);
  return value;
}

async function deleteAlert(id) {
  const r = await fetch(`/api/alerts/${encodeURIComponent(id)}`, {
    method: "DELETE",
    headers: { Authorization: `Bearer ${token()}` },
  });
  if (!r.ok) toast(`Could not delete: ${(await r.json()).error?.message || r.status}`);
  loadAlerts();
}

async function createAlert(e) {
  e.preventDefault();
  const form = e.target;
  const filter = {};
  for (const k of ["event_type", "country"]) if (form.elements[k].value) filter[k] = form.elements[k].value;
  if (form.elements.min_fatalities.value) filter.min_fatalities = Number(form.elements.min_fatalities.value);
  if (form.elements.min_confidence.value) filter.min_confidence = Number(form.elements.min_confidence.value);
  const r = await fetch("/api/alerts", {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${token()}` },
    body: JSON.stringify({ name: form.elements.name.value, filter, mode: "any" }),
  });
  if (!r.ok) toast(`Could not add the alert: ${(await r.json()).error?.message || r.status}`);
  else form.elements.name.value = "";
  loadAlerts();
}

// -- event page --------------------------------------------------------------------

let lastFocus = null;

async function openEvent(articleId, idx) {
  location.hash = `event/${encodeURIComponent(articleId)}/${idx}`;
}

async function showEvent(articleId, idx) {
  const r = await fetch(`/api/articles/${encodeURIComponent(articleId)}`);
  if (!r.ok) {
    toast("That event is not in the store.");
    return;
  }
  const record = await r.json();
  const event = record.events[idx];
  if (!event) return;
  lastFocus = document.activeElement;
  $("event-title").textContent = `${event.sub_event_type || event.event_type}: ${record.title || ""}`;
  const loc = event.location || {};
  const rows = [
    ["Type", `${event.event_type} / ${event.sub_event_type}`],
    ["Disorder", event.disorder_type],
    ["PLOVER", [event.plover, event.plover_mode].filter(Boolean).join(" / ")],
    ["Date", `${event.date} (precision ${event.time_precision})`],
    ["Place", [loc.name, loc.admin1, loc.country].filter(Boolean).join(", ") + (loc.lat !== undefined && loc.lat !== null ? ` (${loc.lat}, ${loc.lon}; geo precision ${event.geo_precision})` : "")],
    ["Actor 1", event.actor1 ? `${event.actor1} (inter ${event.inter1})` : null],
    ["Actor 2", event.actor2 ? `${event.actor2} (inter ${event.inter2})` : null],
    ["Fatalities", event.fatalities],
    ["Injured", event.injured],
    ["Confidence", event.confidence],
    ["Background", event.background ? "yes" : "no"],
    ["Source", record.source],
    ["Tags", (record.tags || []).join(", ")],
  ];
  $("event-fields").replaceChildren(
    ...rows.map(([k, v]) => el("tr", {}, el("th", { scope: "row", text: k }), el("td", { text: v ?? "unknown" }))),
  );
  const url = safeUrl(record.url);
  const text = record.text || "";
  const spans = (event.evidence || []).filter((s) => Array.isArray(s)).sort((a, b) => a[0] - b[0]);
  const body = $("event-text");
  body.replaceChildren();
  if (url) body.append(el("p", {}, el("a", { href: url, rel: "noopener noreferrer nofollow", target: "_blank", text: "Original article" })));
  const para = el("div", { class: "text" });
  let at = 0;
  for (const [start, end] of spans) {
    if (start < at) continue;
    para.append(document.createTextNode(text.slice(at, start)));
    para.append(el("mark", { text: text.slice(start, end) }));
    at = end;
  }
  para.append(document.createTextNode(text.slice(at)));
  body.append(para);
  const reports = $("event-reports");
  reports.replaceChildren(el("li", { text: "this article" }));
  if (event.event_id) {
    const merged = await fetch(`/api/canonical-events/${encodeURIComponent(event.event_id)}`);
    if (merged.ok) {
      const data = await merged.json();
      reports.replaceChildren(
        ...data.reports.map((rep) =>
          el(
            "li",
            {},
            el("a", { href: `#event/${encodeURIComponent(rep.article_id)}/${rep.idx}`, text: rep.title || rep.article_id }),
            ` — ${rep.source || "unknown source"}, ${rep.fatalities ?? "?"} killed`,
          ),
        ),
      );
      for (const rev of data.revisions.filter((x) => x.from !== null)) {
        reports.append(el("li", { class: "revision", text: `${rev.field} revised ${rev.from} → ${rev.to}` }));
      }
    }
  }
  $("event-page").hidden = false;
  $("close-event").focus();
}

function closeEvent() {
  $("event-page").hidden = true;
  if (location.hash.startsWith("#event/")) history.pushState(null, "", location.pathname + location.search);
  if (lastFocus) lastFocus.focus();
}

function route() {
  const m = location.hash.match(/^#event\/([^/]+)\/(\d+)$/);
  if (m) showEvent(decodeURIComponent(m[1]), Number(m[2]));
  else $("event-page").hidden = true;
}

// -- start -------------------------------------------------------------------------

function refresh() {
  fillForm();
  loadEvents().catch((e) => toast(`Could not load events: ${e.message}`));
  loadSide().catch((e) => toast(`Could not load the panels: ${e.message}`));
  connect();
}

document.addEventListener("DOMContentLoaded", () => {
  setupMap();
  $("filters").addEventListener("submit", (e) => {
    e.preventDefault();
    const form = e.target;
    const next = {};
    for (const k of FILTER_KEYS) if (form.elements[k] && form.elements[k].value) next[k] = form.elements[k].value.trim();
    if (next.country) next.country = next.country.toUpperCase();
    if (filters().bbox) next.bbox = filters().bbox;
    setFilters(next);
  });
  $("clear").addEventListener("click", () => setFilters({}));
  $("interval").addEventListener("change", () => loadTimeline());
  $("alert-form").addEventListener("submit", createAlert);
  $("close-event").addEventListener("click", closeEvent);
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && !$("event-page").hidden) closeEvent();
  });
  window.addEventListener("popstate", () => {
    refresh();
    route();
  });
  window.addEventListener("hashchange", route);
  refresh();
  loadAlerts();
  route();
});
