"""The ``tidings`` command line: thin over the library.

Each command parses its options, calls one library function, and prints. Errors
(:class:`~tidings.errors.TidingsError`) become a message on stderr and an exit
code in one place, :func:`main`. Exit codes: 0 success; 1 some inputs failed
(the rest were processed) or a fatal error; 2 usage error.
"""

from __future__ import annotations

import csv
import json
import sys
from collections import Counter
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from . import __version__
from .errors import InputError, TidingsError
from .settings import Settings, load_settings

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="tidings: news articles in, structured events out, every field traced to its sentence.",
    pretty_exceptions_enable=False,
)
out = Console(soft_wrap=True)
err = Console(stderr=True)


class Format(StrEnum):
    json = "json"
    table = "table"


class QueryFormat(StrEnum):
    json = "json"
    csv = "csv"
    table = "table"


ConfigOption = Annotated[
    Path | None, typer.Option("--config", help="Settings file (TOML); default ./tidings.toml.")
]
DbOption = Annotated[str | None, typer.Option("--db", help="Store file (default: setting 'db').")]


def _settings(config: Path | None, **overrides: Any) -> Settings:
    return load_settings(config, **overrides)


def _published(value: str | None) -> str | None:
    if value is None:
        return None
    from .timeexpr import parse_published

    try:
        return parse_published(value)
    except ValueError:
        raise typer.BadParameter(
            f"not a date: {value!r} (use YYYY-MM-DD)", param_hint="--published"
        ) from None


@app.callback(invoke_without_command=True)
def _root(
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Log progress to stderr.")
    ] = False,
) -> None:
    import logging

    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    if version:
        out.print(f"tidings {__version__}")
        raise typer.Exit()


@app.command()
def analyze(
    paths: Annotated[list[str], typer.Argument(help="Files, folders, URLs, or - for stdin.")],
    published: Annotated[
        str | None, typer.Option(help="Publication date for inputs without one.")
    ] = None,
    format: Annotated[
        Format, typer.Option("--format", help="json: one record per line.")
    ] = Format.json,
    indent: Annotated[int | None, typer.Option(help="Indent JSON output.")] = None,
    config: ConfigOption = None,
) -> None:
    """Analyse articles and print their records (nothing is stored)."""
    from .ingest import to_article
    from .pipeline import Pipeline
    from .sources import InputRecord, iter_inputs
    from .sources.fetch import Fetcher

    settings = _settings(config)
    pipeline = Pipeline.from_settings(settings)
    inputs = iter_inputs(
        paths,
        max_bytes=settings.max_input_bytes,
        published=_published(published),
        fetch=Fetcher.from_settings(settings),
    )
    failed = 0
    for item in inputs:
        if isinstance(item, InputError):
            failed += 1
            err.print(f"[yellow]failed:[/] {item}", highlight=False)
            continue
        if not isinstance(item, InputRecord):
            err.print(f"[dim]skipped: {item.where}: {item.reason}[/]", highlight=False)
            continue
        article = pipeline(to_article(item)).release()
        if article.failed:
            failed += 1
        if format is Format.json:
            print(json.dumps(article.to_dict(), ensure_ascii=False, indent=indent))
        else:
            _print_article_table(article.to_dict())
    if failed:
        raise typer.Exit(1)


