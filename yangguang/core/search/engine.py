"""`search()`: full-text search over public documents with filters, facets, sort and paging.

Facets are counted on the matched set: the query and every active filter except the facet's
own, so an active filter's facet still lists the alternatives (with `aria-current` on the
chosen one in the page) and each count says how many results choosing that value gives.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.db import connection, transaction

from .backends import SAMPLE_EVERY, backend
from .highlight import highlight, snippet
from .indexer import current_generation
from .query import ParsedQuery, parse_query

FACETS = ("org", "topic", "genre", "year", "validity")
SORTS = ("relevance", "date")
MAX_PER_PAGE = 100
MAX_PAGE = 500  # deeper pages are refused by clamping: nobody reads result 10,001 by paging


@dataclass
class Hit:
    document: object
    score: float
    title_html: str
    snippet_html: str


@dataclass
class SearchResult:
    query: str
    total: int = 0
    page: int = 1
    pages: int = 0
    per_page: int = 20
    sort: str = "relevance"
    hits: list[Hit] = field(default_factory=list)
    facets: dict[str, list[tuple[str, str, int]]] = field(default_factory=lambda: {f: [] for f in FACETS})
    filters: dict[str, str] = field(default_factory=dict)  # the valid active filters, as given
    # What is estimated from the sample index rather than counted: facet names and "total".
    estimated: frozenset[str] = frozenset()

    @property
    def total_estimated(self) -> bool:
        return "total" in self.estimated


def _taxonomy():
    from yangguang.core.registry import search_source

    return search_source().taxonomy


def _clean_filters(org, topic, genre, year, validity) -> tuple[dict[str, object], dict[str, str]]:
    """Active filters as SQL values ({facet: value}) and as given ({facet: str}); unknown values
    (a stale link, a typo) are ignored rather than answered with an error."""
    tax = _taxonomy()
    sql: dict[str, object] = {}
    given: dict[str, str] = {}
    if org:
        Organization = apps.get_model("orgs", "Organization")
        org_id = Organization.objects.filter(slug=str(org)).values_list("pk", flat=True).first()
        if org_id is not None:
            sql["org"], given["org"] = org_id, str(org)
    for name, value, choices in (("topic", topic, tax.Topic), ("genre", genre, tax.Genre),
                                 ("validity", validity, tax.Validity)):
        if value and str(value) in choices.values:
            sql[name], given[name] = str(value), str(value)
    try:
        y = int(year) if year not in (None, "") else None
    except (TypeError, ValueError):
        y = None
    if y is not None and 1900 <= y <= 2100:
        sql["year"], given["year"] = y, str(y)
    return sql, given


COLUMN = {"org": "org_id", "topic": "topic", "genre": "genre", "year": "year", "validity": "validity"}
# Relevance is computed for this many candidates only (see _statement). Reading a document's whole
# text vector to rank it is the costly step of a search (PostgreSQL: ~35 µs per row warm, far
# more cold); a broad query matches tens of thousands of documents, and nobody pages that deep.
RANK_CANDIDATES = 100
CACHE_SECONDS = 600  # an unchanged index keeps answering from the cache this long (0: no cache)
# A result set the sample index puts above this many documents is not counted but estimated from
# the sample (shown as "约 N 条"), the way large search sites do: counting ~1,000,000 matches
# five ways takes about a second on the reference machine, estimating them a few milliseconds.
# At this size the estimate's standard error is about 8 % (1 / √(10,000 / 64)).
ESTIMATE_ABOVE = 10_000
ROW = ("document_id", "org_id", "topic", "genre", "year", "validity", "published_date")


@dataclass(frozen=True)
class Answer:
    counts: dict[str, dict]  # {facet: {key: count}}, keys as in COLUMN (org and year as int)
    total: int  # results with every filter
    hits: list[tuple[int, float]]  # (document id, score) of the requested page
    estimated: frozenset[str] = frozenset()  # facet names, and "total", whose counts are estimates


# Counting a set exactly means reading every row of the set the indexes narrow it to: the match,
# or the match within the filtered org or year (both indexed). Past this size that costs more
# than the page is allowed, and the sample's estimate is shown instead.
COUNT_SCAN_LIMIT = 2 * ESTIMATE_ABOVE


def _query(q: ParsedQuery, filters: dict[str, object], sort: str, limit: int, offset: int) -> Answer:
    """Counts and one page of hits. First the sample index says how large the result sets are
    (one cheap statement); sets it puts under ESTIMATE_ABOVE are then counted exactly and the
    page is taken from the exact matched set; larger ones keep the sample's estimate and the
    page comes from walking the newest matches (broad.py)."""
    from . import broad

    be = backend()
    per_facet = {f: ("m", _without(filters, f)) for f in FACETS}
    totals = {"all": ("m", {}, False)}
    totals.update({f"scan_{f}": ("m", {f: filters[f]}, False) for f in ("org", "year") if f in filters})
    if be.vendor == "postgresql":  # the share of title hits sizes broad.py's windows
        totals["title"] = ("m", {}, True)
    sample = _run(be, q, {"m": {}}, per_facet, None, sort, 0, 0, sample=True, totals=totals,
                  flagged={"m"} if "title" in totals else set())
    est = {name: SAMPLE_EVERY * n for name, n in sample["totals"].items()}
    if est["all"] < ESTIMATE_ABOVE:
        # The whole match is small: one matched set, filtered inside for each facet and the page.
        found = _run(be, q, {"m": {}}, per_facet, ("m", filters), sort, limit, offset)
        return Answer(found["counts"], _total(found["counts"], filters), found["hits"])

    def countable(base: dict, size: int) -> bool:
        scan = est["scan_org"] if "org" in base else est["scan_year"] if "year" in base else est["all"]
        return size < ESTIMATE_ABOVE and scan < COUNT_SCAN_LIMIT

    # A broad match: each facet's set (the match with the other facets' filters) and the page's set
    # (the match with every filter) is counted when that is cheap, else estimated.
    ctes: dict[tuple, str] = {}
    plan: dict[str, tuple[str, dict]] = {}
    counts: dict[str, dict] = {}
    estimated: set[str] = set()
    for f in FACETS:
        base = _without(filters, f)
        if countable(base, SAMPLE_EVERY * sum(sample["counts"][f].values())):
            plan[f] = (ctes.setdefault(tuple(sorted(base.items())), f"m{len(ctes)}"), {})
        else:
            estimated.add(f)
            counts[f] = {k: approximate(n * SAMPLE_EVERY) for k, n in sample["counts"][f].items()}
    matched = SAMPLE_EVERY * _total(sample["counts"], filters)
    page_set = None
    if countable(filters, matched):
        page_set = ctes.setdefault(tuple(sorted(filters.items())), f"m{len(ctes)}")
    found = {"counts": {}, "hits": [], "totals": {}}
    if ctes:
        found = _run(be, q, {name: dict(key) for key, name in ctes.items()}, plan,
                     (page_set, {}) if page_set else None, sort, limit, offset,
                     totals={"page": (page_set, {}, False)} if page_set else {})
    counts.update({f: found["counts"][f] for f in plan})
    if page_set:
        return Answer(counts, found["totals"]["page"], found["hits"], frozenset(estimated))
    estimated.add("total")
    rows = max(est["all"], 1)
    hits = broad.page(be, q, filters, sort, limit, offset, matched,
                      title_share=est.get("title", rows) / rows, words=est["all"])
    # never fewer than the results seen: a small set estimated from a few sampled rows
    return Answer(counts, max(approximate(matched), offset + len(hits)), hits, frozenset(estimated))


def _without(filters: dict[str, object], name: str) -> dict[str, object]:
    return {k: v for k, v in filters.items() if k != name}


def _run(be, q: ParsedQuery, ctes: dict[str, dict], facets: dict[str, tuple[str, dict]],
         hits: tuple[str, dict] | None, sort: str, limit: int, offset: int, *, sample: bool = False,
         totals: dict[str, tuple[str, dict, bool]] | None = None, flagged: set[str] = frozenset()) -> dict:
    """One statement. Each CTE in `ctes` is a matched set (the query and its filters), computed
    once; each facet in `facets` is counted on one of them (with extra filters), the page `hits`
    is read from one, and each of `totals` {name: (CTE, filters, title hits only)} is a count.
    The CTEs in `flagged` (and the page's) compute the title-hit flag. `sample`: match the
    sample index.

    Relevance order, top-k: every match carries a cheap flag, "a query word is in the title or
    meta line" (PostgreSQL: the small in-row title vector; SQLite: the FTS5 index restricted to
    those columns). The first RANK_CANDIDATES matches by (year boost, title hit, newest) are the
    candidates; only they are ranked by the full BM25 / ts_rank score (title ×10, meta ×4, body
    ×1) and shown first in that order; the rest follow in the cheap order. With title weighted
    10:1 the title hits are what full ranking would put first anyway.

    Returns {"counts": {facet: {key: count}}, "hits": [(id, score)], "totals": {name: count}}."""
    match, match_params = be.sample_match(q) if sample else be.match(q)
    source = be.sample_source() if sample else be.source()
    cte_sql, cte_params = [], []
    for name, base in ctes.items():
        where, wparams = _conditions(base, "e.")
        flag, flag_params = be.title_hit(q) if (hits and hits[0] == name) or name in flagged else ("0", [])
        cte_sql.append(f"{name} AS MATERIALIZED (SELECT {', '.join('e.' + c for c in ROW)}, {flag} AS th "
                       f"FROM {source} WHERE {match}{''.join(' AND ' + w for w in where)})")
        cte_params += flag_params + match_params + wparams
    parts, params = [], []
    for name, (cte, extra) in facets.items():
        where, wparams = _filters_sql(extra)
        parts.append(f"SELECT '{name}' AS kind, CAST({COLUMN[name]} AS TEXT) AS k, COUNT(*) AS n, "
                     f"CAST(0 AS DOUBLE PRECISION) AS s FROM {cte} {where} GROUP BY {COLUMN[name]}")
        params += wparams
    for name, (cte, extra, title_only) in (totals or {}).items():
        where, wparams = _conditions(extra)
        where += ["th = 1"] if title_only else []
        parts.append(f"SELECT '{name}' AS kind, '' AS k, COUNT(*) AS n, CAST(0 AS DOUBLE PRECISION) AS s "
                     f"FROM {cte}{' WHERE ' + ' AND '.join(where) if where else ''}")
        params += wparams
    if hits:
        cte, extra = hits
        where, wparams = _filters_sql(extra)
        if sort == "date":
            parts.append(f"SELECT * FROM (SELECT 'hit' AS kind, CAST(document_id AS TEXT) AS k, 0 AS n, "
                         f"CAST(0 AS DOUBLE PRECISION) AS s FROM {cte} {where} "
                         "ORDER BY published_date DESC, document_id DESC LIMIT %s OFFSET %s) AS page")
            params += wparams + [limit, offset]
        else:
            boost = "0"
            if q.years:
                boost = "CASE WHEN year IN ({}) THEN 0 ELSE 1 END".format(", ".join(str(y) for y in q.years))
            cheap = "b, th DESC, published_date DESC, document_id DESC"
            # The cheap order's first max(RANK_CANDIDATES, offset + limit) rows: (id, boost, rank in
            # the cheap order); _rank_page ranks the candidates among them and cuts the page.
            parts.append(f"SELECT * FROM (SELECT 'hit' AS kind, CAST(document_id AS TEXT) AS k, b AS n, "
                         f"CAST(ROW_NUMBER() OVER (ORDER BY {cheap}) AS DOUBLE PRECISION) AS s FROM "
                         f"(SELECT document_id, {boost} AS b, th, published_date FROM {cte} {where} "
                         f"ORDER BY {cheap} LIMIT %s) AS top) AS page")
            params += wparams + [max(RANK_CANDIDATES, offset + limit)]
    sql = "WITH " + ", ".join(cte_sql) + " " + " UNION ALL ".join(parts)
    out: dict = {"counts": {name: {} for name in facets}, "hits": [], "totals": {name: 0 for name in totals or {}}}
    with transaction.atomic(), connection.cursor() as cursor:
        _tune(cursor)
        cursor.execute(sql, cte_params + params)
        for kind, key, n, s in cursor.fetchall():
            if kind == "hit":
                out["hits"].append((int(key), int(n), float(s or 0.0)))
            elif kind in out["totals"]:
                out["totals"][kind] = n
            else:
                out["counts"][kind][int(key) if kind in ("org", "year") else key] = n
        if hits and sort == "date":
            out["hits"] = [(pk, 0.0) for pk, _b, _s in out["hits"]]
        elif hits:
            out["hits"] = _rank_page(cursor, q, out["hits"], limit, offset)
    return out


def _rank_page(cursor, q: ParsedQuery, rows: list[tuple[int, int, float]], limit: int, offset: int):
    """rows: (id, year boost, position in the cheap order). The first RANK_CANDIDATES are ranked by
    the full score within their boost class; the rest keep the cheap order. The page's (id, score)."""
    from .rank import scores

    rows = sorted(rows, key=lambda r: r[2])
    head, rest = rows[:RANK_CANDIDATES], rows[RANK_CANDIDATES:]
    score = scores(cursor, q, [pk for pk, _b, _n in head])
    head.sort(key=lambda r: (r[1], -score.get(r[0], 0.0), r[2]))
    return [(pk, score.get(pk, 0.0)) for pk, _b, _n in head + rest][offset:offset + limit]


