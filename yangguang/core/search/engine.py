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
    from importlib import import_module

    return import_module("yangguang.publishing.taxonomy")


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


def _query(q: ParsedQuery, filters: dict[str, object], sort: str, limit: int, offset: int) -> Answer:
    """Counts and one page of hits. First the sample index says how large the result sets are
    (one cheap statement); sets it puts under ESTIMATE_ABOVE are then counted exactly and the
    page is taken from the exact matched set; larger ones keep the sample's estimate and the
    page comes from walking the newest matches (broad.py)."""
    from . import broad

    be = backend()
    per_facet = {f: ("m", _without(filters, f)) for f in FACETS}
    sample = _run(be, q, {"m": {}}, per_facet, None, sort, 0, 0, sample=True, count_all="m")
    if SAMPLE_EVERY * sample["all"] < ESTIMATE_ABOVE:
        # The whole match is small: one matched set, filtered inside for each facet and the page.
        found = _run(be, q, {"m": {}}, per_facet, ("m", filters), sort, limit, offset)
        return Answer(found["counts"], _total(found["counts"], filters), found["hits"])
    # A broad match: each facet's set (the match with the other facets' filters) and the page's set
    # (the match with every filter) is estimated when it is large, counted when it is not.
    ctes: dict[tuple, str] = {}
    plan: dict[str, tuple[str, dict]] = {}
    counts: dict[str, dict] = {}
    estimated: set[str] = set()
    for f in FACETS:
        if SAMPLE_EVERY * sum(sample["counts"][f].values()) >= ESTIMATE_ABOVE:
            estimated.add(f)
            counts[f] = {k: approximate(n * SAMPLE_EVERY) for k, n in sample["counts"][f].items()}
        else:
            plan[f] = (ctes.setdefault(tuple(sorted(_without(filters, f).items())), f"m{len(ctes)}"), {})
    page_set = None
    if SAMPLE_EVERY * _total(sample["counts"], filters) < ESTIMATE_ABOVE:
        page_set = ctes.setdefault(tuple(sorted(filters.items())), f"m{len(ctes)}")
    found = {"counts": {}, "hits": [], "all": 0}
    if ctes:
        found = _run(be, q, {name: dict(key) for key, name in ctes.items()}, plan,
                     (page_set, {}) if page_set else None, sort, limit, offset, count_all=page_set)
    counts.update({f: found["counts"][f] for f in plan})
    if page_set:
        return Answer(counts, found["all"], found["hits"], frozenset(estimated))
    estimated.add("total")
    matched = SAMPLE_EVERY * _total(sample["counts"], filters)
    hits = broad.page(be, q, filters, sort, limit, offset, matched)
    return Answer(counts, approximate(matched), hits, frozenset(estimated))


def _without(filters: dict[str, object], name: str) -> dict[str, object]:
    return {k: v for k, v in filters.items() if k != name}


def _run(be, q: ParsedQuery, ctes: dict[str, dict], facets: dict[str, tuple[str, dict]],
         hits: tuple[str, dict] | None, sort: str, limit: int, offset: int, *, sample: bool = False,
         count_all: str | None = None) -> dict:
    """One statement. Each CTE in `ctes` is a matched set (the query and its filters), computed
    once; each facet in `facets` is counted on one of them (with extra filters), the page `hits`
    is read from one, and `count_all` counts one whole. `sample`: match the sample index.

    Relevance order, top-k: every match carries a cheap flag, "a query word is in the title or
    meta line" (PostgreSQL: the small in-row title vector; SQLite: the FTS5 index restricted to
    those columns). The first RANK_CANDIDATES matches by (year boost, title hit, newest) are the
    candidates; only they are ranked by the full BM25 / ts_rank score (title ×10, meta ×4, body
    ×1) and shown first in that order; the rest follow in the cheap order. With title weighted
    10:1 the title hits are what full ranking would put first anyway.

    Returns {"counts": {facet: {key: count}}, "hits": [(id, score)], "all": count}."""
    match, match_params = be.sample_match(q) if sample else be.match(q)
    source = be.sample_source() if sample else be.source()
    cte_sql, cte_params = [], []
    for name, base in ctes.items():
        where, wparams = _conditions(base, "e.")
        flag, flag_params = be.title_hit(q) if hits and hits[0] == name else ("0", [])
        cte_sql.append(f"{name} AS MATERIALIZED (SELECT {', '.join('e.' + c for c in ROW)}, {flag} AS th "
                       f"FROM {source} WHERE {match}{''.join(' AND ' + w for w in where)})")
        cte_params += flag_params + match_params + wparams
    parts, params = [], []
    for name, (cte, extra) in facets.items():
        where, wparams = _filters_sql(extra)
        parts.append(f"SELECT '{name}' AS kind, CAST({COLUMN[name]} AS TEXT) AS k, COUNT(*) AS n, "
                     f"CAST(0 AS DOUBLE PRECISION) AS s FROM {cte} {where} GROUP BY {COLUMN[name]}")
        params += wparams
    if count_all:
        parts.append(f"SELECT 'all' AS kind, '' AS k, COUNT(*) AS n, CAST(0 AS DOUBLE PRECISION) AS s FROM {count_all}")
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
            score, score_params = be.candidate_score(q)
            cte_sql.append(f"c AS (SELECT document_id, b, ROW_NUMBER() OVER (ORDER BY {cheap}) AS rn FROM "
                           f"(SELECT document_id, {boost} AS b, th, published_date FROM {cte} {where} "
                           f"ORDER BY {cheap} LIMIT %s) AS top)")
            cte_sql.append(f"r AS (SELECT document_id, b, rn, CASE WHEN rn <= {RANK_CANDIDATES} THEN {score} END AS s "
                           "FROM c)")
            cte_params += wparams + [max(RANK_CANDIDATES, offset + limit)] + score_params
            parts.append("SELECT * FROM (SELECT 'hit' AS kind, CAST(document_id AS TEXT) AS k, 0 AS n, "
                         "CAST(COALESCE(s, 0) AS DOUBLE PRECISION) AS s FROM r "
                         f"ORDER BY CASE WHEN rn <= {RANK_CANDIDATES} THEN 0 ELSE 1 END, b, COALESCE(s, 0) DESC, rn "
                         "LIMIT %s OFFSET %s) AS page")
            params += [limit, offset]
    sql = "WITH " + ", ".join(cte_sql) + " " + " UNION ALL ".join(parts)
    out: dict = {"counts": {name: {} for name in facets}, "hits": [], "all": 0}
    with transaction.atomic(), connection.cursor() as cursor:
        _tune(cursor)
        cursor.execute(sql, cte_params + params)
        for kind, key, n, s in cursor.fetchall():
            if kind == "hit":
                out["hits"].append((int(key), float(s or 0.0)))
            elif kind == "all":
                out["all"] = n
            else:
                out["counts"][kind][int(key) if kind in ("org", "year") else key] = n
    return out


def _tune(cursor) -> None:
    if connection.vendor == "postgresql":
        # The GIN index answers @@ exactly, so a bitmap scan reads only the small in-row
        # columns. For a word in most documents the planner prefers a sequential scan that
        # parses every out-of-line vector instead: 4–7 s instead of 0.4 s at a million.
        # work_mem keeps the matched set and the facet hashes in memory.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL work_mem = '64MB'")
        cursor.execute("SET LOCAL jit = off")  # compiling costs ~20 ms, more than it saves here


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


def _labelled(counts: dict[str, dict], filters: dict[str, object]) -> dict[str, list[tuple[str, str, int]]]:
    tax = _taxonomy()
    out: dict[str, list[tuple[str, str, int]]] = {}
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
