"""The open public API: each endpoint, its filters, paging, and 404s for everything not public."""

import uuid

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from helpers import Staff

from yangguang.publishing import services
from yangguang.publishing.models import Document

pytestmark = pytest.mark.django_db
API = "/api/v1/public"


def get(path, **params):
    return Client().get(f"{API}{path}", params)


def test_orgs_list_filters_and_detail(world, city, org_a, org_b):
    r = get("/orgs")
    assert r.status_code == 200
    data = r.json()
    slugs = [o["slug"] for o in data["items"]]
    assert data["total"] == 3 and slugs[0] == city.slug and set(slugs) == {city.slug, org_a.slug, org_b.slug}
    a = next(o for o in data["items"] if o["slug"] == org_a.slug)
    assert a["parent"] == city.slug and a["kind"] == "department" and a["kind_label"] == "部门"
    assert a["code"] == org_a.code and a["url"].endswith(f"/{org_a.slug}/")
    assert [o["slug"] for o in get("/orgs", kind="city").json()["items"]] == [city.slug]
    assert {o["slug"] for o in get("/orgs", region=org_a.slug).json()["items"]} == {org_a.slug}
    assert get("/orgs", region=city.slug).json()["total"] == 3
    assert get("/orgs", region="no-such-org").status_code == 404
    detail = get(f"/orgs/{org_a.slug}").json()
    # Four published in org A, one of them withdrawn; drafts never count.
    assert detail["public_documents"] == 3 and detail["name"] == org_a.name
    r = get("/orgs/no-such-org")
    assert r.status_code == 404 and r.json()["detail"] == "未找到该机构。"


def test_column_tree_counts_only_public(world, org_a):
    r = get(f"/orgs/{org_a.slug}/columns")
    assert r.status_code == 200
    tree = {c["slug"]: c for c in r.json()["items"]}
    assert tree["tzgg"]["public_count"] == 1  # the notice; not the withdrawn one, not the draft
    assert tree["zcwj"]["public_count"] == 1 and tree["zcjd"]["public_count"] == 1
    assert tree["gzdt"]["public_count"] == 0
    assert tree["tzgg"]["name"] == "通知公告" and tree["tzgg"]["update_class_label"] == "通知公告/政策文件"
    assert tree["tzgg"]["url"].endswith(f"/{org_a.slug}/tzgg/")


def test_column_tree_parent_counts_subtree(world, city):
    staff = Staff(city, "c")
    parent = next(c for c in get(f"/orgs/{city.slug}/columns").json()["items"] if c["children"])
    child = parent["children"][0]
    staff.publish(staff.draft(title="市级社会救助标准调整的通知", column=child["slug"]))
    parent = next(c for c in get(f"/orgs/{city.slug}/columns").json()["items"] if c["slug"] == parent["slug"])
    kid = next(c for c in parent["children"] if c["slug"] == child["slug"])
    assert kid["public_count"] == 1 and parent["public_count"] == 0 and parent["total_count"] == 1


def test_document_list_only_public_newest_first(world):
    r = get("/documents")
    assert r.status_code == 200
    data = r.json()
    ids = [d["id"] for d in data["items"]]
    expected = [world.news, world.notice, world.interpretation, world.policy]
    assert ids == [str(d.public_id) for d in expected]
    assert data["total"] == 4 and data["page"] == 1 and data["pages"] == 1 and data["next_cursor"] is None
    assert data["facets"] is None
    titles = {d["title"] for d in data["items"]}
    assert "关于已撤回事项的通知" not in titles and "尚未送审的草稿通知" not in titles


def test_document_filters(world, org_a, org_b):
    def titles(**params):
        r = get("/documents", **params)
        assert r.status_code == 200, r.content
        return {d["title"] for d in r.json()["items"]}

    assert titles(org=org_b.slug) == {"民政局开展走访慰问困难群众活动"}
    assert titles(org=org_a.slug, column="zcwj") == {world.policy.live_edition.title}
    assert titles(genre="normative") == {world.policy.live_edition.title}
    assert titles(topic="17") == {"民政局开展走访慰问困难群众活动"}
    assert titles(year=2025) == {world.policy.live_edition.title}  # its 发布日期 is 2025-03-05
    assert world.policy.live_edition.title not in titles(year=world.notice.live_edition.published_date.year)
    assert titles(validity="abolished") == set()
    assert len(titles(validity="valid")) == 4
    assert get("/documents", org="no-such-org").status_code == 404
    r = get("/documents", org=org_a.slug, column="no-such-column")
    assert r.status_code == 404 and r.json()["detail"] == "未找到该栏目。"


def test_invalid_parameters_are_422_in_chinese(world):
    for params in ({"year": "abc"}, {"topic": "99"}, {"per_page": 1000}, {"page": 0}, {"genre": "x"},
                   {"column": "tzgg"}, {"cursor": "not-a-cursor"}, {"sort": "relevance"}, {"page": 10_000}):
        r = get("/documents", **params)
        assert r.status_code == 422, (params, r.content)
        body = r.json()
        assert body["detail"] == "请求参数有误。" and body["errors"], params
        assert all(any("\u4e00" <= ch <= "\u9fff" for ch in e) for e in body["errors"]), body
    assert "year" in get("/documents", year="abc").json()["errors"][0]
    assert get("/documents/not-a-uuid").status_code == 422


