"""Make a large store for timing the query API: analysed articles, replicated.

Usage::

    tidings ingest ../shared/data/bbc-news-topics/bbc_news_dev.jsonl \\
        tests/fixtures/events ../shared/examples/seed-article.txt --db base.duckdb
    python scripts/make_big_store.py base.duckdb big.duckdb --articles 100000
    tidings bench --queries big.duckdb

Every article of the base store (really analysed: entities, places, events,
tags...) is copied with a new id (``<id>-<n>``) and its arrival time
(``first_seen``) and publication date moved back by a pseudo-random amount, up
to 60 days, until the store holds ``--articles`` rows; every child row (entities,
places, events, quotes, tags, dates) is copied with it. The copies' JSON
``record`` keeps the original id inside: the store is for timing queries, not
for reading. Copies are written by SQL inside DuckDB, so a 100k store takes
seconds once the base is analysed.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time

import duckdb

CHILDREN = ("entities", "dates", "places", "events", "quotes", "tags")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base", help="an analysed store (tidings ingest ...)")
    parser.add_argument("out", help="the store to write (a copy of base, then grown)")
    parser.add_argument("--articles", type=int, default=100_000)
    args = parser.parse_args(argv)
    shutil.copyfile(args.base, args.out)
    con = duckdb.connect(args.out)
    base = con.execute("SELECT count(*) FROM articles").fetchone()[0]
    if not base:
        print("the base store has no articles", file=sys.stderr)
        return 1
    copies = -(-args.articles // base) - 1
    started = time.perf_counter()
    con.execute("CREATE TEMP TABLE originals AS SELECT * FROM articles")
    for table in CHILDREN:
        con.execute(f"CREATE TEMP TABLE orig_{table} AS SELECT * FROM {table}")
    columns = {
        t: [r[0] for r in con.execute(f"DESCRIBE {t}").fetchall()] for t in ("articles", *CHILDREN)
    }
    for n in range(1, copies + 1):
        remaining = args.articles - base * n
        if remaining <= 0:
            break
        cols = columns["articles"]
        # n is this loop's integer; m: minutes to move the copy back (0 .. 60 days).
        exprs = {
            "id": f"id || '-{n}'",
            "url": f"CASE WHEN url IS NULL THEN NULL ELSE url || '#{n}' END",
            "first_seen": "first_seen - to_minutes(m)",
            "updated": "updated - to_minutes(m)",
            "published_date": "published_date - CAST(m // 1440 AS INTEGER)",
        }
        select = ", ".join(exprs.get(c, c) for c in cols)
        con.execute(
            f"INSERT INTO articles ({', '.join(cols)}) SELECT {select} FROM "
            f"(SELECT *, CAST(hash(id || '{n}') % 86400 AS BIGINT) AS m FROM originals "
            "ORDER BY id LIMIT ?)",
            [min(base, remaining)],
        )
        for table in CHILDREN:
            tcols = columns[table]
            tselect = ", ".join(f"article_id || '-{n}'" if c == "article_id" else c for c in tcols)
            con.execute(
                f"INSERT INTO {table} ({', '.join(tcols)}) SELECT {tselect} FROM orig_{table} "
                "WHERE article_id IN (SELECT id FROM originals ORDER BY id LIMIT ?)",
                [min(base, remaining)],
            )
    con.execute("CHECKPOINT")
    total = con.execute("SELECT count(*) FROM articles").fetchone()[0]
    print(f"{args.out}: {total} articles in {time.perf_counter() - started:.1f}s")
    con.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
