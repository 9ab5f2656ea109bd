"""The state a cached public page depends on, each read by one plain SQL query.

Hot path of the document and column pages: composing these through the ORM cost more than
running them. Standard SQL only (SQLite and PostgreSQL alike); table and column names come
from the models. The result is a fingerprint: the page's version, which every publish, new
edition, withdrawal, removal or 解读 link that the page would show bumps (publishing.listing),
so it stands for the content without reading it (see pages.cached_render)."""

from __future__ import annotations

from django.db import connection

from yangguang.orgs.models import Organization
from yangguang.publishing.models import Column, Document


def _names() -> dict[str, str]:
    d, c, o = Document._meta, Column._meta, Organization._meta
    return {"doc": d.db_table, "col": c.db_table, "org": o.db_table,
            **{f"d_{f.name}": f.column for f in d.concrete_fields},
            "c_org": c.get_field("org").column, "c_listing_version": c.get_field("listing_version").column}


def _document_sql() -> str:
    n = _names()
    return (
        f"SELECT d.id, d.{n['d_page_version']} FROM {n['doc']} d JOIN {n['org']} o ON o.id = d.{n['d_org']} "
        f"JOIN {n['col']} c ON c.id = d.{n['d_column']} "
        f"WHERE o.slug = %s AND c.slug = %s AND d.{n['d_index_year']} = %s AND d.{n['d_index_serial']} = %s "
        f"AND d.{n['d_live_edition']} IS NOT NULL AND d.{n['d_removed_at']} IS NULL"
    )


def _column_sql() -> str:
    n = _names()
    return (
        f"SELECT c.id, c.{n['c_listing_version']} FROM {n['col']} c JOIN {n['org']} o ON o.id = c.{n['c_org']} "
        f"WHERE o.slug = %s AND c.slug = %s"
    )


_SQL: dict[str, str] = {}


def _one(name: str, build, params) -> tuple | None:
    sql = _SQL.get(name) or _SQL.setdefault(name, build())
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchone()


def document_state(org_slug: str, column_slug: str, year: int, serial: int) -> tuple | None:
    """(document id, page version) for a live, not removed document at this address, else None.
    The version is bumped by every change the page shows (publishing.listing)."""
    return _one("document", _document_sql, [org_slug, column_slug, year, serial])


def column_state(org_slug: str, column_slug: str) -> tuple | None:
    """(column id, listing version), or None. The version is bumped by every change the list
    shows (publishing.listing), so it stands for the list's content without counting it."""
    return _one("column", _column_sql, [org_slug, column_slug])
