"""Broad queries: counts estimated from the sample index (1 document in 64), exact counts below the
threshold, and the page of a broad query found by walking the newest matches (broad.py).

The index rows are written directly (2,560 of them, 40 in the sample) with the threshold lowered
to 640, so a match the sample puts at 10 documents or more counts as broad."""

from datetime import date, timedelta

import pytest
from django.db import connection

from yangguang.core.search import broad, engine
from yangguang.core.search.backends import SAMPLE_EVERY
from yangguang.core.search.engine import FACETS, approximate
from yangguang.core.search.indexer import write_rows
from yangguang.core.search.query import parse_query

pytestmark = pytest.mark.django_db

N = 2560
TITLE_IDS = {10, 500, 1000, 1500, 2500}
SMALL_ORG = range(2001, 2031)  # org 3: 30 documents, none of them in the sample


def _row(pk: int) -> dict:
    published = date(2020, 1, 1) + timedelta(days=pk // 2)
    return {"id": pk, "org": 3 if pk in SMALL_ORG else (1 if pk % 3 else 2), "topic": "17" if pk % 2 else "11",
            "year": published.year, "date": published,
            "title": "政务 公开 报告" if pk in TITLE_IDS else "其他 通知",
            "body": "政务 公开 工作" + (" 救助" if pk <= 100 else "")}


ROWS = [_row(pk) for pk in range(1, N + 1)]


@pytest.fixture(params=["walk", "window"])
def index(request, monkeypatch):
    if request.param == "window":  # the newest matches through a window of the newest rows (broad.py)
        monkeypatch.setattr(broad, "DENSE", 1.1)
        monkeypatch.setattr(broad, "TITLE_DENSE", 1.1)
        monkeypatch.setattr(broad, "WINDOW_MARGIN", 1)
        monkeypatch.setattr(broad, "WINDOW_MIN", 10)
    monkeypatch.setattr(engine, "ESTIMATE_ABOVE", 640)
    monkeypatch.setattr(engine, "CACHE_SECONDS", 0)
    write_rows([(r["id"], r["org"], r["topic"], "notice", "valid", r["year"], r["date"], r["title"], "", r["body"])
                for r in ROWS])
    return {r["id"]: r for r in ROWS}


def query(text, filters=None, sort="relevance", limit=20, offset=0):
    return engine._query(parse_query(text), filters or {}, sort, limit, offset)


def test_the_counts_of_a_broad_query_are_estimated_from_the_sample(index):
    a = query("政务")
    assert a.estimated == frozenset(FACETS) | {"total"}
    sample = [r for r in ROWS if r["id"] % SAMPLE_EVERY == 0]
    assert len(sample) == 40
    assert a.total == approximate(40 * SAMPLE_EVERY) == 2600  # the exact count would be 2,560
    years = {}
    for r in sample:
        years[r["year"]] = years.get(r["year"], 0) + 1
    assert a.counts["year"] == {y: approximate(n * SAMPLE_EVERY) for y, n in years.items()}
    assert len(a.hits) == 20


def test_a_narrow_query_is_counted_exactly(index):
    a = query("救助")
    assert a.estimated == frozenset() and a.total == 100
    assert a.counts["topic"] == {"17": 50, "11": 50}


def test_a_broad_match_narrowed_by_a_filter_is_counted_exactly(index):
    a = query("政务", {"org": 3})
    # the org facet counts the unfiltered match (broad: estimated); the rest and the page are exact
    assert a.estimated == frozenset({"org"})
    assert a.total == 30 and a.counts["topic"] == {"17": 15, "11": 15}
    assert {pk for pk, _s in query("政务", {"org": 3}, limit=50).hits} == set(SMALL_ORG)


def test_broad_relevance_puts_the_title_hits_first_and_pages_without_repeats(index):
    pages = [query("政务", limit=100, offset=o).hits for o in (0, 100, 200)]
    ids = [pk for page in pages for pk, _s in page]
    assert set(ids[:5]) == TITLE_IDS
    assert pages[0][0][1] >= pages[0][5][1] > 0  # ranked by the full score
    assert len(ids) == len(set(ids)) == 300
    rest = ids[100:]
    assert rest == sorted(rest, reverse=True)  # after the ranked head: newest added first
    assert not set(rest) & set(ids[:100])


def test_broad_date_sort_is_newest_published_first(index):
    expected = [r["id"] for r in sorted(ROWS, key=lambda r: (r["date"], r["id"]), reverse=True)]
    assert [pk for pk, _s in query("政务", sort="date").hits] == expected[:20]
    assert [pk for pk, _s in query("政务", sort="date", offset=20).hits] == expected[20:40]
    in_2021 = [pk for pk in expected if index[pk]["year"] == 2021]
    a = query("政务", {"year": 2021}, sort="date")
    assert "total" in a.estimated and [pk for pk, _s in a.hits] == in_2021[:20]


def test_a_year_in_a_broad_query_brings_that_year_first(index):
    hits = query("政务 2021", limit=50).hits
    assert all(index[pk]["year"] == 2021 for pk, _s in hits)


def test_the_search_page_says_the_counts_are_estimates(index, client):
    html = client.get("/search/", {"q": "政务"}).content.decode()
    assert "共找到约 2600 条" in html and "条数为估算" in html
    html = client.get("/search/", {"q": "救助"}).content.decode()
    assert "共找到 100 条" in html and "条数为估算" not in html


def test_the_api_says_which_counts_are_estimates(index, client):
    resp = client.get("/api/v1/public/documents", {"q": "政务"})
    assert resp.status_code == 200, resp.content.decode()[:300]
    body = resp.json()
    assert body["total"] == 2600 and body["total_estimated"] is True
    assert body["estimated_facets"] == sorted(FACETS)
    body = client.get("/api/v1/public/documents", {"q": "救助"}).json()
    assert body["total"] == 100 and body["total_estimated"] is False and body["estimated_facets"] == []


def _spy(monkeypatch) -> list[tuple[str, str | None]]:
    """(statement, plan type switched off) of every walk statement."""
    calls = []
    execute = broad.Walk._execute

    def spy(self, sql, params, plan_off):
        calls.append((sql, plan_off))
        return execute(self, sql, params, plan_off)

    monkeypatch.setattr(broad.Walk, "_execute", spy)
    return calls


def _through_bitmap(calls) -> bool:
    """Was a statement answered from the GIN bitmap / a window rather than by a walk? PostgreSQL
    says so by its plan switch; SQLite (always walking its doclists) by the window condition."""
    if connection.vendor == "postgresql":
        return any(plan_off == "enable_indexscan" for _sql, plan_off in calls)
    return any(">= %s" in sql for sql, _p in calls)


def test_a_filter_that_keeps_few_rows_still_walks_when_the_words_are_everywhere(index, monkeypatch):
    """Walk or window is decided by the share of rows matching the words alone: every row has 政务,
    so the walk (down the org's own index on PostgreSQL) is taken even though the org keeps
    a third of the rows, under a DENSE of 0.6. The GIN bitmap of the window would cost the same
    with or without the filter."""
    monkeypatch.setattr(broad, "DENSE", 0.6)
    monkeypatch.setattr(broad, "TITLE_DENSE", 0.6)
    if connection.vendor == "postgresql":  # the row count the densities divide by
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE core_searchentry")
    calls = _spy(monkeypatch)
    a = query("政务", {"org": 2}, limit=30)
    assert "total" in a.estimated
    org = sorted((pk for pk, r in index.items() if r["org"] == 2), reverse=True)
    title = [pk for pk in org if pk in TITLE_IDS]
    assert title == [1500] and [pk for pk, _s in a.hits] == title + [pk for pk in org if pk not in title][:29]
    assert calls and not _through_bitmap([c for c in calls if "e.vector" in c[0] or "core_search_fts " in c[0]])
    calls.clear()
    monkeypatch.setattr(broad, "DENSE", 1.1)  # and below DENSE the same page comes through windows
    monkeypatch.setattr(broad, "TITLE_DENSE", 1.1)
    assert query("政务", {"org": 2}, limit=30).hits == a.hits
    assert _through_bitmap(calls)


def test_a_walk_that_finds_too_few_among_the_newest_falls_back_to_the_bitmap(index, monkeypatch):
    """The sample's share is an average over time: 救助 is only in the 100 oldest documents, so a
    walk from the newest rows, bounded to what the share says it needs, finds nothing there and
    the matches come from the bitmap instead (PostgreSQL), not from a walk over the whole table."""
    monkeypatch.setattr(engine, "ESTIMATE_ABOVE", 32)
    monkeypatch.setattr(engine, "RANK_CANDIDATES", 10)
    monkeypatch.setattr(broad, "DENSE", 0.01)
    monkeypatch.setattr(broad, "TITLE_DENSE", 0.01)
    monkeypatch.setattr(broad, "WINDOW_MARGIN", 1)
    monkeypatch.setattr(broad, "WINDOW_MIN", 10)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE core_searchentry")
    calls = _spy(monkeypatch)
    a = query("救助")
    assert "total" in a.estimated
    assert [pk for pk, _s in a.hits] == list(range(100, 80, -1))
    if connection.vendor == "postgresql":
        walks = [i for i, (sql, p) in enumerate(calls) if p == "enable_bitmapscan" and ">= %s" in sql]
        assert walks and any(p == "enable_indexscan" for _sql, p in calls[walks[0] + 1:])