def _tune(cursor) -> None:
    if connection.vendor == "postgresql":
        # The GIN index answers @@ exactly, so a bitmap scan reads only the small in-row
        # columns. For a word in most documents the planner prefers a sequential scan that
        # parses every out-of-line vector instead: 4–7 s instead of 0.4 s at a million.
        # work_mem keeps the matched set and the facet hashes in memory.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL work_mem = '64MB'")
        cursor.execute("SET LOCAL jit = off")  # compiling costs ~20 ms, more than it saves here
        # Starting parallel workers costs ~20 ms; a walk that stops after a page never repays it.
        cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")


def approximate(n: int) -> int:
    """An estimate rounded to two significant digits (63,424 → 63,000): no false precision."""
    if n < 100:
        return n
    step = 10 ** (len(str(n)) - 2)
    return int(round(n / step) * step)
def _cached_query(q: ParsedQuery, filters: dict[str, object], sort: str, limit: int, offset: int) -> Answer:
    """_query's answer, kept in the cache under the index generation read BEFORE the query runs:
    any later index write (publication, withdrawal, removal, import, rebuild) changes the
    generation in its own transaction, so a cached count or page never outlives it.
    Uses the cache alias "search" when the deployment defines one, else "default"."""
    generation = current_generation() if CACHE_SECONDS > 0 else None
    if generation is None:
        return _query(q, filters, sort, limit, offset)
    raw = repr((generation, connection.vendor, q.terms, q.years, sorted(filters.items()), sort, limit, offset))
    key = "search:" + hashlib.sha256(raw.encode()).hexdigest()
    cache = caches["search" if "search" in settings.CACHES else "default"]
    found = cache.get(key)
    if found is None:
        found = _query(q, filters, sort, limit, offset)
        cache.set(key, found, CACHE_SECONDS)
    return found