def _print_article_table(record: dict[str, Any]) -> None:
    info = record["pipeline"]
    out.rule(f"[bold]{record.get('title') or '(untitled)'}")
    out.print(
        f"id {record['id']}  published {record.get('published') or '?'}  "
        f"language {record.get('language') or '?'}  source {record.get('source') or '?'}"
    )
    if info.get("dropped"):
        out.print(f"[yellow]dropped: {info['dropped']}")
    for failure in info.get("errors", []):
        out.print(f"[red]error in {failure['stage']}: {failure['error']}: {failure['message']}")
    if record.get("source_tags"):
        out.print("source tags: " + ", ".join(record["source_tags"]))
    table = Table("label", "entities (mentions)", show_lines=False)
    by_label: dict[str, Counter[str]] = {}
    for e in record["entities"]:
        by_label.setdefault(e["label"], Counter())[e.get("canonical") or e["text"]] += 1
    for label, names in sorted(by_label.items()):
        table.add_row(
            label, ", ".join(f"{n} ({c})" if c > 1 else n for n, c in names.most_common())
        )
    out.print(table)
    if record["dates"]:
        dates = Table("date expression", "value", "precision")
        for d in record["dates"]:
            dates.add_row(d["text"], d["value"], str(d["precision"]))
        out.print(dates)
    out.print(
        f"[dim]{len(record['text'])} characters of clean text; timings {info.get('timings')}[/]"
    )


@app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files, folders (recursive), URLs, or -.")],
    db: DbOption = None,
    published: Annotated[
        str | None, typer.Option(help="Publication date for inputs without one.")
    ] = None,
    workers: Annotated[int | None, typer.Option(help="Worker processes (0 = auto).")] = None,
    format: Annotated[
        Format, typer.Option("--format", help="Summary as a table or JSON.")
    ] = Format.table,
    config: ConfigOption = None,
) -> None:
    """Analyse articles and store them (an idempotent upsert); print a summary."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    from .ingest import ingest as run_ingest
    from .store import Store

    settings = _settings(config, db=db, workers=workers)
    columns = [
        TextColumn("ingesting"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeRemainingColumn(),
    ]
    with (
        Store(settings.db) as store,
        Progress(*columns, console=err, transient=True, disable=not err.is_terminal) as bar,
    ):
        task = bar.add_task("ingest", total=None, rate="")

        def on_progress(done: int, total: int | None) -> None:
            elapsed = bar.tasks[0].elapsed or 0.0
            rate = f"{done / elapsed:.1f} articles/s" if elapsed > 0 else ""
            bar.update(task, completed=done, total=total, rate=rate)

        report = run_ingest(
            paths,
            store=store,
            settings=settings,
            published=_published(published),
            on_progress=on_progress,
        )
        rows = store.count()
    if format is Format.json:
        print(json.dumps({**report.as_dict(), "db": settings.db, "articles_in_store": rows}))
    else:
        rate = report.processed / report.seconds if report.seconds else 0.0
        out.print(
            f"[bold]{report.stored} stored[/], {report.updated} updated "
            f"({report.copies} copies), {len(report.skipped)} skipped, {len(report.failed)} failed "
            f"in {report.seconds:.1f}s ({rate:.1f} inputs/s, {report.workers} worker(s)); "
            f"{rows} articles in {settings.db}"
        )
        for outcome in report.skipped:
            out.print(f"  [dim]skipped[/] {outcome.where}: {outcome.reason}")
        for outcome in report.failed:
            out.print(f"  [red]failed[/]  {outcome.where}: {outcome.reason}")
    if not report.ok:
        raise typer.Exit(1)


@app.command()
def query(
    q: Annotated[
        str | None, typer.Option("--q", help="Words that must all occur in title or text.")
    ] = None,
    entity: Annotated[str | None, typer.Option(help="An entity name (case-insensitive).")] = None,
    since: Annotated[str | None, typer.Option(help="Published on or after (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="Published on or before (YYYY-MM-DD).")] = None,
    limit: Annotated[int, typer.Option(help="At most this many articles.")] = 50,
    format: Annotated[QueryFormat, typer.Option("--format")] = QueryFormat.table,
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Query stored articles; json prints one array of records."""
    from .store import QueryFilters, Store

    for name, value in (("--since", since), ("--until", until)):
        if value is not None:
            _iso_day(value, name)
    settings = _settings(config, db=db)
    if not Path(settings.db).exists():
        raise TidingsError(
            f"no store at {settings.db}: run `tidings ingest PATH` first, or pass --db"
        )
    with Store(settings.db, read_only=True) as store:
        records = store.query(
            QueryFilters(q=q, entity=entity, since=since, until=until, limit=limit)
        )
    if format is QueryFormat.json:
        print(json.dumps(records, ensure_ascii=False))
    elif format is QueryFormat.csv:
        writer = csv.writer(sys.stdout)
        writer.writerow(
            ["id", "published", "source", "title", "url", "language", "source_tags", "entities"]
        )
        for r in records:
            writer.writerow(
                [
                    r["id"],
                    r.get("published"),
                    r.get("source"),
                    r.get("title"),
                    r.get("url"),
                    r.get("language"),
                    ";".join(r.get("source_tags") or []),
                    _entity_names(r),
                ]
            )
    else:
        table = Table(
            "published", "title", "source", "entities", title=f"{len(records)} article(s)"
        )
        for r in records:
            table.add_row(
                r.get("published") or "",
                r.get("title") or "",
                r.get("source") or "",
                _entity_names(r, limit=6, sep=", "),
            )
        out.print(table)


