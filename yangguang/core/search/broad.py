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
         matched: int, title_share: float = 1.0) -> list[tuple[int, float]]:
    """The page's (id, score). `matched`: the sample's estimate of the matches with every filter;
    `title_share`: the share of the query's matches that are title hits (sample, unfiltered)."""
    from . import engine

    with transaction.atomic(), connection.cursor() as cursor:
        engine._tune(cursor)
        density = _density(cursor, matched)
        walk = Walk(cursor, be, q, filters, density, density * title_share)
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
    from .rank import scores as rank

    scores = rank(walk.cursor, q, list(years))
    boosted = set(q.years)
    ranked = sorted(years, key=lambda pk: (0 if years[pk] in boosted else 1, -scores.get(pk, 0.0), -pk))[:n]
    return [(pk, scores.get(pk, 0.0)) for pk in ranked]


class Walk:
    """Reading the newest matches of one query and filter set."""

    def __init__(self, cursor, be, q: ParsedQuery, filters: dict[str, object], density: float,
                 title_density: float):
        from .engine import _conditions

        self.cursor, self.be, self.q = cursor, be, q
        self.density, self.title_density = density, title_density
        self.where, self.params = _conditions(filters, "e.")
        self.year = int(filters["year"]) if "year" in filters else None
        if self.year:  # lets a walk by date start at the end of that year
            self.where.append("e.published_date BETWEEN %s AND %s")
            self.params += [date(self.year, 1, 1), date(self.year, 12, 31)]

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
        latest = ([self.year] if self.year else []) + ([max(years)] if years else [])
        last_year = min(latest) if latest else None  # no match is newer than this year's end
        return self._run(sql, self.params + params, limit, offset, ("e.document_id", "document_id"),
                         self.title_density if title_only else self.density, last_year)

    def by_date(self, limit: int, offset: int) -> list[int]:
        match, params = self.be.row_match(self.q)
        sql = (f"SELECT e.document_id, 0 FROM {TABLE} e WHERE {' AND '.join(self.where + [match])}{{window}} "
               "ORDER BY e.published_date DESC, e.document_id DESC LIMIT %s OFFSET %s")
        return [pk for pk, _ in self._run(sql, self.params + params, limit, offset,
                                          ("e.published_date", "published_date"), self.density, self.year)]

    def _run(self, sql: str, params: list, limit: int, offset: int, window, density: float,
             last_year: int | None) -> list[tuple[int, int]]:
        """Any window `column >= bound` holds a prefix of the order (newest first), so `limit` rows
        found inside it are the right ones; with fewer, the window is widened, at worst to all."""
        pg = connection.vendor == "postgresql"
        want = limit + offset
        if density < DENSE:
            rows = WINDOW_MARGIN * int(want / max(density, 1e-6)) + WINDOW_MIN
            while True:
                bound = self._bound(window[1], rows, last_year)
                if bound is None:
                    break  # the window would be the whole index
                found = self._execute(sql.format(window=f" AND {window[0]} >= %s"), params + [bound, limit, offset],
                                      "enable_indexscan" if pg else None)
                if len(found) == limit:
                    return [(int(a), int(b)) for a, b in found]
                rows *= 4  # fewer matches among the newest than the sample said: widen
            plan_off = "enable_indexscan"  # few matches anywhere: read them all from the GIN bitmap
        else:
            # Most rows match: walk the newest rows and test each (PostgreSQL's planner, which does
            # not count the cost of reading a vector, tends to sort all the matches instead).
            plan_off = "enable_bitmapscan"
        found = self._execute(sql.format(window=""), params + [limit, offset], plan_off if pg else None)
        return [(int(a), int(b)) for a, b in found]

    def _execute(self, sql: str, params: list, plan_off: str | None) -> list:
        """Run with one PostgreSQL plan type switched off: plain index scans in a window (the GIN
        bitmap is then ANDed with the window's range instead of each row's vector being read),
        bitmap scans for a dense walk."""
        if plan_off:
            self.cursor.execute(f"SET LOCAL {plan_off} = off")
        try:
            self.cursor.execute(sql, params)
            return self.cursor.fetchall()
        finally:
            if plan_off:
                self.cursor.execute(f"SET LOCAL {plan_off} = on")

    def _bound(self, column: str, rows: int, last_year: int | None):
        """The `column` value of the row `rows` back from the newest (in a year: from the end of
        that year), along the newest-first index; None when there are not that many."""
        cond, params = "", []
        if last_year:
            cond, params = " WHERE published_date <= %s", [date(last_year, 12, 31)]
        self.cursor.execute(f"SELECT {column} FROM {TABLE}{cond} ORDER BY published_date DESC, document_id DESC "
                            "LIMIT 1 OFFSET %s", params + [rows])
        row = self.cursor.fetchone()
        return row[0] if row else None
