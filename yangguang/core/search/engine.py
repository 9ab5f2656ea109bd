"""`search()`: hits, exact facet counts and total over the public documents.

The index's interface: index(doc) / remove(doc_id) are the outbox (changes.py); search is here;
rebuild(progress) and health() are in reindex.py; tantivy_index.py is the one engine today.
A facet is counted on the match with every active filter but its own, so it still lists the
alternatives. Documents withdrawn since the index's last commit are left out of hits and
counts, and each page's hits are read from the public documents (one query).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

from django.apps import apps
from django.conf import settings

from . import tantivy_index
from .changes import apply, withdrawn_since
from .highlight import highlight, snippet
from .query import ParsedQuery, parse_query
from .tantivy_index import FACETS

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
    # Facet names (and "total") whose counts are estimates: none, every count is exact. Kept
    # for the page's and the API's `total_estimated` / `estimated_facets`, which stay false / [].
    estimated: frozenset[str] = frozenset()

    @property
    def total_estimated(self) -> bool:
        return "total" in self.estimated


def _taxonomy():
    from yangguang.core.registry import search_source

    return search_source().taxonomy


def _day(value) -> date | None:
    if isinstance(value, date) or value in (None, ""):
        return value or None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _clean_filters(org, topic, genre, year, validity, date_from=None, date_to=None):
    """Active filters as index values ({name: value}) and as given ({name: str}); unknown values
    (a stale link, a typo, a date that is no date) are ignored rather than answered with an error.
    A publication-date span (inclusive; given backwards, it is turned round) is not a facet."""
    tax, sql, given = _taxonomy(), {}, {}
    lo, hi = _day(date_from), _day(date_to)
    if lo and hi and lo > hi:
        lo, hi = hi, lo
    if lo or hi:
        sql["published"] = (lo, hi)
        given.update({k: d.isoformat() for k, d in (("date_from", lo), ("date_to", hi)) if d})
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


FACET_LIMIT = 50  # values shown per facet (most results first, and the chosen one): not ~2,000 orgs


def _top(counts: dict, active) -> dict:
    if len(counts) <= FACET_LIMIT:
        return counts
    keep = sorted(counts, key=lambda k: (-counts[k], str(k)))[:FACET_LIMIT]
    if active is not None and active in counts and active not in keep:
        keep.append(active)
    return {k: counts[k] for k in keep}


def _labelled(counts: dict[str, dict], filters: dict[str, object]) -> dict[str, list[tuple[str, str, int]]]:
    tax, out = _taxonomy(), {}
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
    order, labels = list(tax.Validity.values), dict(tax.Validity.choices)
    out["validity"] = [(k, str(labels.get(k, k)), counts["validity"][k])
                       for k in sorted(counts["validity"], key=lambda k: order.index(k) if k in order else 99)]
    return out


def _hits(q: ParsedQuery, ids: list[tuple[int, float]]) -> list[Hit]:
    Document = apps.get_model("publishing", "Document")
    docs = Document.objects.public().select_related("live_edition", "org", "column").in_bulk([pk for pk, _ in ids])
    words = q.highlight_words
    hits = []
    for pk, score in ids:
        doc = docs.get(pk)
        if doc is None:  # not public (any more): never shown, whatever the index holds
            continue
        ed = doc.live_edition
        hits.append(Hit(doc, score, highlight(ed.title, words), snippet(ed.body_text or "", words)))
    return hits


def search(query: str, *, org: str | None = None, topic: str | None = None, genre: str | None = None,
           year: int | None = None, validity: str | None = None, date_from: date | str | None = None,
           date_to: date | str | None = None, sort: str = "relevance", page: int = 1,
           per_page: int = 20) -> SearchResult:
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
    filters, given = _clean_filters(org, topic, genre, year, validity, date_from, date_to)
    res = SearchResult(query=q.text, per_page=per_page, sort=sort, filters=given)
    if q.empty:
        return res
    if getattr(settings, "SEARCH_INDEX_SYNC", False):
        apply()  # tests and single-process setups: this process is the index writer too
    snap = tantivy_index.snapshot()
    if snap is None:  # no index yet (`search-reindex` builds it; the worker creates it)
        return res
    exclude = withdrawn_since(snap.commit)
    res.facets = _labelled(snap.facets(q, filters, exclude), filters)
    res.total, ids = snap.page(q, filters, exclude, sort, per_page, (page - 1) * per_page)
    res.pages = min(MAX_PAGE, math.ceil(res.total / per_page))
    res.page = min(page, max(res.pages, 1))
    if res.page != page and res.total:  # asked past the end: show the last page
        res.total, ids = snap.page(q, filters, exclude, sort, per_page, (res.page - 1) * per_page)
    res.hits = _hits(q, ids)
    return res
