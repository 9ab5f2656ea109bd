"""The page of a broad query: one whose matched set (with every filter) the sample index puts at
engine.ESTIMATE_ABOVE documents or more, so its counts are estimates (engine.py). Sorting all of
its matches is what cost about a second at a million documents; here only the newest are read.

- Sorted by date: the matches newest published first, walking the (published_date, document_id)
  index and testing each row against the query until the page is full.
- Relevance: the candidates are the newest RANK_CANDIDATES matches with a query word in the title
  or meta line and the newest RANK_CANDIDATES matches of any kind (newest added: highest id), and
  the same within the query's years first when it names any. They are ranked by the full score,
  as in the exact path, and the best RANK_CANDIDATES head the list; the other matches follow,
  newest added first. So a broad query shows its strongest recent documents first, and paging on
  never repeats or skips one.
"""

from __future__ import annotations

from datetime import date

from django.db import connection, transaction

from .backends import TABLE
from .query import ParsedQuery


def page(be, q: ParsedQuery, filters: dict[str, object], sort: str, limit: int, offset: int) -> list[tuple[int, float]]:
    from . import engine

    with transaction.atomic(), connection.cursor() as cursor:
        engine._tune(cursor)
        if sort == "date":
            return [(pk, 0.0) for pk in _by_date(cursor, be, q, filters, limit, offset)]
        head = _head(cursor, be, q, filters, engine.RANK_CANDIDATES)
        out = head[offset:offset + limit]
        if len(out) < limit:
            rest = _newest(cursor, be, q, filters, limit - len(out), max(0, offset - len(head)),
                           exclude=[pk for pk, _ in head])
            out += [(pk, 0.0) for pk, _year in rest]
        return out


def _head(cursor, be, q: ParsedQuery, filters: dict[str, object], n: int) -> list[tuple[int, float]]:
    years: dict[int, int] = {}  # candidate id → its year
    for tier in ([tuple(q.years)] if q.years else []) + [()]:
        for title_only in (True, False):
            for pk, year in _newest(cursor, be, q, filters, n, 0, title_only=title_only, years=tier):
                years.setdefault(pk, year)
    scores = _scores(cursor, be, q, list(years))
    boosted = set(q.years)
    ranked = sorted(years, key=lambda pk: (0 if years[pk] in boosted else 1, -scores.get(pk, 0.0), -pk))[:n]
    return [(pk, scores.get(pk, 0.0)) for pk in ranked]


def _newest(cursor, be, q: ParsedQuery, filters: dict[str, object], limit: int, offset: int, *,
            title_only: bool = False, years: tuple = (), exclude: list[int] = ()) -> list[tuple[int, int]]:
    """(id, year) of matches, newest added first."""
    from .engine import _conditions

    source, match, params, order = be.newest_source(q, title_only)
    where, wparams = _conditions(filters, "e.")
    if years:
        where.append(f"e.year IN ({', '.join(str(int(y)) for y in years)})")
    if exclude:
        where.append(f"e.document_id NOT IN ({', '.join(str(int(pk)) for pk in exclude)})")
    cursor.execute(f"SELECT e.document_id, e.year FROM {source} WHERE {' AND '.join(where + [match])} "
                   f"ORDER BY {order} DESC LIMIT %s OFFSET %s", wparams + params + [limit, offset])
    return [(int(pk), int(year)) for pk, year in cursor.fetchall()]


def _by_date(cursor, be, q: ParsedQuery, filters: dict[str, object], limit: int, offset: int) -> list[int]:
    from .engine import _conditions

    match, params = be.row_match(q)
    where, wparams = _conditions(filters, "e.")
    if "year" in filters:  # lets the walk start at the end of that year
        year = int(filters["year"])
        where.append("e.published_date BETWEEN %s AND %s")
        wparams += [date(year, 1, 1), date(year, 12, 31)]
    cursor.execute(f"SELECT e.document_id FROM {TABLE} e WHERE {' AND '.join(where + [match])} "
                   "ORDER BY e.published_date DESC, e.document_id DESC LIMIT %s OFFSET %s",
                   wparams + params + [limit, offset])
    return [int(pk) for (pk,) in cursor.fetchall()]


def _scores(cursor, be, q: ParsedQuery, ids: list[int]) -> dict[int, float]:
    if not ids:
        return {}
    score, params = be.candidate_score(q)
    values = ", ".join(f"({int(pk)})" for pk in ids)
    cursor.execute(f"WITH c(document_id) AS (VALUES {values}) SELECT c.document_id, {score} FROM c", params)
    return {int(pk): float(s or 0.0) for pk, s in cursor.fetchall()}
