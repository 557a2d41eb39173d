"""Named, recorded schema migrations.

Each migration runs once, in order, inside a transaction, and is recorded in
``schema_migrations``. Never edit a migration that has shipped: add a new one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

logger = logging.getLogger(__name__)


def _backfill_search(con: Any) -> None:
    """0006: the word index and entity counts for articles stored before them."""
    from .search import index_rows

    con.execute(
        """
        CREATE TABLE article_terms (       -- word index for q (see store/search.py)
            term BIGINT NOT NULL,          -- BLAKE2b-64 of the case-folded word
            article_id VARCHAR NOT NULL
        );
        CREATE TABLE entity_stats (        -- kept per write: mentions and articles per entity
            entity_id VARCHAR PRIMARY KEY,
            mentions INTEGER NOT NULL,
            articles INTEGER NOT NULL
        );
        INSERT INTO entity_stats
            SELECT entity_id, count(*), count(DISTINCT article_id)
            FROM entities WHERE entity_id IS NOT NULL GROUP BY entity_id;
        """
    )

    class _Row:
        def __init__(self, id: str, title: str | None, text: str | None) -> None:
            self.id, self.title, self.text = id, title, text

    cur = con.cursor()
    cur.execute("SELECT id, title, text FROM articles")
    while chunk := cur.fetchmany(2000):
        terms, ids = index_rows(_Row(*row) for row in chunk)
        if terms:
            con.execute(
                "INSERT INTO article_terms SELECT unnest(?::BIGINT[]), unnest(?::VARCHAR[])",
                [terms, ids],
            )


# A migration is SQL, or a function given the connection (for backfills that need Python).
MIGRATIONS: list[tuple[str, str | Callable[[Any], None]]] = [
    (
        "0001_articles_entities_dates",
        """
        CREATE TABLE articles (
            id VARCHAR PRIMARY KEY,
            url VARCHAR,
            source VARCHAR,
            title VARCHAR,
            published VARCHAR,          -- ISO 8601 as received, normalised
            published_date DATE,        -- its calendar date, for range filters
            language VARCHAR,
            text VARCHAR,
            source_tags VARCHAR[],
            tags VARCHAR[],
            tone DOUBLE,
            story_id VARCHAR,
            duplicate_of VARCHAR,
            record JSON NOT NULL,       -- the whole JSON record, as tidings analyze prints it
            first_seen TIMESTAMP NOT NULL,
            updated TIMESTAMP NOT NULL,
            revision INTEGER NOT NULL
        );
        CREATE TABLE entities (
            article_id VARCHAR NOT NULL,
            idx INTEGER NOT NULL,
            text VARCHAR NOT NULL,
            label VARCHAR NOT NULL,
            start_char INTEGER NOT NULL,
            end_char INTEGER NOT NULL,
            canonical VARCHAR,
            PRIMARY KEY (article_id, idx)
        );
        CREATE TABLE dates (
            article_id VARCHAR NOT NULL,
            idx INTEGER NOT NULL,
            text VARCHAR NOT NULL,
            value VARCHAR,
            precision INTEGER,
            start_char INTEGER NOT NULL,
            end_char INTEGER NOT NULL,
            PRIMARY KEY (article_id, idx)
        );
        """,
    ),
    (
        "0002_places_events_quotes",
        """
        CREATE TABLE places (
            article_id VARCHAR NOT NULL,
            idx INTEGER NOT NULL,
            name VARCHAR NOT NULL,
            geonameid BIGINT,
            lat DOUBLE,
            lon DOUBLE,
            country VARCHAR,
            admin1 VARCHAR,
            feature VARCHAR,
            score DOUBLE,
            PRIMARY KEY (article_id, idx)
        );
        CREATE TABLE events (
            article_id VARCHAR NOT NULL,
            idx INTEGER NOT NULL,
            event_type VARCHAR,
            sub_event_type VARCHAR,
            event_date VARCHAR,
            country VARCHAR,
            fatalities INTEGER,
            injured INTEGER,
            background BOOLEAN,
            record JSON NOT NULL,
            PRIMARY KEY (article_id, idx)
        );
        CREATE TABLE quotes (
            article_id VARCHAR NOT NULL,
            idx INTEGER NOT NULL,
            text VARCHAR NOT NULL,
            speaker VARCHAR,
            via VARCHAR,
            start_char INTEGER NOT NULL,
            end_char INTEGER NOT NULL,
            PRIMARY KEY (article_id, idx)
        );
        """,
    ),
    (
        "0003_entity_ids_tags_quote_kind",
        """
        CREATE TABLE canonical_entities (
            id VARCHAR PRIMARY KEY,
            kind VARCHAR NOT NULL,          -- PERSON, ORG, PLACE, NORP, ...
            name VARCHAR NOT NULL,          -- the name it was first seen under
            first_seen TIMESTAMP NOT NULL
        );
        CREATE TABLE entity_aliases (
            kind VARCHAR NOT NULL,
            alias VARCHAR NOT NULL,         -- a folded name (tidings.entities.name_key)
            entity_id VARCHAR NOT NULL,
            PRIMARY KEY (kind, alias)
        );
        ALTER TABLE entities ADD COLUMN entity_id VARCHAR;
        ALTER TABLE quotes ADD COLUMN kind VARCHAR;
        CREATE TABLE tags (
            article_id VARCHAR NOT NULL,
            idx INTEGER NOT NULL,
            tag VARCHAR NOT NULL,
            tag_group VARCHAR,
            score DOUBLE,
            evidence JSON,
            PRIMARY KEY (article_id, idx)
        );
        """,
    ),
    (
        "0004_service_intake_and_stream",
        """
        CREATE SEQUENCE intake_seq START 1;
        CREATE TABLE intake (           -- articles accepted by the service, before analysis
            seq BIGINT PRIMARY KEY DEFAULT nextval('intake_seq'),
            payload JSON NOT NULL,      -- the record as posted (validated)
            origin VARCHAR NOT NULL,    -- api, feed:<url>, inbox:<file>
            received TIMESTAMP NOT NULL,
            status VARCHAR NOT NULL,    -- pending, done, failed
            article_id VARCHAR,         -- set when done
            error VARCHAR,
            finished TIMESTAMP
        );
        CREATE SEQUENCE stream_seq START 1;
        CREATE TABLE stream_log (       -- what /api/stream sends; seq is the SSE event id
            seq BIGINT PRIMARY KEY DEFAULT nextval('stream_seq'),
            kind VARCHAR NOT NULL,      -- article, event, alert
            article_id VARCHAR,
            payload JSON NOT NULL,
            created TIMESTAMP NOT NULL
        );
        """,
    ),
    (
        "0005_feeds_and_alerts",
        """
        CREATE TABLE feeds (
            url VARCHAR PRIMARY KEY,
            added TIMESTAMP NOT NULL,
            interval_s INTEGER NOT NULL,
            etag VARCHAR,
            last_modified VARCHAR,
            last_polled TIMESTAMP,
            next_poll TIMESTAMP,
            errors INTEGER NOT NULL DEFAULT 0,  -- consecutive failures (backoff)
            last_error VARCHAR,
            items_seen INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE feed_seen (               -- item links already taken: never fetched again
            link VARCHAR PRIMARY KEY,
            feed_url VARCHAR NOT NULL,
            seen TIMESTAMP NOT NULL
        );
        CREATE TABLE alerts (
            id VARCHAR PRIMARY KEY,
            name VARCHAR NOT NULL,
            rule JSON NOT NULL,                -- filter + mode (any, threshold, spike)
            webhook VARCHAR,
            created TIMESTAMP NOT NULL
        );
        CREATE TABLE alert_fired (             -- each match fires once
            alert_id VARCHAR NOT NULL,
            match_key VARCHAR NOT NULL,
            fired TIMESTAMP NOT NULL,
            payload JSON NOT NULL,
            PRIMARY KEY (alert_id, match_key)
        );
        CREATE SEQUENCE delivery_seq START 1;
        CREATE TABLE alert_deliveries (
            seq BIGINT PRIMARY KEY DEFAULT nextval('delivery_seq'),
            alert_id VARCHAR NOT NULL,
            match_key VARCHAR NOT NULL,
            attempt INTEGER NOT NULL,
            status VARCHAR NOT NULL,           -- delivered, failed, gave_up
            detail VARCHAR,
            created TIMESTAMP NOT NULL
        );
        """,
    ),
    ("0006_word_index_and_entity_stats", _backfill_search),
    (
        "0007_fingerprints",
        """
        CREATE TABLE fingerprints (        -- duplicate detection (see tidings/dedup.py)
            article_id VARCHAR NOT NULL,
            exact VARCHAR NOT NULL,        -- hash of the case-folded words
            shingles INTEGER NOT NULL
        );
        CREATE TABLE lsh_bands (           -- MinHash LSH band keys of originals
            key BIGINT NOT NULL,
            article_id VARCHAR NOT NULL
        );
        """,
    ),
    (
        "0008_stories_and_canonical_events",
        """
        CREATE TABLE stories (             -- see tidings/store/stories.py
            id VARCHAR PRIMARY KEY,
            title VARCHAR,                 -- the first article's title
            first_time TIMESTAMP NOT NULL, -- article times (publication, else arrival)
            last_time TIMESTAMP NOT NULL,
            first_seen TIMESTAMP NOT NULL, -- arrival times
            last_seen TIMESTAMP NOT NULL,
            articles INTEGER NOT NULL,
            sources INTEGER NOT NULL,
            key_weight DOUBLE NOT NULL     -- sum over its articles of their keys' weight
        );
        CREATE TABLE story_articles (
            story_id VARCHAR NOT NULL,
            article_id VARCHAR PRIMARY KEY,
            source VARCHAR,
            joined TIMESTAMP NOT NULL,
            article_time TIMESTAMP NOT NULL,
            score DOUBLE,                  -- how well it matched the story when it joined
            keys VARCHAR[],                -- its clustering keys (to leave the story on rewrite)
            weight DOUBLE                  -- their total weight
        );
        CREATE TABLE story_keys (          -- append-only: per write, keys its articles added
            story_id VARCHAR NOT NULL,     -- (n < 0 when a rewritten article left)
            key VARCHAR NOT NULL,
            n INTEGER NOT NULL,
            last_time TIMESTAMP NOT NULL   -- the latest article time among them
        );
        CREATE TABLE canonical_events (    -- one real-world event, merged across reports
            id VARCHAR PRIMARY KEY,
            story_id VARCHAR,
            event_type VARCHAR,
            sub_event_type VARCHAR,
            event_date DATE,
            time_precision INTEGER,
            country VARCHAR,
            location VARCHAR,
            lat DOUBLE,
            lon DOUBLE,
            actor1 VARCHAR,
            actor2 VARCHAR,
            fatalities INTEGER,            -- the latest report's figure
            injured INTEGER,
            figures_time TIMESTAMP,        -- time of the report the figures come from
            first_seen TIMESTAMP NOT NULL,
            last_seen TIMESTAMP NOT NULL,
            reports INTEGER NOT NULL,
            record JSON                    -- the first report's event record
        );
        CREATE TABLE event_reports (       -- lineage: every report of a canonical event
            event_id VARCHAR NOT NULL,
            article_id VARCHAR NOT NULL,
            idx INTEGER NOT NULL,          -- the event's index in the article's events
            fatalities INTEGER,
            injured INTEGER,
            article_time TIMESTAMP NOT NULL,
            evidence JSON
        );
        CREATE TABLE event_revisions (     -- casualty figures as they changed
            event_id VARCHAR NOT NULL,
            field VARCHAR NOT NULL,
            old_value INTEGER,
            new_value INTEGER NOT NULL,
            article_id VARCHAR NOT NULL,
            article_time TIMESTAMP NOT NULL,
            recorded TIMESTAMP NOT NULL
        );
        """,
    ),
    (
        "0009_publisher_memory",
        """
        CREATE TABLE publishers (          -- what each source's articles taught the places
            source VARCHAR PRIMARY KEY,    -- stage (see tidings/publishers.py)
            articles INTEGER NOT NULL,     -- articles that placed a town surely
            last_seen TIMESTAMP NOT NULL
        );
        CREATE TABLE publisher_divisions ( -- in how many of them each division was named
            source VARCHAR NOT NULL,
            country VARCHAR NOT NULL,
            admin1 VARCHAR NOT NULL,       -- its name key
            articles INTEGER NOT NULL,
            PRIMARY KEY (source, country, admin1)
        );
        CREATE TABLE publisher_names (     -- in how many articles a name meant a place
            source VARCHAR NOT NULL,
            name_key VARCHAR NOT NULL,
            geonameid BIGINT NOT NULL,
            articles INTEGER NOT NULL,
            PRIMARY KEY (source, name_key, geonameid)
        );
        """,
    ),
]


def migrate(con: Any) -> list[str]:
    """Apply pending migrations to a DuckDB connection; return the names applied."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        "name VARCHAR PRIMARY KEY, applied_at TIMESTAMP NOT NULL)"
    )
    done = {row[0] for row in con.execute("SELECT name FROM schema_migrations").fetchall()}
    applied = []
    for name, sql in MIGRATIONS:
        if name in done:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            if callable(sql):
                sql(con)
            else:
                con.execute(sql)
            con.execute(
                "INSERT INTO schema_migrations VALUES (?, current_timestamp::TIMESTAMP)", [name]
            )
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        logger.info("applied migration %s", name)
        applied.append(name)
    return applied