def test_page_and_cursor_paging_are_stable_and_agree(world, staff_a):
    for i in range(5):
        staff_a.publish(staff_a.draft(title=f"分页测试通知第{i}号"))
    # Several documents share one publication instant: the id breaks the tie, so no item is
    # skipped or repeated across pages.
    Document.objects.update(first_published_at=world.policy.first_published_at)
    by_page = []
    for page in (1, 2, 3, 4):
        data = get("/documents", per_page=3, page=page).json()
        assert data["total"] == 9 and data["pages"] == 3
        by_page += [d["id"] for d in data["items"]]
    assert len(by_page) == 9 == len(set(by_page))
    by_cursor, cursor, rounds = [], None, 0
    while True:
        params = {"per_page": 4} | ({"cursor": cursor} if cursor else {})
        data = get("/documents", **params).json()
        assert (data["total"], data["page"]) == ((None, None) if cursor else (9, 1))
        by_cursor += [d["id"] for d in data["items"]]
        cursor, rounds = data["next_cursor"], rounds + 1
        if cursor is None:
            break
    assert by_cursor == by_page and rounds == 3
    first = get("/documents", per_page=3).json()
    assert first["next_cursor"] and [d["id"] for d in get("/documents", per_page=3, cursor=first["next_cursor"])
                                     .json()["items"]] == by_page[3:6]


def test_document_detail_full_metadata(world, org_a):
    policy = world.policy
    r = get(f"/documents/{policy.public_id}")
    assert r.status_code == 200
    d = r.json()
    assert d["index_number"] == policy.index_number and d["title"].startswith("关于进一步规范义务教育")
    assert (d["doc_number"], d["written_date"], d["published_date"]) == ("测教发〔2025〕3号", "2025-03-01", "2025-03-05")
    assert (d["topic"], d["topic_label"], d["genre_label"], d["validity_label"]) == ("11", "科技、教育", "行政规范性文件", "有效")
    assert d["org"] == org_a.slug and d["org_name"] == org_a.name and d["column_name"] == "政策文件"
    assert d["keywords"] == "义务教育 招生" and d["edition"] == 1 and "现提出如下意见" in d["body_html"]
    assert d["url"].endswith(f"/{org_a.slug}/zcwj/{policy.index_year}-{policy.index_serial:05d}/")
    assert d["interpretation_of"] is None
    [interp] = d["interpretations"]
    assert interp["id"] == str(world.interpretation.public_id) and interp["interpretation_form_label"] == "文字"
    [att] = d["attachments"]
    assert att["name"] == "实施意见.txt" and att["size"] == len("附件：招生片区划分表".encode())
    assert "/files/" in att["url"]
    path = att["url"].split("://", 1)[1].split("/", 1)[1]
    download = Client().get("/" + path)
    assert download.status_code == 200 and b"".join(download.streaming_content) == "附件：招生片区划分表".encode()
    back = get(f"/documents/{world.interpretation.public_id}").json()
    assert back["interpretation_of"]["id"] == str(policy.public_id) and back["interpretations"] == []


def test_detail_by_index_number(world):
    code, serial = world.notice.index_number.split("/")
    r = get(f"/index-numbers/{code}/{serial}")
    assert r.status_code == 200 and r.json()["id"] == str(world.notice.public_id)


def test_unpublished_is_404_exactly_like_nonexistent(world, staff_a, supervisor):
    missing = get(f"/documents/{uuid.uuid4()}")
    assert missing.status_code == 404
    draft_doc = Document.objects.get(editions__pk=world.draft_edition_id)
    removed = world.news
    services.remove_document(removed, supervisor, "违规发布，予以下架")
    code, serial = world.withdrawn.index_number.split("/")
    for r in (get(f"/documents/{world.withdrawn.public_id}"), get(f"/documents/{draft_doc.public_id}"),
              get(f"/documents/{removed.public_id}"), get(f"/index-numbers/{code}/{serial}")):
        assert r.status_code == 404 and r.content == missing.content
    assert str(removed.public_id) not in get("/documents").content.decode()


def test_new_edition_in_review_does_not_show(world, staff_a):
    edition = services.start_new_edition(world.notice, staff_a.clerk)
    services.update_draft(edition, staff_a.clerk, {"title": "审核中的新标题", "change_kind": "major",
                                                   "change_note": "更正日期"})
    services.submit(edition, staff_a.clerk)
    assert get(f"/documents/{world.notice.public_id}").json()["title"] == "关于开展2026年教师资格认定工作的通知"
    assert "审核中的新标题" not in get("/documents").content.decode()


def app_queries(path, **params) -> list[str]:
    """SQL of one request, without the rate limiter's cache-table traffic."""
    with CaptureQueriesContext(connection) as ctx:
        assert get(path, **params).status_code == 200
    return [q["sql"] for q in ctx.captured_queries
            if "yangguang_cache" not in q["sql"] and "SAVEPOINT" not in q["sql"]]


def test_list_has_no_n_plus_one(world, staff_a, org_a):
    for i in range(6):
        staff_a.publish(staff_a.draft(title=f"查询次数测试{i}"))
    assert len(app_queries("/documents", per_page=2)) == len(app_queries("/documents", per_page=10)) == 2  # count + page
    assert len(app_queries("/documents", per_page=10, genre="notice", org=org_a.slug)) == 3  # + the org check
    assert len(app_queries(f"/documents/{world.policy.public_id}")) == 3  # document, interpretations, attachments
    assert len(app_queries("/orgs")) == 1
    assert len(app_queries(f"/orgs/{org_a.slug}/columns")) == 2
