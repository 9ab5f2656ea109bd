import json

import pytest
from django.core.cache import caches
from django.test import Client, override_settings
from helpers import valid_id

from yangguang.disclosure.models import Application

pytestmark = pytest.mark.django_db
LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
          "ratelimit": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "api-tests"}}


def post(c, url, body):
    return c.post(url, data=json.dumps(body), content_type="application/json")


@override_settings(CACHES=LOCMEM)
def test_submit_and_track_via_api(city):
    caches["ratelimit"].clear()
    c = Client()
    idn = valid_id("11010519800101001")
    body = {"org": city.slug, "applicant_name": "赵六", "id_number": idn, "contact_phone": "13712345678",
            "description": "某项目的环评批复", "consent": True}
    r = post(c, "/api/v1/disclosure/applications", body)
    assert r.status_code == 201, r.content
    receipt = r.json()
    assert receipt["number"] and len(receipt["tracking_code"]) == 16 and receipt["due_date"]
    bad = post(c, "/api/v1/disclosure/applications", {**body, "id_number": idn[:-1] + "0" if idn[-1] != "0" else idn[:-1] + "1",
                                                       "description": "", "consent": False})
    assert bad.status_code == 400 and len(bad.json()["errors"]) >= 2
    assert Application.objects.count() == 1
    wrong = post(c, "/api/v1/disclosure/status", {"tracking_code": receipt["tracking_code"], "contact": "13700000000"})
    assert wrong.status_code == 404 and wrong.json()["detail"] == "查询码或联系方式不正确。"
    ok = post(c, "/api/v1/disclosure/status", {"tracking_code": receipt["tracking_code"], "contact": "137-1234-5678"})
    assert ok.status_code == 200
    data = ok.json()
    assert data["applicant"] == "赵*" and idn not in json.dumps(data) and data["due_date"] == receipt["due_date"]


@override_settings(CACHES=LOCMEM)
def test_api_rate_limits(city):
    caches["ratelimit"].clear()
    c = Client()
    codes = [post(c, "/api/v1/disclosure/status", {"tracking_code": "ABCDEFGHJKMNPQRS", "contact": "13700000000"})
             .status_code for _ in range(11)]
    assert codes[:10] == [404] * 10 and codes[10] == 429
