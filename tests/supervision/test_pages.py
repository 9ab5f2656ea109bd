import re
from datetime import date

import pytest
from django.urls import reverse
from helpers import new_org, new_user
from helpers_sv import local, publish_at

from yangguang.core.models import AuditEvent
from yangguang.supervision import services
from yangguang.supervision.models import Bulletin
from yangguang.supervision.months import Month

pytestmark = pytest.mark.django_db


def client_for(client, user):
    client.force_login(user)
    return client


def test_department_user_gets_403(client, staff_a):
    c = client_for(client, staff_a.clerk)
    assert c.get(reverse("supervision:dashboard")).status_code == 403
    assert c.get(reverse("supervision:bulletins")).status_code == 403
    assert c.get(reverse("supervision:org", args=[staff_a.org.pk])).status_code == 403


def test_anonymous_is_sent_to_login(client):
    resp = client.get(reverse("supervision:dashboard"))
    assert resp.status_code == 302 and "/login/" in resp["Location"]


def test_supervisor_sees_only_its_subtree(client, city, staff_a, org_b):
    other_city = new_org("另一市", "other-city", "city")
    outsider = new_org("另一市教育局", "other-jyj", parent=other_city)
    county_sup = new_user("jyj_gkb", staff_a.org, "supervisor")
    c = client_for(client, county_sup)
    page = c.get(reverse("supervision:dashboard")).content.decode()
    assert staff_a.org.name in page
    assert org_b.name not in page and outsider.name not in page
    assert c.get(reverse("supervision:org", args=[org_b.pk])).status_code == 404
    assert c.get(reverse("supervision:org", args=[outsider.pk])).status_code == 404
    assert c.get(reverse("supervision:org", args=[staff_a.org.pk])).status_code == 200
    assert c.post(reverse("supervision:quota_set", args=[org_b.pk]), {"monthly": "1"}).status_code == 404


def test_dashboard_drill_down_and_exports(client, city, supervisor, staff_a, staff_b):
    doc = publish_at(staff_a, local(2025, 10, 9), title="教育局十月的通知", info_date=date(2025, 9, 1))
    c = client_for(client, supervisor)
    page = c.get(reverse("supervision:dashboard") + "?month=2025-10").content.decode()
    org_url = reverse("supervision:org", args=[staff_b.org.pk]) + "?month=2025-10"
    assert org_url in page  # the 空白月 unit links to its drill-down page
    assert 'role="img"' in page and "echarts.min.js" in page
    drill = c.get(reverse("supervision:org", args=[staff_a.org.pk]) + "?month=2025-10").content.decode()
    assert reverse("workbench:edition", args=[doc.live_edition_id]) in drill and "教育局十月的通知" in drill
    assert re.search(r"超期\d+个工作日", drill)  # 20 working days from 1 September ended before National Day
    blank = c.get(org_url).content.decode()
    assert "没有发布任何信息" in blank
    resp = c.get(reverse("supervision:export", args=["orgs"]) + "?month=2025-10")
    assert resp.status_code == 200 and resp["Content-Type"].startswith("application/vnd.openxmlformats")
    from io import BytesIO

    from openpyxl import load_workbook

    ws = load_workbook(BytesIO(resp.content)).active
    values = {row[0]: row[1] for row in ws.iter_rows(min_row=3, values_only=True)}
    assert values[staff_a.org.name] == 1 and values[staff_b.org.name] == 0
    assert c.get(reverse("supervision:export", args=["nope"])).status_code == 404
    for name in ("blank", "below", "overdue", "trend", "columns", "reports"):
        assert c.get(reverse("supervision:export", args=[name])).status_code == 200, name


def test_quota_form_is_audited(client, city, supervisor, staff_a):
    c = client_for(client, supervisor)
    resp = c.post(reverse("supervision:quota_set", args=[staff_a.org.pk]), {"monthly": "4"})
    assert resp.status_code == 302
    assert AuditEvent.objects.filter(action="quota.set", actor=supervisor).count() == 1
    assert "沿用" in c.get(reverse("supervision:quotas")).content.decode()


def test_public_page_shows_only_published_bulletins(client, city, supervisor):
    draft, _ = services.generate_draft(city, Month(2025, 9), supervisor, today=date(2025, 11, 1))
    internal, _ = services.generate_draft(city, Month(2025, 8), supervisor, today=date(2025, 11, 1))
    public, _ = services.generate_draft(city, Month(2025, 10), supervisor, today=date(2025, 11, 1))
    services.issue(internal, supervisor, Bulletin.Visibility.INTERNAL)
    services.issue(public, supervisor, Bulletin.Visibility.PUBLIC)
    page = client.get(reverse("bulletins:list")).content.decode()
    assert "2025年10月" in page and "2025年9月" not in page and "2025年8月" not in page
    assert client.get(reverse("bulletins:detail", args=[public.pk])).status_code == 200
    assert client.get(reverse("bulletins:detail", args=[draft.pk])).status_code == 404
    assert client.get(reverse("bulletins:detail", args=[internal.pk])).status_code == 404
    assert client.get(reverse("bulletins:file", args=[internal.pk, "pdf"])).status_code == 404
    resp = client.get(reverse("bulletins:file", args=[public.pk, "docx"]))
    assert resp.status_code == 200 and resp.content[:2] == b"PK"


def test_bulletin_pages_generate_edit_issue(client, city, supervisor):
    c = client_for(client, supervisor)
    resp = c.post(reverse("supervision:bulletin_generate"), {"month": Month.of(date.today()).previous().key})
    b = Bulletin.objects.get()
    assert resp.status_code == 302 and resp["Location"] == reverse("supervision:bulletin", args=[b.pk])
    c.post(reverse("supervision:bulletin_edit", args=[b.pk]), {"title": b.title, "narrative": "（一）按期发布年报。"})
    c.post(reverse("supervision:bulletin_issue", args=[b.pk]), {"visibility": "public"})
    b.refresh_from_db()
    assert b.is_public and b.narrative == "（一）按期发布年报。"
    page = c.get(reverse("supervision:bulletin", args=[b.pk])).content.decode()
    assert "编辑通报文字" not in page and "已由" in page
