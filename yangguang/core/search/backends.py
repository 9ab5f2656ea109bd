"""The two text-index backends, chosen by the database in use: SQLite FTS5 and PostgreSQL
tsvector + GIN. Both index the same segmented terms (segment.py) in three weighted columns:
title (×10), meta = 发文字号 + 主题词 + org name (×4), body + attachment text (×1).

Each backend gives the SQL pieces that differ; engine.py builds the rest of the queries,
which are the same for both (filters, facets, order, paging).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection

from .query import ParsedQuery, fts5_match, tsquery

TABLE = "core_searchentry"
COLUMNS = ("document_id", "org_id", "topic", "genre", "validity", "year", "published_date")
# Relevance weights title : meta : body. FTS5 bm25() takes them per column; ts_rank takes
# them per tsvector weight class {D, C, B, A}: body D, meta B, title A.
WEIGHTS = (10.0, 4.0, 1.0)


@dataclass
class Backend:
    vendor: str

    # --- writing -------------------------------------------------------------------------

    def upsert_sql(self) -> str:
        """PostgreSQL: one row's upsert, for executemany (psycopg pipelines it). Parameters in
        `indexer.row_for` order; `vector` = title (A) + meta (B) + body (D), `title_vector` its
        A/B part, each text parsed once."""
        if self.vendor != "postgresql":
            raise NotImplementedError("SQLite writes with insert_sql() (see indexer.write_rows)")
        update = ", ".join(f"{c} = excluded.{c}" for c in COLUMNS[1:])
        return (
            f"INSERT INTO {TABLE} ({', '.join(COLUMNS)}, title_seg, meta_seg, body_seg, title_vector, vector) "
            f"SELECT {', '.join(COLUMNS)}, '', '', '', tv, tv || setweight(to_tsvector('simple', b), 'D') "
            "FROM (SELECT v.*, setweight(to_tsvector('simple', t), 'A') || setweight(to_tsvector('simple', m), 'B') AS tv "
            "FROM (VALUES (%s::bigint, %s::bigint, %s, %s, %s, %s::smallint, %s::date, %s, %s, %s)) "
            f"AS v({', '.join(COLUMNS)}, t, m, b)) AS x "
            f"ON CONFLICT (document_id) DO UPDATE SET {update}, title_vector = excluded.title_vector, "
            "vector = excluded.vector"
        )

    def insert_sql(self) -> str:
        """SQLite: the head of a multi-row INSERT; `VALUES (…), (…)` follows."""
        return f"INSERT INTO {TABLE} ({', '.join(COLUMNS)}, title_seg, meta_seg, body_seg)"

    # --- querying ------------------------------------------------------------------------

    def source(self) -> str:
        if self.vendor == "postgresql":
            return f"{TABLE} e"
        return f"core_search_fts JOIN {TABLE} e INDEXED BY core_search_facets ON e.document_id = core_search_fts.rowid"

    def match(self, q: ParsedQuery) -> tuple[str, list]:
        if self.vendor == "postgresql":
            return "e.vector @@ to_tsquery('simple', %s)", [tsquery(q)]
        return "core_search_fts MATCH %s", [fts5_match(q)]

    def sample_source(self) -> str:
        if self.vendor == "postgresql":
            return f"{PG_SAMPLE_TABLE} e"
        return (f"core_search_sample_fts JOIN {TABLE} e INDEXED BY core_search_facets "
                "ON e.document_id = core_search_sample_fts.rowid")

    def sample_match(self, q: ParsedQuery) -> tuple[str, list]:
        """The match on the sample index."""
        if self.vendor == "postgresql":
            return "e.vector @@ to_tsquery('simple', %s)", [tsquery(q)]
        return "core_search_sample_fts MATCH %s", [fts5_match(q)]

    def newest_source(self, q: ParsedQuery, title_only: bool) -> tuple[str, str, list, str]:
        """(FROM, match, its parameters, the id column to order by) for reading matches newest
        added first and stopping early: FTS5 reads its doclists backwards by rowid; PostgreSQL walks
        the primary key or intersects the GIN bitmap with an id range (broad.py)."""
        if self.vendor == "postgresql":
            column = "title_vector" if title_only else "vector"
            return f"{TABLE} e", f"e.{column} @@ to_tsquery('simple', %s)", [tsquery(q)], "e.document_id"
        if title_only:
            return (f"core_search_title_fts JOIN {TABLE} e INDEXED BY core_search_facets "
                    "ON e.document_id = core_search_title_fts.rowid", "core_search_title_fts MATCH %s",
                    [fts5_match(q)], "core_search_title_fts.rowid")
        return self.source(), "core_search_fts MATCH %s", [fts5_match(q)], "core_search_fts.rowid"

    def row_match(self, q: ParsedQuery, title_only: bool = False) -> tuple[str, list]:
        """Does row `e` match? For walking another index (newest published first)."""
        if self.vendor == "postgresql":
            return f"e.{'title_vector' if title_only else 'vector'} @@ to_tsquery('simple', %s)", [tsquery(q)]
        fts = TITLE_FTS.name if title_only else MAIN_FTS.name
        return f"EXISTS (SELECT 1 FROM {fts} WHERE {fts} MATCH %s AND {fts}.rowid = e.document_id)", [fts5_match(q)]

    def title_hit(self, q: ParsedQuery) -> tuple[str, list]:
        """1 when the query matches the title + meta part alone, else 0; cheap for every match."""
        if self.vendor == "postgresql":
            return "CASE WHEN e.title_vector @@ to_tsquery('simple', %s) THEN 1 ELSE 0 END", [tsquery(q)]
        return ("CASE WHEN e.document_id IN (SELECT rowid FROM core_search_title_fts WHERE core_search_title_fts "
                "MATCH %s) THEN 1 ELSE 0 END"), [fts5_match(q)]


def backend() -> Backend:
    return Backend(connection.vendor)


# --- DDL, run by the migrations -------------------------------------------------------------

# The sample index: the documents whose id is a multiple of SAMPLE_EVERY (1 in 64, spread evenly
# over time, orgs and kinds since ids follow creation). Searching it first tells how many
# documents a query matches, cheaply; a query that matches tens of thousands gets its counts
# estimated from the sample instead of counted (engine.py). Changing this number needs a
# migration (it is in the PostgreSQL partial index and the SQLite view below).
SAMPLE_EVERY = 64
SAMPLE_WHERE = f"document_id % {SAMPLE_EVERY} = 0"

# How the FTS5 tables tokenize and what they store. The stored text is already segmented into
# terms (letters and digits only, lower case, space-separated: segment.index_text), so the ascii
# tokenizer (spaces split, every non-ASCII byte is part of a token) splits it exactly as
# str.split() does, without unicode61's per-character class lookups. FTS5 is only asked which rows
# hold which terms: queries are ANDs and ORs of single terms (query.py: no phrases, no NEAR, no
# column filters), and relevance is computed from the stored text (rank.py), so positions and
# columns are not stored (detail=none). Rebuilding the index of 20,000 documents: 4.8 s and 74.5 MB
# with 'unicode61 remove_diacritics 0' and detail=full (the first choice), 1.3 s and 10.6 MB so.
FTS5_OPTIONS = "tokenize='ascii', detail=none"
FTS5_TRIGGERS = ("ai", "ad", "au")  # each FTS5 table's, kept in step with the rows (Fts5.trigger)
FTS5_OPTIONS_BEFORE_0012 = "tokenize='unicode61 remove_diacritics 0'"


@dataclass(frozen=True)
class Fts5:
    """One SQLite FTS5 table over the index rows (external content), kept in step by triggers."""

    name: str
    content: str  # the table or view it indexes
    prefix: str  # of its triggers' names: {prefix}_ai, _ad, _au
    cond: str = ""  # which rows (the sample), or "" for all
    columns: tuple[str, ...] = ("title_seg", "meta_seg", "body_seg")

    def create(self, options: str | None = None) -> str:
        return (f"CREATE VIRTUAL TABLE IF NOT EXISTS {self.name} USING fts5({', '.join(self.columns)}, "
                f"content='{self.content}', content_rowid='document_id', {options or FTS5_OPTIONS})")

    def trigger(self, kind: str) -> str:
        """The trigger `{prefix}_{kind}` (ai, ad, au) that keeps the table in step with the rows."""
        cols = ", ".join(self.columns)
        new = ", ".join(f"new.{c}" for c in self.columns)
        old = ", ".join(f"old.{c}" for c in self.columns)
        add = f"INSERT INTO {self.name} (rowid, {cols}) VALUES (new.document_id, {new});"
        drop = f"INSERT INTO {self.name} ({self.name}, rowid, {cols}) VALUES ('delete', old.document_id, {old});"
        event, row, body = {"ai": ("INSERT", "new", add), "ad": ("DELETE", "old", drop),
                            "au": ("UPDATE", "old", drop + " " + add)}[kind]
        when = f" WHEN {row}.{self.cond}" if self.cond else ""
        return f"CREATE TRIGGER IF NOT EXISTS {self.prefix}_{kind} AFTER {event} ON {TABLE}{when} BEGIN {body} END"

    def ddl(self) -> list[str]:
        return [self.create()] + [self.trigger(kind) for kind in FTS5_TRIGGERS]

    def undo(self) -> list[str]:
        return [f"DROP TRIGGER IF EXISTS {self.prefix}_{kind}" for kind in ("au", "ad", "ai")] + [
            f"DROP TABLE IF EXISTS {self.name}"]


# The main table's triggers keep their first names (core_searchentry_ai/ad/au). The title table
# holds title + meta alone: "a query word is in the title" is read from its short doclists
# (a column filter on the main table decodes every match's positions: 40–60 ms at a million).
MAIN_FTS = Fts5("core_search_fts", TABLE, "core_searchentry")
SAMPLE_FTS = Fts5("core_search_sample_fts", "core_search_sample", "core_search_sample", SAMPLE_WHERE)
TITLE_FTS = Fts5("core_search_title_fts", TABLE, "core_search_title", columns=("title_seg", "meta_seg"))
FTS5_TABLES = (MAIN_FTS, SAMPLE_FTS, TITLE_FTS)
SQLITE_SAMPLE_VIEW = (f"CREATE VIEW IF NOT EXISTS core_search_sample AS SELECT document_id, title_seg, meta_seg, "
                      f"body_seg FROM {TABLE} WHERE {SAMPLE_WHERE}")

SQLITE_DDL = MAIN_FTS.ddl()
# SQLite: `document_id` (bigint) is not the rowid, so the table's own indexes do not hold it. The
# FTS5 matches are joined to their facet columns through a covering index (the rows themselves
# carry kilobytes of segmented text each), and a year's id range is read off (year, id).
SQLITE_INDEXES = [
    f"CREATE INDEX IF NOT EXISTS core_search_facets ON {TABLE} "
    "(document_id, org_id, topic, genre, validity, year, published_date)",
    f"CREATE INDEX IF NOT EXISTS core_searchentry_year_id ON {TABLE} (year, document_id)",
]
SQLITE_SAMPLE_DDL = SQLITE_INDEXES + [SQLITE_SAMPLE_VIEW] + SAMPLE_FTS.ddl() + TITLE_FTS.ddl()
SQLITE_UNDO = ["DROP TRIGGER IF EXISTS core_searchentry_au", "DROP TRIGGER IF EXISTS core_searchentry_ad",
               "DROP TRIGGER IF EXISTS core_searchentry_ai", "DROP TABLE IF EXISTS core_search_fts"]
SQLITE_SAMPLE_UNDO = (["DROP INDEX IF EXISTS core_search_facets", "DROP INDEX IF EXISTS core_searchentry_year_id"]
                      + TITLE_FTS.undo() + SAMPLE_FTS.undo() + ["DROP VIEW IF EXISTS core_search_sample"])
POSTGRES_DDL = [f"CREATE INDEX IF NOT EXISTS core_searchentry_vector ON {TABLE} USING gin (vector)"]
POSTGRES_UNDO = ["DROP INDEX IF EXISTS core_searchentry_vector"]
# The sample as a partial index of the same vectors, and the title + meta vector indexed on its
# own (the newest title hits of a broad query are found through it).
POSTGRES_SAMPLE_DDL = [
    f"CREATE INDEX IF NOT EXISTS core_searchentry_sample ON {TABLE} USING gin (vector) WHERE {SAMPLE_WHERE}",
    f"CREATE INDEX IF NOT EXISTS core_searchentry_title ON {TABLE} USING gin (title_vector)",
    # the id range of a year (broad.py)
    f"CREATE INDEX IF NOT EXISTS core_searchentry_year_id ON {TABLE} (year, document_id)",
    # The planner needs the frequencies of common words to choose a bitmap AND over a sort of
    # every match; the default statistics keep too few (an estimate of 35 rows for 23,788).
    f"ALTER TABLE {TABLE} ALTER COLUMN vector SET STATISTICS 1000, ALTER COLUMN title_vector SET STATISTICS 1000",
]
POSTGRES_SAMPLE_UNDO = [f"ALTER TABLE {TABLE} ALTER COLUMN vector SET STATISTICS -1, "
                        "ALTER COLUMN title_vector SET STATISTICS -1",
                        "DROP INDEX IF EXISTS core_searchentry_year_id", "DROP INDEX IF EXISTS core_searchentry_title",
                        "DROP INDEX IF EXISTS core_searchentry_sample"]


# A broad query with a filter walks the newest rows of the filter's value and tests each against
# the words (broad.py) rather than building GIN bitmaps of words in most documents; these are the
# (filter, id) orders it walks (the year's is above).
POSTGRES_FILTER_DDL = [f"CREATE INDEX IF NOT EXISTS core_searchentry_{c}_id ON {TABLE} ({c}, document_id)"
                       for c in ("org_id", "topic", "genre", "validity")]
POSTGRES_FILTER_UNDO = [f"DROP INDEX IF EXISTS core_searchentry_{c}_id" for c in ("org_id", "topic", "genre", "validity")]


# PostgreSQL's sample is a table of its own, a copy of the sampled rows kept by a trigger. As a
# partial index of the main table its ~15,600 rows lay on ~15,600 different heap pages (1 row in
# 64), and a word in most documents read all of them: 70 ms at a million with PostgreSQL's stock
# 128 MB of shared buffers, where the copy packs them onto a few hundred pages (the vectors
# themselves stay out of line in both). The trigger keeps it in the transaction of every write.
PG_SAMPLE_TABLE = "core_search_sample"
_PG_SAMPLE_COLUMNS = (*COLUMNS, "vector", "title_vector")
POSTGRES_SAMPLE_TABLE_DDL = [
    f"CREATE TABLE IF NOT EXISTS {PG_SAMPLE_TABLE} (document_id bigint PRIMARY KEY, org_id bigint NOT NULL, "
    "topic varchar(2) NOT NULL, genre varchar(16) NOT NULL, validity varchar(10) NOT NULL, year smallint NOT NULL, "
    "published_date date NOT NULL, vector tsvector, title_vector tsvector)",
    f"""CREATE OR REPLACE FUNCTION {PG_SAMPLE_TABLE}_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    TRUNCATE {PG_SAMPLE_TABLE};
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    DELETE FROM {PG_SAMPLE_TABLE} WHERE document_id = OLD.document_id;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.{SAMPLE_WHERE} THEN
    INSERT INTO {PG_SAMPLE_TABLE} ({', '.join(_PG_SAMPLE_COLUMNS)})
    VALUES ({', '.join('NEW.' + c for c in _PG_SAMPLE_COLUMNS)});
  END IF;
  RETURN NULL;