def _conditions(filters: dict[str, object], prefix: str = "") -> tuple[list[str], list]:
    names = list(filters)
    return [f"{prefix}{COLUMN[n]} = %s" for n in names], [filters[n] for n in names]


def _filters_sql(filters: dict[str, object]) -> tuple[str, list]:
    where, params = _conditions(filters)
    return ("WHERE " + " AND ".join(where) if where else ""), params


# The facet values shown (page and API): the ones with the most results, and the chosen one. A
# broad query matches documents of all ~2,000 organizations; listing them all made the page
# carry 2,000 links and cost ~10 ms of label lookups. The 机构 directory lists every org.
FACET_LIMIT = 50


def _top(counts: dict, active) -> dict:
    if len(counts) <= FACET_LIMIT:
        return counts
    keep = sorted(counts, key=lambda k: (-counts[k], str(k)))[:FACET_LIMIT]
    if active is not None and active in counts and active not in keep:
        keep.append(active)
    return {k: counts[k] for k in keep}


def _labelled(counts: dict[str, dict], filters: dict[str, object]) -> dict[str, list[tuple[str, str, int]]]:
    tax = _taxonomy()
    out: dict[str, list[tuple[str, str, int]]] = {}
    counts = {name: _top(values, filters.get(name)) for name, values in counts.items()}
    Organization = apps.get_model("orgs", "Organization")
    orgs = {pk: (slug, name) for pk, slug, name in
            Organization.objects.filter(pk__in=list(counts["org"])).values_list("pk", "slug", "name")}
    out["org"] = sorted(((orgs[k][0], orgs[k][1], n) for k, n in counts["org"].items() if k in orgs),
                        key=lambda t: (-t[2], t[1]))
    for name, choices in (("topic", tax.Topic), ("genre", tax.Genre)):
        labels = dict(choices.choices)
        out[name] = sorted(((k, str(labels.get(k, k)), n) for k, n in counts[name].items()),
                           key=lambda t: (-t[2], t[0]))
    out["year"] = [(str(k), str(k), n) for k, n in sorted(counts["year"].items(), reverse=True)]
    order = list(tax.Validity.values)
    labels = dict(tax.Validity.choices)
    out["validity"] = [(k, str(labels.get(k, k)), counts["validity"][k])
                       for k in sorted(counts["validity"], key=lambda k: order.index(k) if k in order else 99)]
    return out


