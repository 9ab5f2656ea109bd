"""The state a cached public page depends on, each read by one plain SQL query.

Hot path of the document and column pages: composing these through the ORM cost more than
running them. Standard SQL only (SQLite and PostgreSQL alike); table and column names come
from the models. The result is a fingerprint: the page's version, which every publish, new
edition, withdrawal, removal or 解读 link that the page would show bumps (publishing.listing),
so it stands for the content without reading it (see pages.cached_render)."""

from __future__ import annotations

import time

from django.db import connection
from django.db.models.signals import post_delete, post_save

from yangguang.orgs.models import Organization
from yangguang.publishing.models import Column, Document


def _names() -> dict[str, str]:
    d, c, o = Document._meta, Column._meta, Organization._meta
    return {"doc": d.db_table, "col": c.db_table, "org": o.db_table,
            **{f"d_{f.name}": f.column for f in d.concrete_fields},
            "c_org": c.get_field("org").column, "c_listing_version": c.get_field("listing_version").column}


def _document_sql() -> str:
    """One table only: PostgreSQL plans every statement (client-side binding), and planning the
    three-table join by slugs took ~0.35 ms, more than running it."""
    n = _names()
    return (
        f"SELECT d.id, d.{n['d_page_version']} FROM {n['doc']} d "
        f"WHERE d.{n['d_org']} = %s AND d.{n['d_column']} = %s AND d.{n['d_index_year']} = %s "
        f"AND d.{n['d_index_serial']} = %s AND d.{n['d_live_edition']} IS NOT NULL AND d.{n['d_removed_at']} IS NULL"
    )


def _address_sql() -> str:
    n = _names()
    return (f"SELECT o.id, c.id FROM {n['col']} c JOIN {n['org']} o ON o.id = c.{n['c_org']} "
            "WHERE o.slug = %s AND c.slug = %s")


def _column_sql() -> str:
    n = _names()
    return f"SELECT c.id, c.{n['c_listing_version']} FROM {n['col']} c WHERE c.id = %s"


_SQL: dict[str, str] = {}


def _one(name: str, build, params: list[int]) -> tuple | None:
    """The first row of a statement whose parameters and columns are all integers."""
    sql = _SQL.get(name) or _SQL.setdefault(name, build())
    raw = connection.connection if connection.vendor == "postgresql" else None
    if raw is not None and not raw.closed:
        row = _pg_one(raw, name, sql, params)
        if row is not False:
            return row
        from psycopg import pq

        if raw.pgconn.status != pq.ConnStatus.OK:  # dropped: Django checks and reconnects below
            connection.health_check_done = False
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchone()


# Which statements each open PostgreSQL connection has prepared: {(connection, server pid): names}.
_PREPARED: dict[tuple[int, int], set[str]] = {}


def _pg_one(raw, name: str, sql: str, params: list[int]) -> tuple | None | bool:
    """PostgreSQL, connection already open: the statement straight through libpq as a prepared
    statement of this connection, or False when that failed. Through Django's cursor a cached
    page paid a second round trip first (its per-request health check, CONN_HEALTH_CHECKS),
    ~40 µs of psycopg's parameter handling and the server parsing and planning the statement
    every time (prepared: 83 → 38 µs of server CPU a query). Any failure (a connection dropped
    by a database restart, a failed transaction) returns False and the caller retries through
    Django, which checks, reconnects or raises."""
    from psycopg import pq

    key = (id(raw.pgconn), raw.info.backend_pid)
    prepared = _PREPARED.get(key)
    statement = f"yg_state_{name}".encode()
    try:
        if prepared is None or name not in prepared:
            # Prepared already by this connection before the process forgot (a failed PREPARE
            # would abort an open transaction, so ask first)?
            known = raw.pgconn.exec_params(b"SELECT 1 FROM pg_prepared_statements WHERE name = $1", [statement])
            if known.status != pq.ExecStatus.TUPLES_OK:
                return False
            if not known.ntuples:
                numbered = sql.replace("%s", "{}").format(*(f"${i}" for i in range(1, len(params) + 1)))
                if raw.pgconn.prepare(statement, numbered.encode()).status != pq.ExecStatus.COMMAND_OK:
                    return False
            if len(_PREPARED) > 64:  # connections come and go; a worker holds one
                _PREPARED.clear()
            prepared = _PREPARED.setdefault(key, set())
            prepared.add(name)
        res = raw.pgconn.exec_prepared(statement, [str(int(p)).encode() for p in params])
    except Exception:  # psycopg.OperationalError: libpq could not send or receive
        _PREPARED.pop(key, None)
        return False
    if res.status != pq.ExecStatus.TUPLES_OK:
        _PREPARED.pop(key, None)
        return False
    if res.ntuples == 0:
        return None
    return tuple(int(res.get_value(0, i)) for i in range(res.nfields))


# (org slug, column slug) → (org id, column id), kept in the process: addresses almost never
# change. Any save or delete of an org or column through the ORM empties it at once in this
# process; other web processes see a renamed slug after at most ADDRESS_SECONDS (an unknown
# address is never kept, so a new column answers at once everywhere).
ADDRESS_SECONDS = 60
ADDRESS_MAX = 20_000
_ADDRESSES: dict[tuple[str, str], tuple[float, tuple[int, int]]] = {}


def _address(org_slug: str, column_slug: str) -> tuple[int, int] | None:
    key, now = (org_slug, column_slug), time.monotonic()
    hit = _ADDRESSES.get(key)
    if hit is not None and hit[0] > now:
        return hit[1]
    row = _one("address", _address_sql, [org_slug, column_slug])
    if row is not None:
        if len(_ADDRESSES) >= ADDRESS_MAX:
            _ADDRESSES.clear()
        _ADDRESSES[key] = (now + ADDRESS_SECONDS, (row[0], row[1]))
    return row


def forget_addresses(**_kwargs) -> None:
    _ADDRESSES.clear()


for _model in (Organization, Column):
    post_save.connect(forget_addresses, sender=_model, dispatch_uid=f"portal.state.{_model.__name__}.save")
    post_delete.connect(forget_addresses, sender=_model, dispatch_uid=f"portal.state.{_model.__name__}.delete")


def document_state(org_slug: str, column_slug: str, year: int, serial: int) -> tuple | None:
    """(document id, page version) for a live, not removed document at this address, else None.
    The version is bumped by every change the page shows (publishing.listing)."""
    address = _address(org_slug, column_slug)
    if address is None:
        return None
    return _one("document", _document_sql, [*address, year, serial])


def column_state(org_slug: str, column_slug: str) -> tuple | None:
    """(column id, listing version), or None. The version is bumped by every change the list
    shows (publishing.listing), so it stands for the list's content without counting it."""
    address = _address(org_slug, column_slug)
    if address is None:
        return None
    return _one("column", _column_sql, [address[1]])