def _iso_day(value: str, name: str) -> None:
    import datetime as dt

    try:
        dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            f"not a date: {value!r} (use YYYY-MM-DD)", param_hint=name
        ) from None


def _entity_names(record: dict[str, Any], *, limit: int = 0, sep: str = ";") -> str:
    counts = Counter(
        e.get("canonical") or e["text"]
        for e in record.get("entities") or []
        if e["label"] in ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC")
    )
    names = [n for n, _ in counts.most_common(limit or None)]
    return sep.join(names)


@app.command()
def bench(
    corpus: Annotated[
        Path | None, typer.Option(help="JSONL corpus (default: the BBC dev set).")
    ] = None,
    limit: Annotated[int, typer.Option(help="Use the first N articles (0 = all).")] = 0,
    workers: Annotated[int | None, typer.Option(help="Worker processes (0 = auto).")] = None,
    serve: Annotated[
        bool, typer.Option("--serve", help="Measure `tidings serve`: POST→stream/queryable.")
    ] = False,
    rate: Annotated[float, typer.Option(help="--serve: articles posted per second.")] = 5.0,
    count: Annotated[
        int | None, typer.Option(help="--serve/--crash: articles to post (300 / 200).")
    ] = None,
    queries: Annotated[
        Path | None, typer.Option(help="Time the read endpoints on this existing store.")
    ] = None,
    crash: Annotated[
        bool, typer.Option("--crash", help="kill -9 `tidings serve` mid-run; count lost articles.")
    ] = False,
    stories: Annotated[
        Path | None,
        typer.Option(
            help="Dedup + clustering cost per article as a store grows (from this store)."
        ),
    ] = None,
    sizes: Annotated[
        str, typer.Option(help="--stories: store sizes to measure at.")
    ] = "1000,10000,100000",
    format: Annotated[Format, typer.Option("--format")] = Format.table,
    config: ConfigOption = None,
) -> None:
    """Measure throughput, latency and memory, against the raw NER model in the same run."""
    from .bench import BenchOptions, default_corpus, run_bench

    settings = _settings(config, workers=workers)
    log = lambda m: err.print(f"[dim]{m}[/]")  # noqa: E731
    if stories is not None:
        from .stories_bench import bench_stories

        if not stories.is_file():
            raise TidingsError(f"no such store: {stories}")
        try:
            checkpoints = tuple(int(x) for x in sizes.split(",") if x.strip())
        except ValueError:
            raise typer.BadParameter("comma-separated integers", param_hint="--sizes") from None
        _print_metrics(bench_stories(stories, checkpoints=checkpoints, say=log), format)
        return
    if queries is not None:
        from .service.bench import bench_queries

        if not queries.is_file():
            raise TidingsError(f"no such store: {queries}")
        _print_metrics(bench_queries(queries), format)
        return
    path = corpus or default_corpus()
    if path is None:
        raise TidingsError(
            "no corpus: pass --corpus FILE.jsonl (the default, "
            "../shared/data/bbc-news-topics/bbc_news_dev.jsonl, is not here)"
        )
    if crash:
        from .service.bench import bench_crash

        _print_metrics(bench_crash(path, count=count or 200, log=log), format)
        return
    if serve:
        from .service.bench import bench_serve

        if rate <= 0 or (count is not None and count < 1):
            raise typer.BadParameter("--rate must be positive and --count at least 1")
        _print_metrics(bench_serve(path, rate=rate, count=count or 300, log=log), format)
        return
    result = run_bench(BenchOptions(corpus=path, limit=limit), settings, log=log)
    if format is Format.json:
        print(json.dumps(result))
        return
    table = Table("measure", "value", title="tidings bench")
    for key, value in result.items():
        table.add_row(key, str(value))
    out.print(table)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Run the HTTP API, the live stream and the intake worker (Ctrl-C stops cleanly)."""
    import uvicorn

    from .service import create_app

    settings = _settings(config, db=db)
    if not settings.api_token:
        err.print(
            "[yellow]no API token configured: write endpoints are refused "
            "(set TIDINGS_API_TOKEN)[/]"
        )
    application = create_app(settings)
    uvicorn.run(application, host=host, port=port, log_level="info", timeout_graceful_shutdown=30)


feeds_app = typer.Typer(help="RSS/Atom feeds `tidings serve` polls.", no_args_is_help=True)
app.add_typer(feeds_app, name="feeds")
alerts_app = typer.Typer(help="Alert rules `tidings serve` evaluates.", no_args_is_help=True)
app.add_typer(alerts_app, name="alerts")


def _open_store(db: str | None, config: Path | None) -> Any:
    from .store import Store

    return Store(_settings(config, db=db).db)


@feeds_app.command("add")
def feeds_add(
    url: Annotated[str, typer.Argument(help="The feed's http(s) URL.")],
    interval: Annotated[int | None, typer.Option(help="Seconds between polls.")] = None,
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Add a feed (polled by the next `tidings serve` on this store)."""
    from .service.feeds import add_feed

    settings = _settings(config, db=db)
    with _open_store(db, config) as store:
        feed = add_feed(store, url, interval_s=interval or settings.feed_interval)
    print(json.dumps(feed))


