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
        return f"core_search_fts JOIN {TABLE} e ON e.document_id = core_search_fts.rowid"

    def match(self, q: ParsedQuery) -> tuple[str, list]:
        if self.vendor == "postgresql":
            return "e.vector @@ to_tsquery('simple', %s)", [tsquery(q)]
        return "core_search_fts MATCH %s", [fts5_match(q)]

    def title_hit(self, q: ParsedQuery) -> tuple[str, list]:
        """1 when the query matches the title + meta part alone, else 0; cheap for every match."""
        if self.vendor == "postgresql":
            return "CASE WHEN e.title_vector @@ to_tsquery('simple', %s) THEN 1 ELSE 0 END", [tsquery(q)]
        return ("CASE WHEN e.document_id IN (SELECT rowid FROM core_search_fts WHERE core_search_fts MATCH %s) "
                "THEN 1 ELSE 0 END"), ["{title_seg meta_seg} : (" + fts5_match(q) + ")"]

    def candidate_score(self, q: ParsedQuery) -> tuple[str, list]:
        """The full relevance of one candidate `c.document_id`; higher is better on both."""
        if self.vendor == "postgresql":
            t, m, b = WEIGHTS
            weights = f"'{{{b / t}, 0, {m / t}, 1.0}}'"
            # normalization 1: divide by 1 + log(length), so long bodies do not win by length alone
            return (f"(SELECT ts_rank({weights}, x.vector, to_tsquery('simple', %s), 1) FROM {TABLE} x "
                    "WHERE x.document_id = c.document_id)"), [tsquery(q)]
        return ("(SELECT -bm25(core_search_fts, {}, {}, {}) FROM core_search_fts WHERE core_search_fts MATCH %s "
                "AND core_search_fts.rowid = c.document_id)").format(*WEIGHTS), [fts5_match(q)]


def backend() -> Backend:
    return Backend(connection.vendor)


# --- DDL, run by the migration --------------------------------------------------------------

SQLITE_DDL = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS core_search_fts USING fts5(title_seg, meta_seg, body_seg, "
    f"content='{TABLE}', content_rowid='document_id', tokenize='unicode61 remove_diacritics 0')",
    f"""CREATE TRIGGER IF NOT EXISTS core_searchentry_ai AFTER INSERT ON {TABLE} BEGIN
        INSERT INTO core_search_fts (rowid, title_seg, meta_seg, body_seg)
        VALUES (new.document_id, new.title_seg, new.meta_seg, new.body_seg); END""",
    f"""CREATE TRIGGER IF NOT EXISTS core_searchentry_ad AFTER DELETE ON {TABLE} BEGIN
        INSERT INTO core_search_fts (core_search_fts, rowid, title_seg, meta_seg, body_seg)
        VALUES ('delete', old.document_id, old.title_seg, old.meta_seg, old.body_seg); END""",
    f"""CREATE TRIGGER IF NOT EXISTS core_searchentry_au AFTER UPDATE ON {TABLE} BEGIN
        INSERT INTO core_search_fts (core_search_fts, rowid, title_seg, meta_seg, body_seg)
        VALUES ('delete', old.document_id, old.title_seg, old.meta_seg, old.body_seg);
        INSERT INTO core_search_fts (rowid, title_seg, meta_seg, body_seg)
        VALUES (new.document_id, new.title_seg, new.meta_seg, new.body_seg); END""",
]
SQLITE_UNDO = ["DROP TRIGGER IF EXISTS core_searchentry_au", "DROP TRIGGER IF EXISTS core_searchentry_ad",
               "DROP TRIGGER IF EXISTS core_searchentry_ai", "DROP TABLE IF EXISTS core_search_fts"]
POSTGRES_DDL = [f"CREATE INDEX IF NOT EXISTS core_searchentry_vector ON {TABLE} USING gin (vector)"]
POSTGRES_UNDO = ["DROP INDEX IF EXISTS core_searchentry_vector"]


def create_index_structures(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    for sql in SQLITE_DDL if vendor == "sqlite" else POSTGRES_DDL if vendor == "postgresql" else []:
        schema_editor.execute(sql)


def drop_index_structures(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    for sql in SQLITE_UNDO if vendor == "sqlite" else POSTGRES_UNDO if vendor == "postgresql" else []:
        schema_editor.execute(sql)
