"""Staff API paging and ids: out-of-range input is a 422 with a Chinese message, never a 500 (#15 item 6)."""

import pytest
from django.test import Client
from helpers import new_user

pytestmark = pytest.mark.django_db

HUGE = "9" * 20


@pytest.fixture
def clerk_client(org_a):
    c = Client()
    c.force_login(new_user("bounds_clerk", org_a, "clerk"))
    return c


@pytest.mark.parametrize("path", ["/api/v1/staff/editions", "/api/v1/staff/disclosure/applications"])
@pytest.mark.parametrize("query", ["offset=-1", "limit=-1", "limit=0", f"offset={HUGE}", f"limit={HUGE}", "offset=abc"])
def test_paging_out_of_range_is_422_in_chinese(clerk_client, path, query):
    r = clerk_client.get(f"{path}?{query}")
    assert r.status_code == 422, r.content
    body = r.json()
    assert body["detail"] == "请求参数有误。"
    name = query.split("=")[0]
    assert any(f"参数“{name}”" in e for e in body["errors"]), body


@pytest.mark.parametrize("path", ["/api/v1/staff/editions", "/api/v1/staff/disclosure/applications"])
def test_paging_in_range_still_works(clerk_client, path):
    assert clerk_client.get(f"{path}?limit=10&offset=0").status_code == 200


@pytest.mark.parametrize("path", [f"/api/v1/staff/editions/{HUGE}", f"/api/v1/staff/disclosure/applications/{HUGE}",
                                  "/api/v1/staff/editions/-5"])
def test_out_of_range_ids_are_not_500(clerk_client, path):
    assert clerk_client.get(path).status_code in (404, 422)


def test_the_schema_declares_the_bounds():
    from yangguang.api.urls import api

    schema = api.get_openapi_schema()
    params = {p["name"]: p["schema"] for p in schema["paths"]["/api/v1/staff/editions"]["get"]["parameters"]}
    assert params["limit"].get("minimum") == 1 and params["limit"].get("maximum") == 200
    assert params["offset"].get("minimum") == 0 and "maximum" in params["offset"]
