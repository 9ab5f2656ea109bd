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

# PostgreSQL tests a walked row against the query by reading its whole vector, stored out of line
# (~35 µs warm): fine while most rows match, costly when only a few per cent do. Below this share
# of matching rows the newest matches are found by intersecting the GIN bitmap with a range of
# the newest rows instead, sized to hold the page several times over (see _window).
DENSE = 0.2
WINDOW_MARGIN = 3
WINDOW_MIN = 1000


def page(be, q: ParsedQuery, filters: dict[str, object], sort: str, limit: int, offset: int,
         matched: int) -> list[tuple[int, float]]:
    """The page's (id, score); `matched`: the sample's estimate of the matches with every filter."""
    from . import engine

    with transaction.atomic(), connection.cursor() as cursor:
        engine._tune(cursor)
        walk = Walk(cursor, be, q, filters, _density(cursor, matched))
        if sort == "date":
            return [(pk, 0.0) for pk in walk.by_date(limit, offset)]
        head = _head(walk, q, engine.RANK_CANDIDATES)
        out = head[offset:offset + limit]
        if len(out) < limit:
            rest = walk.newest(limit - len(out), max(0, offset - len(head)), exclude=[pk for pk, _ in head])
            out += [(pk, 0.0) for pk, _year in rest]
        return out


def _density(cursor, matched: int) -> float:
    """The share of index rows that match (1.0 where it does not matter: SQLite)."""
    if connection.vendor != "postgresql":
        return 1.0
    cursor.execute(f"SELECT reltuples FROM pg_class WHERE oid = '{TABLE}'::regclass")
    rows = (cursor.fetchone() or [0])[0] or 0
    return min(1.0, matched / rows) if rows > 0 else 1.0


def _head(walk: Walk, q: ParsedQuery, n: int) -> list[tuple[int, float]]:
    years: dict[int, int] = {}  # candidate id → its year
    for tier in ([tuple(q.years)] if q.years else []) + [()]:
        for title_only in (True, False):
            for pk, year in walk.newest(n, 0, title_only=title_only, years=tier):
                years.setdefault(pk, year)
    scores = _scores(walk.cursor, walk.be, q, list(years))
    boosted = set(q.years)
    ranked = sorted(years, key=lambda pk: (0 if years[pk] in boosted else 1, -scores.get(pk, 0.0), -pk))[:n]
    return [(pk, scores.get(pk, 0.0)) for pk in ranked]


class Walk:
    """Reading the newest matches of one query and filter set."""

    def __init__(self, cursor, be, q: ParsedQuery, filters: dict[str, object], density: float):
        from .engine import _conditions

        self.cursor, self.be, self.q, self.density = cursor, be, q, density
        self.where, self.params = _conditions(filters, "e.")
        if "year" in filters:  # lets a walk by date start at the end of that year
            year = int(filters["year"])
            self.where.append("e.published_date BETWEEN %s AND %s")
            self.params += [date(year, 1, 1), date(year, 12, 31)]

    def newest(self, limit: int, offset: int, *, title_only: bool = False, years: tuple = (),
               exclude: list[int] = ()) -> list[tuple[int, int]]:
        """(id, year) of matches, newest added first."""
        source, match, params, order = self.be.newest_source(self.q, title_only)
        where = list(self.where)
        if years:
            where.append(f"e.year IN ({', '.join(str(int(y)) for y in years)})")
        if exclude:
            where.append(f"e.document_id NOT IN ({', '.join(str(int(pk)) for pk in exclude)})")
        sql = (f"SELECT e.document_id, e.year FROM {source} WHERE {' AND '.join(where + [match])}{{window}} "
               f"ORDER BY {order} DESC LIMIT %s OFFSET %s")
        # title hits: the title vector is in the row, cheap to test; no window needed
        window = None if title_only else ("e.document_id", "document_id DESC")
        return self._run(sql, self.params + params, limit, offset, window)

    def by_date(self, limit: int, offset: int) -> list[int]:
        match, params = self.be.row_match(self.q)
        sql = (f"SELECT e.document_id, 0 FROM {TABLE} e WHERE {' AND '.join(self.where + [match])}{{window}} "
               "ORDER BY e.published_date DESC, e.document_id DESC LIMIT %s OFFSET %s")
        return [pk for pk, _ in self._run(sql, self.params + params, limit, offset,
                                          ("e.published_date", "published_date DESC, document_id DESC"))]

    def _run(self, sql: str, params: list, limit: int, offset: int, window) -> list[tuple[int, int]]:
        want = limit + offset
        if window and self.density < DENSE:
            rows = WINDOW_MARGIN * int(want / max(self.density, 1e-6)) + WINDOW_MIN
            while True:
                bound = self._bound(window, rows)
                if bound is None:
                    break  # the window would be the whole index
                self.cursor.execute(sql.format(window=f" AND {window[0]} >= %s"), params + [bound, limit, offset])
                found = self.cursor.fetchall()
                if len(found) == limit:
                    return [(int(a), int(b)) for a, b in found]
                rows *= 4  # fewer matches among the newest than the sample said: widen
        self.cursor.execute(sql.format(window=""), params + [limit, offset])
        return [(int(a), int(b)) for a, b in self.cursor.fetchall()]

    def _bound(self, window, rows: int):
        """The value of the window column `rows` rows from the newest (None: fewer rows)."""
        column, order = window
        self.cursor.execute(f"SELECT {column.split('.')[1]} FROM {TABLE} ORDER BY {order} LIMIT 1 OFFSET %s", [rows])
        row = self.cursor.fetchone()
        return row[0] if row else None


def _scores(cursor, be, q: ParsedQuery, ids: list[int]) -> dict[int, float]:
    if not ids:
        return {}
    score, params = be.candidate_score(q)
    values = ", ".join(f"({int(pk)})" for pk in ids)
    cursor.execute(f"WITH c(document_id) AS (VALUES {values}) SELECT c.document_id, {score} FROM c", params)
    return {int(pk): float(s or 0.0) for pk, s in cursor.fetchall()}
