"""The supervisor's month in real Chromium: dashboard, drill into a 空白月 unit, generate, edit and
issue the bulletin, and find it on the public /bulletins/ page."""

import re
from datetime import datetime
from pathlib import Path

import pytest
from django.utils import timezone
from helpers import PASSWORD, Staff, new_user

from yangguang.publishing.models import Document, Edition
from yangguang.supervision.models import Bulletin
from yangguang.supervision.months import Month

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "yangguang" / "static" / "vendor" / "axe" / "axe.min.js"
AXE_RUN = """async () => {
  const r = await axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}});
  return r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 5).map(n => n.target.join(" "))}));
}"""
NARRATIVE = "（一）请空白月单位于本月15日前补发信息并报送整改情况。"


def login(page, base, username):
    page.context.clear_cookies()
    page.goto(f"{base}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/workbench/"))


def axe_violations(page):
    page.add_script_tag(path=str(AXE))
    return page.evaluate(AXE_RUN)


def test_supervisor_month(live_server, page, city, org_a, org_b):
    last = Month.of(timezone.localdate()).previous()
    staff = Staff(org_a, "jyj")
    edition = staff.publish(staff.draft(title="关于上月招生工作的通知"))
    when = timezone.make_aware(datetime(last.year, last.month, 10, 9, 30))
    Edition.objects.filter(pk=edition.pk).update(published_at=when)
    Document.objects.filter(pk=edition.document_id).update(first_published_at=when, last_published_at=when)
    sup = new_user("gkb", city, "supervisor")
    base = live_server.url

    login(page, base, sup.username)
    page.get_by_role("link", name="监管总览").click()
    page.wait_for_url(re.compile(r"/workbench/supervision/$"))
    assert page.get_by_role("heading", name=re.compile("监管总览")).is_visible()
    assert axe_violations(page) == []
    page.set_viewport_size({"width": 360, "height": 740})  # phone: the page itself never scrolls sideways
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
    page.set_viewport_size({"width": 1280, "height": 900})
    blank = page.locator("section[aria-labelledby='blank-title']")
    assert blank.get_by_role("link", name=org_a.name).count() == 0
    blank.get_by_role("link", name=org_b.name).click()
    page.wait_for_url(re.compile(rf"/workbench/supervision/org/{org_b.pk}/"))
    assert "没有发布任何信息" in page.content()

    page.get_by_role("link", name="监管总览").first.click()
    page.get_by_role("link", name="月度通报").first.click()
    page.get_by_label("通报月份").select_option(last.key)
    page.get_by_role("button", name="生成通报草稿").click()
    page.wait_for_url(re.compile(r"/workbench/supervision/bulletins/\d+/$"))
    assert f"已生成{last.label}通报草稿" in page.content()
    page.get_by_label("工作要求（文字部分）").fill(NARRATIVE)
    page.get_by_role("button", name="保存文字").click()
    page.wait_for_load_state()
    assert "通报文字已保存" in page.content()
    page.get_by_label("公开发布").check()
    page.get_by_role("button", name="签发通报").click()
    page.wait_for_load_state()
    assert "通报已签发并公开发布" in page.content()
    bulletin = Bulletin.objects.get()
    assert bulletin.is_public and bulletin.facts["totals"]["published"] == 1

    page.context.clear_cookies()
    page.goto(f"{base}/bulletins/")
    page.get_by_role("link", name=bulletin.title).click()
    page.wait_for_url(re.compile(rf"/bulletins/{bulletin.pk}/$"))
    text = page.content()
    assert NARRATIVE in text and org_b.name in text and "共发布各类政府信息1条" in text
    assert axe_violations(page) == []
