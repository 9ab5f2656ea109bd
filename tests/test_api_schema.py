import pytest
from django.test import Client


@pytest.mark.django_db
def test_openapi_schema_lists_staff_endpoints():
    r = Client().get("/api/v1/openapi.json")
    assert r.status_code == 200
    paths = r.json()["paths"]
    assert "/api/v1/staff/editions" in paths and "/api/v1/staff/editions/{edition_id}/approve" in paths


@pytest.mark.django_db
def test_healthz():
    r = Client().get("/healthz")
    assert r.status_code == 200 and r.json()["status"] == "ok"


def test_static_assets_are_served(client):
    for path in ("/static/css/site.css", "/static/js/htmx.min.js"):
        r = client.get(path)
        assert r.status_code == 200, path
