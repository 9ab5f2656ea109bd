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
        cols = ", ".join(COLUMNS)
        update = ", ".join(f"{c} = excluded.{c}" for c in COLUMNS[1:])
        if self.vendor == "postgresql":
            values = ", ".join(["%s"] * len(COLUMNS)) + (
                ", '', '', '', setweight(to_tsvector('simple', %s), 'A') || setweight(to_tsvector('simple', %s), 'B')"
                " || setweight(to_tsvector('simple', %s), 'D')")
            return (f"INSERT INTO {TABLE} ({cols}, title_seg, meta_seg, body_seg, vector) VALUES ({values}) "
                    f"ON CONFLICT (document_id) DO UPDATE SET {update}, vector = excluded.vector")
        values = ", ".join(["%s"] * (len(COLUMNS) + 3))
        return (f"INSERT INTO {TABLE} ({cols}, title_seg, meta_seg, body_seg) VALUES ({values}) "
                f"ON CONFLICT (document_id) DO UPDATE SET {update}, title_seg = excluded.title_seg, "
                "meta_seg = excluded.meta_seg, body_seg = excluded.body_seg")

    # --- querying ------------------------------------------------------------------------

    def source(self) -> str:
        if self.vendor == "postgresql":
            return f"{TABLE} e"
        return f"core_search_fts JOIN {TABLE} e ON e.document_id = core_search_fts.rowid"

    def match(self, q: ParsedQuery) -> tuple[str, list]:
        if self.vendor == "postgresql":
            return "e.vector @@ to_tsquery('simple', %s)", [tsquery(q)]
        return "core_search_fts MATCH %s", [fts5_match(q)]

    def score(self, q: ParsedQuery) -> tuple[str, list]:
        """Higher is better on both."""
        if self.vendor == "postgresql":
            t, m, b = WEIGHTS
            weights = f"'{{{b / t}, 0, {m / t}, 1.0}}'"
            # normalization 1: divide by 1 + log(length), so long bodies do not win by length alone
            return f"ts_rank({weights}, e.vector, to_tsquery('simple', %s), 1)", [tsquery(q)]
        return "-bm25(core_search_fts, {}, {}, {})".format(*WEIGHTS), []


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