@feeds_app.command("list")
def feeds_list(db: DbOption = None, config: ConfigOption = None) -> None:
    """List feeds with their polling state (JSON, one per line)."""
    from .service.feeds import list_feeds

    with _open_store(db, config) as store:
        for feed in list_feeds(store):
            print(json.dumps(feed))


@feeds_app.command("remove")
def feeds_remove(url: str, db: DbOption = None, config: ConfigOption = None) -> None:
    """Remove a feed."""
    from .service.feeds import remove_feed

    with _open_store(db, config) as store:
        if not remove_feed(store, url):
            raise TidingsError(f"no feed {url!r}")


@alerts_app.command("add")
def alerts_add(
    rule: Annotated[str, typer.Argument(help="The rule as JSON, or @FILE.")],
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Add an alert rule (see README, Alerts)."""
    from .service.alerts import add_alert

    text = Path(rule[1:]).read_text(encoding="utf-8") if rule.startswith("@") else rule
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise TidingsError(f"the rule is not JSON: {e}") from None
    with _open_store(db, config) as store:
        print(json.dumps(add_alert(store, data)))


@alerts_app.command("list")
def alerts_list(db: DbOption = None, config: ConfigOption = None) -> None:
    """List alert rules and how often each fired (JSON, one per line)."""
    from .service.alerts import list_alerts

    with _open_store(db, config) as store:
        for alert in list_alerts(store):
            print(json.dumps(alert))


@alerts_app.command("remove")
def alerts_remove(alert_id: str, db: DbOption = None, config: ConfigOption = None) -> None:
    """Remove an alert rule by id."""
    from .service.alerts import remove_alert

    with _open_store(db, config) as store:
        if not remove_alert(store, alert_id):
            raise TidingsError(f"no alert {alert_id!r}")


publishers_app = typer.Typer(
    help="What the store learnt of each publisher: its home and the places its names mean.",
    no_args_is_help=True,
)
app.add_typer(publishers_app, name="publishers")


@publishers_app.command("list")
def publishers_list(
    limit: Annotated[int, typer.Option(help="At most this many publishers.")] = 50,
    format: Annotated[Format, typer.Option("--format")] = Format.table,
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Publishers the places stage has learnt about, most recently seen first."""
    with _read_store(db, config) as store:
        seen = store.publishers_seen(limit)
    if format is Format.json:
        print(json.dumps(seen, ensure_ascii=False))
        return
    table = Table("source", "articles", "home", "names", "last seen")
    for p in seen:
        home = p["home"]
        table.add_row(
            escape(p["source"]),
            str(p["articles"]),
            escape(f"{home['admin1']}, {home['country']}") if home else "—",
            str(p["names"]),
            p["last_seen"][:19],
        )
    out.print(table)


@publishers_app.command("show")
def publishers_show(
    source: Annotated[str, typer.Argument(help="The publisher (an article's 'source').")],
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """One publisher as JSON: its home, the divisions its articles named, and the
    place each name in its lexicon means."""
    from .gazetteer import load
    from .publishers import describe

    settings = _settings(config, db=db)
    with _read_store(db, config) as store:
        homes = store.publisher_memory(sources=[source])
    if homes.get(source) is None:
        raise TidingsError(f"the store has learnt nothing of {source!r}")
    found = describe(homes, source, load(settings.gazetteer_extra or None))
    print(json.dumps(found, ensure_ascii=False, indent=2))


@publishers_app.command("forget")
def publishers_forget(source: str, db: DbOption = None, config: ConfigOption = None) -> None:
    """Forget what a publisher's articles taught (its next articles teach afresh)."""
    with _open_store(db, config) as store:
        if not store.forget_publisher(source):
            raise TidingsError(f"the store has learnt nothing of {source!r}")


tags_app = typer.Typer(help="Tag rules: try them on an article.", no_args_is_help=True)
app.add_typer(tags_app, name="tags")


@tags_app.command("test")
def tags_test(
    path: Annotated[str, typer.Argument(help="An article file (.txt, .html, .json) or URL.")],
    rules: Annotated[
        Path | None, typer.Option(help="A YAML taxonomy (default: the tags_file setting).")
    ] = None,
    published: Annotated[str | None, typer.Option(help="Publication date.")] = None,
    show_all: Annotated[
        bool, typer.Option("--all", help="Also list rules that did not fire.")
    ] = False,
    format: Annotated[Format, typer.Option("--format")] = Format.table,
    config: ConfigOption = None,
) -> None:
    """Show which tag rules fire on an article, with their score and evidence."""
    from .ingest import to_article
    from .pipeline import Pipeline
    from .sources import InputRecord, iter_inputs
    from .sources.fetch import Fetcher
    from .tags import Taxonomy

    settings = _settings(config)
    taxonomy = Taxonomy.load(rules or settings.tags_file or None)  # validate before analysing
    stages = ",".join(n for n in settings.stage_names if n != "tags")
    pipeline = Pipeline.from_settings(settings.replace(stages=stages))
    items = list(
        iter_inputs(
            [path],
            max_bytes=settings.max_input_bytes,
            published=_published(published),
            fetch=Fetcher.from_settings(settings),
        )
    )
    records = [i for i in items if isinstance(i, InputRecord)]
    if not records:
        problem = next((str(i) for i in items), f"{path}: nothing to read")
        raise TidingsError(problem)
    article = pipeline(to_article(records[0])).release()
    results = taxonomy.explain(article)
    if not show_all:
        results = [r for r in results if r["matched"] or r["score"]]
    if format is Format.json:
        print(json.dumps({"rules": taxonomy.source, "results": results}, ensure_ascii=False))
        return
    table = Table("tag", "group", "fired", "score", "threshold", "evidence", title=taxonomy.source)
    for r in results:
        terms = Counter(e.get("term") or e.get("condition") or "near" for e in r["evidence"])
        evidence = ", ".join(f"{t}×{n}" if n > 1 else str(t) for t, n in terms.items())
        table.add_row(
            r["tag"],
            r["group"] or "",
            "[green]yes[/]" if r["matched"] else "no",
            f"{r['score']:g}",
            "" if r["threshold"] is None else f"{r['threshold']:g}",
            escape(evidence),
        )
    out.print(table)


eval_app = typer.Typer(help="Evaluate against human-labelled data.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")


@eval_app.command("geo")
def eval_geo(
    paths: Annotated[list[Path], typer.Argument(help="Gold JSONL corpora (text + toponyms).")],
    limit: Annotated[int, typer.Option(help="First N articles of each corpus (0 = all).")] = 0,
    format: Annotated[Format, typer.Option("--format")] = Format.table,
    config: ConfigOption = None,
) -> None:
    """Toponym detection (precision/recall/F1) and resolution (acc@161 km) on gold corpora."""
    from .eval.geo import evaluate
    from .pipeline import Pipeline

    for path in paths:
        if not path.is_file():
            raise TidingsError(f"no such corpus file: {path}")
    settings = _settings(config)
    pipeline = Pipeline.from_settings(settings)
    result = evaluate(paths, pipeline, limit=limit, batch_size=settings.batch_size)
    _print_metrics(result, format)


@eval_app.command("acled")
def eval_acled(
    path: Annotated[Path, typer.Argument(help="An ACLED export (CSV with notes).")],
    limit: Annotated[int, typer.Option(help="First N events (0 = all).")] = 0,
    format: Annotated[Format, typer.Option("--format")] = Format.table,
    config: ConfigOption = None,
) -> None:
    """Code each ACLED note and score it against the coders' columns."""
    from .eval.events import evaluate_acled

    _run_eval(evaluate_acled, path, limit=limit, format=format, config=config)


@eval_app.command("case")
def eval_case(
    path: Annotated[Path, typer.Argument(help="CASE 2021 task 2 snippets (CSV).")],
    limit: Annotated[int, typer.Option(help="First N snippets (0 = all).")] = 0,
    format: Annotated[Format, typer.Option("--format")] = Format.table,
    config: ConfigOption = None,
) -> None:
    """Classify CASE 2021 snippets into ACLED sub-event types (or none)."""
    from .eval.events import evaluate_case

    _run_eval(evaluate_case, path, limit=limit, format=format, config=config)


@eval_app.command("topics")
def eval_topics(
    path: Annotated[Path, typer.Argument(help="Labelled articles (JSONL: title, text, label).")],
    limit: Annotated[int, typer.Option(help="First N articles (0 = all).")] = 0,
    stages: Annotated[
        str, typer.Option(help="Pipeline stages; the topic tags need only words.")
    ] = "clean,language,tags",
    format: Annotated[Format, typer.Option("--format")] = Format.table,
    config: ConfigOption = None,
) -> None:
    """Classify articles by the default taxonomy's topic tags; accuracy and macro-F1."""
    from .eval.topics import evaluate_topics
    from .pipeline import Pipeline

    if not path.is_file():
        raise TidingsError(f"no such file: {path}")
    settings = _settings(config, stages=stages)
    pipeline = Pipeline.from_settings(settings)
    _print_metrics(
        evaluate_topics(path, pipeline, limit=limit, batch_size=settings.batch_size), format
    )


@eval_app.command("dedup")
def eval_dedup(
    path: Annotated[Path, typer.Argument(help="Articles (JSONL: id, title, text).")],
    fraction: Annotated[
        float, typer.Option(help="Share of articles that get a near-duplicate variant.")
    ] = 0.2,
    seed: Annotated[int, typer.Option(help="Seed of the variants and their positions.")] = 13,
    limit: Annotated[int, typer.Option(help="First N articles (0 = all).")] = 0,
    format: Annotated[Format, typer.Option("--format")] = Format.table,
    config: ConfigOption = None,
) -> None:
    """Duplicate detection on a stream with made-up copies: precision and recall."""
    from .eval.dedup import evaluate_dedup

    if not path.is_file():
        raise TidingsError(f"no such file: {path}")
    if not 0 <= fraction <= 1:
        raise typer.BadParameter("between 0 and 1", param_hint="--fraction")
    settings = _settings(config)
    _print_metrics(
        evaluate_dedup(path, settings, fraction=fraction, seed=seed, limit=limit), format
    )


@eval_app.command("stories")
def eval_stories(
    path: Annotated[
        Path, typer.Argument(help="Labelled reports (JSONL with url, story and event).")
    ],
    format: Annotated[Format, typer.Option("--format")] = Format.table,
    config: ConfigOption = None,
) -> None:
    """Story clustering and cross-article event merging: pairwise precision and recall."""
    from .eval.stories import evaluate_stories

    if not path.is_file():
        raise TidingsError(f"no such file: {path}")
    _print_metrics(evaluate_stories(path, _settings(config, workers=1)), format)


def _run_eval(
    evaluate: Any, path: Path, *, limit: int, format: Format, config: Path | None
) -> None:
    from .pipeline import Pipeline

    if not path.is_file():
        raise TidingsError(f"no such file: {path}")
    settings = _settings(config)
    pipeline = Pipeline.from_settings(settings)
    _print_metrics(evaluate(path, pipeline, limit=limit, batch_size=settings.batch_size), format)


def _print_metrics(result: dict[str, Any], format: Format) -> None:
    """Metrics as a table, or as one JSON object on the last line of stdout."""
    if format is Format.json:
        print(json.dumps(result))
        return
    corpora = result.get("corpora", {})
    keys = [k for k, v in result.items() if not isinstance(v, dict | list)]
    for name, table_data in result.items():
        if isinstance(table_data, dict) and name != "corpora":
            out.print(f"{name}: {json.dumps(table_data)}")
    table = Table("metric", *corpora, "overall", title="evaluation")
    for key in keys:
        table.add_row(key, *(str(c.get(key)) for c in corpora.values()), str(result[key]))
    out.print(table)


def _read_store(db: str | None, config: Path | None) -> Any:
    from .store import Store

    settings = _settings(config, db=db)
    if not Path(settings.db).exists():
        raise TidingsError(
            f"no store at {settings.db}: run `tidings ingest PATH` first, or pass --db"
        )
    return Store(settings.db, read_only=True)


@app.command("stories")
def stories_list(
    breaking: Annotated[bool, typer.Option(help="Only breaking stories.")] = False,
    limit: Annotated[int, typer.Option(help="At most this many stories.")] = 20,
    min_articles: Annotated[int, typer.Option(help="Stories with at least N articles.")] = 1,
    window_hours: Annotated[int, typer.Option(help="Recent window for growth.")] = 1,
    baseline_hours: Annotated[int, typer.Option(help="Baseline before it.")] = 24,
    format: Annotated[Format, typer.Option("--format")] = Format.table,
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Stories (articles clustered across sources), latest first, with growth."""
    from .service.stories import list_stories

    with _read_store(db, config) as store:
        page = list_stories(
            store,
            limit=limit,
            breaking=breaking,
            window_hours=window_hours,
            baseline_hours=baseline_hours,
            min_articles=min_articles,
        )
    if format is Format.json:
        print(json.dumps(page["items"], ensure_ascii=False))
        return
    table = Table("story", "title", "articles", "sources", "growth", "places", "actors")
    for s in page["items"]:
        table.add_row(
            s["id"] + (" [bold red]breaking[/]" if s["breaking"] else ""),
            escape(s["title"] or ""),
            str(s["articles"]),
            str(s["sources"]),
            str(s["growth"]),
            escape(", ".join(str(p.get("name") or p.get("country")) for p in s["places"][:3])),
            escape(", ".join(str(a["name"]) for a in s["actors"][:3])),
        )
    out.print(table)


@app.command("story")
def story_show(
    story_id: Annotated[str, typer.Argument(help="A story id (from `tidings stories`).")],
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """One story as JSON: its reports, and its events merged across reports."""
    from .service.stories import get_canonical_event, get_story

    with _read_store(db, config) as store:
        story = get_story(store, story_id)
        if story is None:
            raise TidingsError(f"no story {story_id!r}")
        story["events"] = [get_canonical_event(store, e["id"]) for e in story["events"]]
    print(json.dumps(story, ensure_ascii=False, indent=2))


@app.command("trending")
def trending_list(
    by: Annotated[str, typer.Option(help="tag, country, event_type or entity.")] = "tag",
    window_hours: Annotated[int, typer.Option(help="Recent window.")] = 1,
    baseline_hours: Annotated[int, typer.Option(help="Baseline before it.")] = 24,
    min_count: Annotated[int, typer.Option(help="Fewest recent articles to list.")] = 3,
    limit: Annotated[int, typer.Option(help="At most this many rows.")] = 20,
    format: Annotated[Format, typer.Option("--format")] = Format.table,
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """What is rising: recent article counts against the baseline (Poisson z-score)."""
    from .service.queries import TRENDING_SOURCES, Filters, trending

    if by not in TRENDING_SOURCES:
        raise typer.BadParameter(f"one of {', '.join(TRENDING_SOURCES)}", param_hint="--by")
    with _read_store(db, config) as store:
        result = trending(
            store,
            Filters(limit=limit),
            by=by,
            window_hours=window_hours,
            baseline_hours=baseline_hours,
            min_count=min_count,
        )
    if format is Format.json:
        print(json.dumps(result, ensure_ascii=False))
        return
    table = Table(
        by, "count", "expected", "z", title=f"last {window_hours} h vs {baseline_hours} h"
    )
    for item in result["items"]:
        table.add_row(
            escape(str(item[by])), str(item["count"]), str(item["expected"]), str(item["z"])
        )
    out.print(table)


@app.command("settings")
def show_settings(config: ConfigOption = None) -> None:
    """Print every setting: its value and what it does."""
    settings = _settings(config)
    table = Table("setting", "value", "help")
    for name, help_text in Settings.help().items():
        table.add_row(name, repr(getattr(settings, name)), help_text)
    out.print(table)


@app.command()
def stats(db: DbOption = None, config: ConfigOption = None) -> None:
    """Row counts and applied migrations of the store."""
    from .store import Store

    settings = _settings(config, db=db)
    if not Path(settings.db).exists():
        raise TidingsError(f"no store at {settings.db}")
    with Store(settings.db, read_only=True) as store:
        counts, migrations = store.counts(), store.migrations()
    table = Table("table", "rows", title=settings.db)
    for name, n in counts.items():
        table.add_row(name, str(n))
    out.print(table)
    out.print("migrations: " + ", ".join(migrations))


def main() -> None:
    """Entry point: run the app; turn tidings errors into a message and exit code 1.

    Typer (in standalone mode) reports usage errors itself, with exit code 2.
    """
    try:
        app()
    except TidingsError as e:
        err.print(f"[red]error:[/] {e}", highlight=False)
        sys.exit(1)
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)


if __name__ == "__main__":
    main()
