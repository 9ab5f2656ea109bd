"""`q` on /api/v1/public/documents goes through yangguang.core.search."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db
API = "/api/v1/public/documents"


def test_full_text_search_with_highlight_and_facets(world, org_a):
    r = Client().get(API, {"q": "义务教育 招生"})
    assert r.status_code == 200, r.content
    data = r.json()
    ids = [d["id"] for d in data["items"]]
    assert set(ids[:2]) == {str(world.policy.public_id), str(world.interpretation.public_id)}
    assert data["total"] == len(ids) and data["page"] == 1 and data["next_cursor"] is None
    top = data["items"][0]
    assert "<mark>" in top["match"]["title_html"] and top["match"]["score"] > 0
    assert set(data["facets"]) == {"org", "topic", "genre", "year", "validity"}
    orgs = {f["value"]: f["count"] for f in data["facets"]["org"]}
    assert orgs == {org_a.slug: len(ids)}
    genres = {f["value"]: f["count"] for f in data["facets"]["genre"]}
    assert genres.get("normative") == 1


def test_search_filters_sort_and_paging(world, org_b):
    assert Client().get(API, {"q": "义务教育", "org": org_b.slug}).json()["total"] == 0
    only = Client().get(API, {"q": "义务教育", "genre": "interpretation"}).json()
    assert [d["id"] for d in only["items"]] == [str(world.interpretation.public_id)]
    by_date = Client().get(API, {"q": "义务教育", "sort": "date"}).json()
    dates = [d["published_date"] for d in by_date["items"]]
    assert dates == sorted(dates, reverse=True)
    page2 = Client().get(API, {"q": "义务教育", "per_page": 1, "page": 2}).json()
    assert page2["page"] == 2 and page2["pages"] == by_date["total"] and len(page2["items"]) == 1


def test_search_never_finds_unpublished(world):
    for term in ("已撤回事项", "尚未送审的草稿"):
        data = Client().get(API, {"q": term}).json()
        assert data["total"] == 0 and data["items"] == [], term
        assert all(f["count"] == 0 for values in data["facets"].values() for f in values) or not any(
            data["facets"].values())


def test_search_rejects_cursor_and_column(world, org_a):
    assert Client().get(API, {"q": "通知", "cursor": "abc"}).status_code == 422
    r = Client().get(API, {"q": "通知", "org": org_a.slug, "column": "tzgg"})
    assert r.status_code == 422 and "栏目" in r.json()["errors"][0]


def test_nonsense_query_is_empty_not_error(world):
    for q in ('"', "AND OR NOT", "***", "（）", "🙂"):
        r = Client().get(API, {"q": q})
        assert r.status_code == 200 and r.json()["total"] == 0, q