END $$""",
    f"DROP TRIGGER IF EXISTS {PG_SAMPLE_TABLE}_rows ON {TABLE}",
    f"CREATE TRIGGER {PG_SAMPLE_TABLE}_rows AFTER INSERT OR UPDATE OR DELETE ON {TABLE} "
    f"FOR EACH ROW EXECUTE FUNCTION {PG_SAMPLE_TABLE}_sync()",
    f"DROP TRIGGER IF EXISTS {PG_SAMPLE_TABLE}_truncate ON {TABLE}",
    f"CREATE TRIGGER {PG_SAMPLE_TABLE}_truncate AFTER TRUNCATE ON {TABLE} "
    f"FOR EACH STATEMENT EXECUTE FUNCTION {PG_SAMPLE_TABLE}_sync()",
    f"TRUNCATE {PG_SAMPLE_TABLE}",
    f"INSERT INTO {PG_SAMPLE_TABLE} ({', '.join(_PG_SAMPLE_COLUMNS)}) "
    f"SELECT {', '.join(_PG_SAMPLE_COLUMNS)} FROM {TABLE} WHERE {SAMPLE_WHERE} ORDER BY document_id",
    f"CREATE INDEX IF NOT EXISTS {PG_SAMPLE_TABLE}_vector ON {PG_SAMPLE_TABLE} USING gin (vector)",
    f"ANALYZE {PG_SAMPLE_TABLE}",
    "DROP INDEX IF EXISTS core_searchentry_sample",  # the partial index it replaces
]
POSTGRES_SAMPLE_TABLE_UNDO = [
    f"CREATE INDEX IF NOT EXISTS core_searchentry_sample ON {TABLE} USING gin (vector) WHERE {SAMPLE_WHERE}",
    f"DROP TRIGGER IF EXISTS {PG_SAMPLE_TABLE}_truncate ON {TABLE}",
    f"DROP TRIGGER IF EXISTS {PG_SAMPLE_TABLE}_rows ON {TABLE}",
    f"DROP FUNCTION IF EXISTS {PG_SAMPLE_TABLE}_sync()",
    f"DROP TABLE IF EXISTS {PG_SAMPLE_TABLE}",
]


# The text indexes, each (name, CREATE statement). A `--clear` rebuild drops them and builds them
# once at the end (reindex.py): fed row by row, GIN inserts cost ~0.35 ms a document, a build
# from the finished table about half that.
PG_TEXT_INDEXES = (
    ("core_searchentry_vector", POSTGRES_DDL[0]),
    ("core_searchentry_title", POSTGRES_SAMPLE_DDL[1]),
    (f"{PG_SAMPLE_TABLE}_vector", next(s for s in POSTGRES_SAMPLE_TABLE_DDL if f"{PG_SAMPLE_TABLE}_vector" in s)),
)


def create_sample_table(schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for sql in POSTGRES_SAMPLE_TABLE_DDL:
            schema_editor.execute(sql, params=None)  # no parameters: "%" is the operator


def drop_sample_table(schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for sql in POSTGRES_SAMPLE_TABLE_UNDO:
            schema_editor.execute(sql, params=None)


def create_filter_indexes(schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for sql in POSTGRES_FILTER_DDL:
            schema_editor.execute(sql)


def drop_filter_indexes(schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for sql in POSTGRES_FILTER_UNDO:
            schema_editor.execute(sql)


def create_index_structures(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    for sql in SQLITE_DDL if vendor == "sqlite" else POSTGRES_DDL if vendor == "postgresql" else []:
        schema_editor.execute(sql)


def drop_index_structures(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    for sql in SQLITE_UNDO if vendor == "sqlite" else POSTGRES_UNDO if vendor == "postgresql" else []:
        schema_editor.execute(sql)


def create_sample_structures(schema_editor) -> None:
    """Migration 0008: the sample index (and on PostgreSQL the title index), filled at once."""
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for sql in SQLITE_SAMPLE_DDL:
            schema_editor.execute(sql)
        for fts in (SAMPLE_FTS, TITLE_FTS):
            schema_editor.execute(f"INSERT INTO {fts.name} ({fts.name}) VALUES ('rebuild')")
    elif vendor == "postgresql":
        for sql in POSTGRES_SAMPLE_DDL:
            schema_editor.execute(sql, params=None)  # no parameters: its "%" is the operator


def drop_sample_structures(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    for sql in (SQLITE_SAMPLE_UNDO if vendor == "sqlite" else POSTGRES_SAMPLE_UNDO if vendor == "postgresql"
                else []):
        schema_editor.execute(sql)
