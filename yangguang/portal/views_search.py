"""The public search page (/search/): query, filters as facets, sort, paging. Every state is a
plain GET URL (q, org, topic, genre, year, validity, sort, page), so a result page can be
bookmarked and shared."""

from urllib.parse import urlencode

from django.shortcuts import render
from django.utils.translation import gettext as _

from yangguang.core.search import FACETS, search

PARAMS = ("q", *FACETS, "sort")
FACET_TITLES = {"org": "发布机构", "topic": "主题分类", "genre": "体裁", "year": "发布年份", "validity": "有效性"}
FACET_SHOWN = 8  # values shown before "more"


def _url(state: dict[str, str], **change) -> str:
    """A search URL for `state` with `change` applied (None removes a parameter); page resets."""
    merged = {**state, **change}
    return "?" + urlencode({k: v for k, v in merged.items() if v not in (None, "")})


def search_page(request):
    get = request.GET
    res = search(
        get.get("q", ""), org=get.get("org") or None, topic=get.get("topic") or None,
        genre=get.get("genre") or None, year=get.get("year") or None, validity=get.get("validity") or None,
        sort=get.get("sort", "relevance"), page=get.get("page") or 1,
    )
    # The state as understood: normalized query, only valid filters, default sort omitted.
    state = {"q": res.query, **res.filters, "sort": None if res.sort == "relevance" else res.sort}
    facets = []
    for name in FACETS:
        active = res.filters.get(name)
        values = [{"value": v, "label": label, "count": n, "active": v == active,
                   "url": _url(state, **{name: None if v == active else v})} for v, label, n in res.facets[name]]
        if values:
            facets.append({"name": name, "title": _(FACET_TITLES[name]), "shown": values[:FACET_SHOWN],
                           "more": values[FACET_SHOWN:], "active": active, "estimated": name in res.estimated,
                           "clear_url": _url(state, **{name: None}) if active else None})
    active_filters = []
    for name in FACETS:
        if name in res.filters:
            label = next((lab for v, lab, _n in res.facets[name] if v == res.filters[name]), res.filters[name])
            active_filters.append({"title": _(FACET_TITLES[name]), "label": label, "clear_url": _url(state, **{name: None})})
    pages = None
    if res.pages > 1:
        first, last = max(1, res.page - 2), min(res.pages, res.page + 2)
        pages = {
            "numbers": [(n, _url(state, page=n if n > 1 else None)) for n in range(first, last + 1)],
            "prev": _url(state, page=res.page - 1 if res.page > 2 else None) if res.page > 1 else None,
            "next": _url(state, page=res.page + 1) if res.page < res.pages else None,
            "first": _url(state) if first > 1 else None,
            "last": _url(state, page=res.pages) if last < res.pages else None,
        }
    return render(request, "portal/search.html", {
        "res": res, "total_label": wan(res.total) if res.total_estimated else res.total, "first_rank": (res.page - 1) * res.per_page + 1, "submitted": "q" in get, "facets": facets, "active_filters": active_filters, "pages": pages,
        "sort_links": [("relevance", _("按相关度"), _url(state, sort=None)), ("date", _("按日期"), _url(state, sort="date"))],
        "clear_all_url": _url({"q": res.query}), "hidden_filters": {k: v for k, v in state.items() if k != "q" and v},
    })


def wan(n: int) -> str:
    """An estimated count in 万 (10,000), the way Chinese search sites state them: 990000 → 99万."""
    return f"{n / 10000:.3g}万" if n >= 10000 else str(n)
