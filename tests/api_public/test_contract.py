"""The published contract of the open API: field names, OpenAPI, rate limits."""

import re

import pytest
from django.test import Client, override_settings
from helpers import new_user

pytestmark = pytest.mark.django_db
API = "/api/v1/public"

# Changing any of these breaks every client: add fields, never rename or drop them.
SUMMARY_FIELDS = {
    "id", "index_number", "title", "org", "org_name", "column", "column_name", "doc_number", "written_date",
    "published_date", "updated_at", "topic", "topic_label", "genre", "genre_label", "validity", "validity_label",
    "url", "match",
}
DETAIL_FIELDS = SUMMARY_FIELDS | {
    "keywords", "validity_date", "abolished_by", "edition", "change_kind", "change_note", "first_published_at",
    "body_html", "interpretation_of", "interpretations", "attachments",
}
ATTACHMENT_FIELDS = {"id", "name", "content_type", "type_label", "size", "size_label", "sha256", "url"}
PAGE_FIELDS = {"total", "page", "pages", "per_page", "next_cursor", "items", "facets",
               "total_estimated", "estimated_facets"}
ORG_FIELDS = {"slug", "name", "short_name", "kind", "kind_label", "parent", "code", "url"}
COLUMN_FIELDS = {"slug", "name", "update_class", "update_class_label", "public_count", "total_count", "url",
                 "children"}


def schema():
    r = Client().get("/api/v1/openapi.json")
    assert r.status_code == 200
    return r.json()


def props(spec, name):
    return set(spec["components"]["schemas"][name]["properties"])


def test_schema_field_names_are_pinned():
    spec = schema()
    assert props(spec, "DocumentSummary") == SUMMARY_FIELDS
    assert props(spec, "DocumentDetail") == DETAIL_FIELDS
    assert props(spec, "AttachmentOut") == ATTACHMENT_FIELDS
    assert props(spec, "DocumentPage") == PAGE_FIELDS
    assert props(spec, "OrgOut") == ORG_FIELDS
    assert props(spec, "ColumnOut") == COLUMN_FIELDS
    # Every field carries a Chinese description.
    for name in ("DocumentSummary", "DocumentDetail", "OrgDetail", "ColumnOut", "AttachmentOut"):
        for field, definition in spec["components"]["schemas"][name]["properties"].items():
            text = definition.get("description", "")
            assert any("\u4e00" <= ch <= "\u9fff" for ch in text), (name, field)


def test_responses_match_the_pinned_names(world):
    c = Client()
    page = c.get(f"{API}/documents").json()
    assert set(page) == PAGE_FIELDS and set(page["items"][0]) == SUMMARY_FIELDS
    detail = c.get(f"{API}/documents/{world.policy.public_id}").json()
    assert set(detail) == DETAIL_FIELDS and set(detail["attachments"][0]) == ATTACHMENT_FIELDS
    assert set(c.get(f"{API}/orgs").json()["items"][0]) == ORG_FIELDS


def test_openapi_declares_public_paths_and_errors():
    spec = schema()
    paths = {p: v for p, v in spec["paths"].items() if p.startswith(f"{API}/")}
    assert set(paths) == {f"{API}/orgs", f"{API}/orgs/{{slug}}", f"{API}/orgs/{{slug}}/columns", f"{API}/documents",
                          f"{API}/documents/{{document_id}}", f"{API}/index-numbers/{{org_code}}/{{serial}}"}
    for path, item in paths.items():
        assert set(item) == {"get"}, path  # read-only
        assert {"200", "404", "422", "429"} <= set(item["get"]["responses"]), path
        assert item["get"].get("security") is None  # open: no login
    params = {p["name"]: p for p in paths[f"{API}/documents"]["get"]["parameters"]}
    assert set(params) == {"org", "column", "topic", "genre", "year", "validity", "q", "sort", "page", "per_page",
                           "cursor"}
    assert params["per_page"]["schema"]["maximum"] == 100


def test_docs_page_renders_from_local_assets():
    c = Client()
    r = c.get("/api/v1/docs")
    assert r.status_code == 200 and b"openapi.json" in r.content
    assets = re.findall(r'(?:src|href)="([^"]+)"', r.content.decode())
    assert assets and all(a.startswith("/static/") for a in assets), assets  # no CDN: works offline
    assert all(c.get(a).status_code == 200 for a in assets)


@override_settings(YANGGUANG_RATE_LIMITS={"api_ip": (3, 60)})
def test_anonymous_rate_limit_per_ip_with_retry_after(world, org_a):
    c = Client()
    codes = [c.get(f"{API}/orgs").status_code for _ in range(3)]
    r = c.get(f"{API}/documents")
    assert codes == [200, 200, 200] and r.status_code == 429
    assert 1 <= int(r["Retry-After"]) <= 60
    body = r.json()
    assert body["detail"] == "请求过于频繁，请稍后再试。" and body["retry_after"] == int(r["Retry-After"])
    # Another address has its own budget; so does a logged-in staff member.
    assert Client(REMOTE_ADDR="10.0.0.9").get(f"{API}/orgs").status_code == 200
    staff = Client()
    staff.force_login(new_user("api_reader", org_a, "clerk"))
    assert all(staff.get(f"{API}/orgs").status_code == 200 for _ in range(5))