def _total(counts: dict[str, dict], filters: dict[str, object]) -> int:
    """Results with every filter: the active value's count in any facet (or a facet's sum)."""
    name = next((f for f in FACETS if f in filters), "validity")
    facet = counts[name]
    return facet.get(filters[name], 0) if name in filters else sum(facet.values())


def _hits(q: ParsedQuery, ids: list[tuple[int, float]]) -> list[Hit]:
    Document = apps.get_model("publishing", "Document")
    docs = Document.objects.public().select_related("live_edition", "org", "column").in_bulk([pk for pk, _ in ids])
    words = q.highlight_words
    hits = []
    for pk, score in ids:
        doc = docs.get(pk)
        if doc is None:  # cannot happen while the hooks run; a stale row is skipped, not shown
            continue
        ed = doc.live_edition
        hits.append(Hit(doc, score, highlight(ed.title, words), snippet(ed.body_text or "", words)))
    return hits


def search(query: str, *, org: str | None = None, topic: str | None = None, genre: str | None = None,
           year: int | None = None, validity: str | None = None, sort: str = "relevance",
           page: int = 1, per_page: int = 20) -> SearchResult:
    q = parse_query(query)
    sort = sort if sort in SORTS else "relevance"
    try:
        per_page = max(1, min(MAX_PER_PAGE, int(per_page)))
    except (TypeError, ValueError):
        per_page = 20
    try:
        page = max(1, min(MAX_PAGE, int(page)))
    except (TypeError, ValueError):
        page = 1
    filters, given = _clean_filters(org, topic, genre, year, validity)
    res = SearchResult(query=q.text, per_page=per_page, sort=sort, filters=given)
    if q.empty:
        return res
    answer = _cached_query(q, filters, sort, per_page, (page - 1) * per_page)
    res.facets = _labelled(answer.counts, filters)
    res.total = answer.total
    res.estimated = answer.estimated
    res.pages = min(MAX_PAGE, math.ceil(res.total / per_page))
    res.page = min(page, max(res.pages, 1))
    ids = answer.hits
    if res.page != page and res.total:  # asked past the end: show the last page
        ids = _cached_query(q, filters, sort, per_page, (res.page - 1) * per_page).hits
    res.hits = _hits(q, ids)
    return res
