"""The page of a broad query: one whose matched set (with every filter) the sample index puts at
engine.ESTIMATE_ABOVE documents or more, so its counts are estimates (engine.py). Sorting all of
its matches is what cost about a second at a million documents; here only the newest are read.

- Sorted by date: the matches newest published first, walking the (published_date, document_id)
  index and testing each row against the query until the page is full.
- Relevance: the candidates are the newest RANK_CANDIDATES matches with a query word in the title
  or meta line and, when there are fewer such title hits, the newest RANK_CANDIDATES matches of
  any kind (newest added: highest id); the same within the query's years first when it names any. They are ranked by the full score,
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
# of rows matching the words the newest matches are found by intersecting the GIN bitmap with a
# range of the newest rows instead, sized to hold the page several times over (see _run). The
# share is the words' alone: a walk goes down the filters' own (filter, id) indexes
# (backends.POSTGRES_FILTER_DDL), so a filter that keeps few rows does not make it read more
# vectors, while the GIN bitmap costs the same with or without the filter (30–60 ms for each
# word in most documents at a million). Measured at a million: at 14 % (通知 公告) the walk for
# 100 candidates took 8 ms where the bitmap took 50; over the 50 bench queries 0.1 gave p95 63 ms,
# 0.2 gave 95 and 0.05 gave 74.
DENSE = 0.1
# A title walk tests the small in-row title vector instead (~1 µs), so it pays down to a smaller
# share: words in 1.7 % of all titles took 133 ms through their GIN bitmap at a million (the
# planner, misjudging how many titles have all the words, fetched every such row to sort them).
TITLE_DENSE = 0.01
WINDOW_MARGIN = 3
WINDOW_MIN = 1000


def page(be, q: ParsedQuery, filters: dict[str, object], sort: str, limit: int, offset: int,
         matched: int, title_share: float = 1.0, words: int | None = None) -> list[tuple[int, float]]:
    """The page's (id, score). `matched`: the sample's estimate of the matches with every filter,
    `words` without filters (default: `matched`); `title_share`: the share of the query's matches
    that are title hits (sample, unfiltered)."""
    from . import engine

    with transaction.atomic(), connection.cursor() as cursor:
        engine._tune(cursor)
        density = _density(cursor, matched)
        share = _density(cursor, matched if words is None else words)
        walk = Walk(cursor, be, q, filters, (density, share), (density * title_share, share * title_share))
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
    rows = _reltuples(cursor)
    return min(1.0, matched / rows) if rows > 0 else 1.0


def _reltuples(cursor) -> float:
    """Index rows: PostgreSQL's statistics (no count); SQLite counts (it never needs windows, see
    _density, except when a test forces them)."""
    if connection.vendor == "postgresql":
        cursor.execute(f"SELECT reltuples FROM pg_class WHERE oid = '{TABLE}'::regclass")
    else:
        cursor.execute(f"SELECT count(*) FROM {TABLE}")
    return float((cursor.fetchone() or [0])[0] or 0)


def _head(walk: Walk, q: ParsedQuery, n: int) -> list[tuple[int, float]]:
    from .rank import scores as rank

    years: dict[int, int] = {}  # candidate id → its year
    for tier in ([tuple(q.years)] if q.years else []) + [()]:
        if len(years) >= n:  # the query's years come first: n of them fill the head
            break
        for title_only in (True, False):
            found = walk.newest(n, 0, title_only=title_only, years=tier)
            for pk, year in found:
                years.setdefault(pk, year)
            if title_only and len(found) == n:
                # n title hits: a match without one scores a tenth per occurrence (title ×10) and
                # does not make the head; reading the newest of those costs a walk over vectors
                break
    scores = rank(walk.cursor, q, list(years))
    boosted = set(q.years)
    ranked = sorted(years, key=lambda pk: (0 if years[pk] in boosted else 1, -scores.get(pk, 0.0), -pk))[:n]
    return [(pk, scores.get(pk, 0.0)) for pk in ranked]


class Walk:
    """Reading the newest matches of one query and filter set."""

    def __init__(self, cursor, be, q: ParsedQuery, filters: dict[str, object], density: tuple[float, float],
                 title_density: tuple[float, float]):
        """Densities as (share of index rows matching the words and every filter, matching the
        words alone): the first sizes a window, the second chooses between window and walk."""
        from .engine import _conditions

        self.cursor, self.be, self.q = cursor, be, q
        self.density, self.title_density = density, title_density
        self.where, self.params = _conditions(filters, "e.")
        self.year = int(filters["year"]) if "year" in filters else None
        self._ranges: dict[tuple, tuple[int, int] | None] = {}

    def newest(self, limit: int, offset: int, *, title_only: bool = False, years: tuple = (),
               exclude: list[int] = ()) -> list[tuple[int, int]]:
        """(id, year) of matches, newest added (highest id) first. Only ids between the lowest and
        the highest of the years asked for (a year filter, the query's years) are read, so a
        walk for an old year does not pass every newer document first."""
        if self.year and years and self.year not in years:
            return []
        years = (self.year,) if self.year else tuple(years)
        span = self._id_range(years)
        if span is None:
            return []
        source, match, mparams, order = self.be.newest_source(self.q, title_only)
        where, params = [*self.where, "{match}"], list(self.params)
        if years:
            where[:0] = [f"e.year IN ({', '.join(str(int(y)) for y in years)})", f"{order} BETWEEN %s AND %s"]
            params[:0] = list(span)
        if exclude:
            where.append(f"e.document_id NOT IN ({', '.join(str(int(pk)) for pk in exclude)})")
        sql = (f"SELECT e.document_id, e.year FROM {source} WHERE {' AND '.join(where)}{{window}} "
               f"ORDER BY {order} DESC LIMIT %s OFFSET %s")
        density = self.title_density if title_only else self.density
        dense = TITLE_DENSE if title_only else DENSE
        lo, hi = span
        per_id = _reltuples(self.cursor) / max(1, self._id_range(())[1] - self._id_range(())[0] + 1) \
            if connection.vendor == "postgresql" or density[1] < dense else 1.0

        def bound(rows: int):  # the id `rows` index rows below the top of the span
            value = hi - int(rows / max(per_id, 1e-9))
            return value if value > lo else None

        return self._run(sql, params, (match, mparams), limit, offset, f"{order} >= %s", bound, density, dense)

    def by_date(self, limit: int, offset: int) -> list[int]:
        """Ids of matches, newest published first, walking the date index."""
        match = self.be.row_match(self.q)
        where, wparams = list(self.where), list(self.params)
        if self.year:  # lets the walk start at the end of that year
            where.append("e.published_date BETWEEN %s AND %s")
            wparams += [date(self.year, 1, 1), date(self.year, 12, 31)]
        source = f"{TABLE} e" + (" INDEXED BY core_search_newest" if connection.vendor == "sqlite" else "")
        sql = (f"SELECT e.document_id, 0 FROM {source} WHERE {' AND '.join(where + ['{match}'])}{{window}} "
               "ORDER BY e.published_date DESC, e.document_id DESC LIMIT %s OFFSET %s")

        def bound(rows: int):  # the date `rows` rows back from the newest (of that year)
            cond, p = ("WHERE published_date <= %s", [date(self.year, 12, 31)]) if self.year else ("", [])
            self.cursor.execute(f"SELECT published_date FROM {TABLE} {cond} ORDER BY published_date DESC, "
                                "document_id DESC LIMIT 1 OFFSET %s", p + [rows])
            row = self.cursor.fetchone()
            return row[0] if row else None

        found = self._run(sql, wparams, match, limit, offset, "e.published_date >= %s", bound, self.density)
        return [pk for pk, _ in found]

    def _id_range(self, years: tuple) -> tuple[int, int] | None:
        """(lowest, highest) id in the index, or among those years' rows (their index has the id)."""
        if years not in self._ranges:
            # one min() or max() per subquery and year: that is what SQLite reads off an index
            conds = [f" WHERE year = {int(y)}" for y in years] or [""]
            parts = [f"(SELECT {f}(document_id) FROM {TABLE}{c})" for c in conds for f in ("min", "max")]
            self.cursor.execute(f"SELECT {', '.join(parts)}")
            row = self.cursor.fetchone()
            los, his = [v for v in row[0::2] if v is not None], [v for v in row[1::2] if v is not None]
            self._ranges[years] = (int(min(los)), int(max(his))) if los else None
        return self._ranges[years]

    def _run(self, sql: str, params: list, match: tuple[str, list], limit: int, offset: int, window: str,
             bound, density: tuple[float, float], dense: float | None = None):
        """`sql` has a {match} and a {window} slot; `params` are those before the match's.
        Any window `column >= bound` holds a prefix of the order (newest first), so `limit` rows
        found inside it are the right ones; with fewer, the window is widened, at worst to all."""
        pg = connection.vendor == "postgresql"
        want = limit + offset
        text, mparams = match
        if density[1] < (DENSE if dense is None else dense):
            query = sql.replace("{match}", text)
            rows = WINDOW_MARGIN * int(want / max(density[0], 1e-6)) + WINDOW_MIN
            while (edge := bound(rows)) is not None:
                found = self._execute(query.format(window=f" AND {window}"), params + mparams + [edge, limit, offset],
                                      "enable_indexscan" if pg else None)
                if len(found) == limit:
                    return [(int(a), int(b)) for a, b in found]
                rows *= 4  # fewer matches among the newest than the sample said: widen
            found = self._execute(query.format(window=""), params + mparams + [limit, offset],
                                  "enable_indexscan" if pg else None)  # few matches: all from the bitmap
            return [(int(a), int(b)) for a, b in found]
        # Most rows match the words: walk the newest rows (of a filter's index) and test each
        # (PostgreSQL's planner, which does not count the cost of reading a vector, tends to sort
        # all the matches instead). PostgreSQL evaluates a filter given as `column = value` after
        # the match (it becomes an equivalence class), so every walked row's vector would be read;
        # the CASE tests the filters first.
        walk_text, walk_params = text, mparams
        if pg and self.where:
            walk_text, walk_params = (f"CASE WHEN {' AND '.join(self.where)} THEN {text} ELSE FALSE END",
                                      self.params + mparams)
        walk = sql.replace("{match}", walk_text)
        # The sample's share is an average over all years: where the matches are old, a walk from
        # the newest row would pass most of the table (4.5 s at a million). It is bounded to the
        # rows the share says it needs, with the margin; short of a page, the bitmap finds them.
        edge = bound(WINDOW_MARGIN * int(want / max(density[0], 1e-6)) + WINDOW_MIN) if pg else None
        found = self._execute(walk.format(window=f" AND {window}" if edge is not None else ""),
                              params + walk_params + ([edge] if edge is not None else []) + [limit, offset],
                              "enable_bitmapscan" if pg else None)
        if edge is not None and len(found) < limit:
            found = self._execute(sql.replace("{match}", text).format(window=""), params + mparams + [limit, offset],
                                  "enable_indexscan")
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
