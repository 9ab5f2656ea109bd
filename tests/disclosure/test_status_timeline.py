"""The applicant's status page leads (issue #14 item 5): the 补正 items on the page itself (not only
in the PDF), the working days left, and a dated timeline of the case with its letters."""

from datetime import timedelta

import pytest
from django.core.cache import caches
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from helpers import new_user

from yangguang.disclosure import letters, services
from yangguang.disclosure.models import Application

pytestmark = pytest.mark.django_db

PHONE = "13812345678"
LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tl-default"},
          "ratelimit": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tl-ratelimit"}}


@pytest.fixture(autouse=True)
def _limits():
    with override_settings(CACHES=LOCMEM):
        caches["ratelimit"].clear()
        yield


def verified(app: Application) -> tuple[Client, str]:
    client = Client()
    r = client.post(reverse("apply:track"), {"code": app.tracking_code, "contact": PHONE})
    assert r.status_code == 302
    return client, r["Location"]


def test_status_page_shows_correction_items_days_left_and_timeline(city):
    office = new_user("tl_gkb", city, "supervisor")
    today = timezone.localdate()
    app = services.register(city, {"applicant_type": "natural", "applicant_name": "张小三", "contact_phone": PHONE,
                                   "description": "某小区规划许可", "channel": "online", "received_date": today})
    client, url = verified(app)
    page = client.get(url).content.decode()
    assert 'id="days-left"' in page and "距答复期限还有20个工作日" in page
    assert "收到申请" in page and 'id="timeline"' in page

    until = today + timedelta(days=15)
    app = services.request_correction(app, office, on=today, until=until, items="请写明小区名称 & 楼栋 <3号>")
    page = client.get(url).content.decode()
    # the items on the page, escaped, with the period; no days-left line while waiting for them
    assert "需要补正的事项：</strong>请写明小区名称 &amp; 楼栋 &lt;3号&gt;" in page
    assert f"请于 {until:%Y-%m-%d} 前在下方提交补正" in page and 'id="days-left"' not in page
    letters.issue(app, office, "correction")
    page = client.get(url).content.decode()
    timeline = page[page.index('id="timeline"'):page.index("</ol>", page.index('id="timeline"'))]
    assert timeline.index("收到申请") < timeline.index("受理机关告知补正") < timeline.index("文书：补正告知书")
    assert "需要补正的事项：请写明小区名称 &amp; 楼栋" in timeline
