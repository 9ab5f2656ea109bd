import io

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from yangguang.publishing.models import Document
from yangguang.publishing.register import register_rows

pytestmark = pytest.mark.django_db


def test_register_lists_publications_and_exports_xlsx(staff_a, staff_b):
    e1 = staff_a.publish(staff_a.draft(title="第一份通知"))
    e2 = staff_a.publish(staff_a.draft(title="第二份通知"))
    staff_b.publish(staff_b.draft(title="民政局的通知"))
    today = timezone.localdate()
    rows = list(register_rows(staff_a.org, today, today))
    assert [r[3] for r in rows] == ["第一份通知", "第二份通知"]
    assert rows[0][2] == Document.objects.get(pk=e1.document_id).index_number
    assert rows[1][2] == Document.objects.get(pk=e2.document_id).index_number

    c = Client()
    c.force_login(staff_a.clerk)
    r = c.get("/workbench/register/", {"start": today.isoformat(), "end": today.isoformat(), "format": "xlsx"})
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(r.content)).active
    values = [row for row in ws.iter_rows(values_only=True)]
    assert "信息发布登记簿" in values[0][0]
    assert values[1][:4] == ("序号", "发布时间", "索引号", "标题")
    assert [v[3] for v in values[2:]] == ["第一份通知", "第二份通知"]  # org B's publication is not here


def test_register_rejects_inverted_period(staff_a):
    c = Client()
    c.force_login(staff_a.clerk)
    r = c.get("/workbench/register/", {"start": "2026-05-01", "end": "2026-01-01"})
    assert r.status_code == 200 and "起始日期不能晚于截止日期" in r.content.decode()


def test_register_measures_article_26(staff_a):
    today = timezone.localdate()
    staff_a.publish(staff_a.draft(title="按时的通知", info_date=today))
    staff_a.publish(staff_a.draft(title="没填日期的通知"))
    rows = {r[3]: r[8] for r in register_rows(staff_a.org, today, today)}
    assert rows["按时的通知"].startswith("按时")
    assert rows["没填日期的通知"] == "未填信息形成日期"
