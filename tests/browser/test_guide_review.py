"""公开指南 review in real Chromium: a clerk's edit with an ID number is refused, the corrected
one waits for a leader, who must tick 审查警告已核实 and 外部链接已核实 before it goes public;
the history shows the diff. axe-core on the staff pages, no horizontal scroll at 360 px."""

import os
import re
from pathlib import Path

import pytest
from helpers import PASSWORD, Staff, valid_id

from yangguang.portal.models import GuideRevision, GuideState

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "yangguang" / "static" / "vendor" / "axe" / "axe.min.js"
AXE_RUN = """async () => {
  const r = await axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}});
  return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                 nodes: v.nodes.slice(0, 5).map(n => n.target.join(" "))}));
}"""
GUIDE = "一、受理机构\n（一）办公地址\n请到人民路1号办理。\n咨询：联系人手机 13912345678\n表格下载：https://forms.example.net/guide.docx"
# Optional: write PNGs of the staff pages at both sizes here (for a person to look at).
SHOTS = os.environ.get("YANGGUANG_GUIDE_SCREENSHOTS", "")


def login(page, base, username):
    page.context.clear_cookies()
    page.goto(f"{base}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/workbench/"))


def check_page(page, name):
    page.add_script_tag(path=str(AXE))
    bad = [v for v in page.evaluate(AXE_RUN) if v["impact"] in ("serious", "critical")]
    assert not bad, (name, bad)
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}-{page.viewport_size['width']}.png", full_page=True)


def test_edit_review_publish_history(live_server, browser, page, org_a):
    staff = Staff(org_a, "g")
    base, slug = live_server.url, org_a.slug
    page.set_viewport_size({"width": 1366, "height": 768})

    login(page, base, staff.clerk.username)
    page.goto(f"{base}/guide/{slug}/edit/")
    page.get_by_label("指南正文").fill(GUIDE + "\n经办人身份证号 " + valid_id("53010219800101001"))
    page.get_by_role("button", name="提交审核").click()
    alert = page.get_by_role("alert")
    assert "居民身份证号" in alert.inner_text() and "第6行" in alert.inner_text()
    assert not GuideRevision.objects.exists()
    check_page(page, "guide-edit-refused")

    page.get_by_label("指南正文").fill(GUIDE)
    page.get_by_role("button", name="提交审核").click()
    page.wait_for_url(re.compile(rf"/guide/{slug}/revisions/1/$"))
    assert "已提交审核" in page.content()
    page.goto(f"{base}/guide/{slug}/")
    assert "人民路1号" not in page.content()

    login(page, base, staff.deputy.username)
    page.get_by_role("link", name="公开指南第1号修订待审核").click()
    page.wait_for_url(re.compile(rf"/guide/{slug}/revisions/1/$"))
    check_page(page, "guide-revision")
    page.get_by_role("button", name="批准发布").click()
    assert "外部链接已核实" in page.get_by_role("alert").inner_text()
    assert GuideRevision.objects.get().state == GuideState.SUBMITTED
    page.get_by_label("审查警告已核实").check()
    page.get_by_label("外部链接已核实").check()
    page.get_by_role("button", name="批准发布").click()
    page.wait_for_load_state()
    assert "已批准" in page.content()
    assert GuideRevision.objects.get().state == GuideState.APPROVED

    page.goto(f"{base}/guide/{slug}/")
    assert page.get_by_role("heading", name="一、受理机构").is_visible()
    assert page.get_by_role("link", name="https://forms.example.net/guide.docx").is_visible()

    login(page, base, staff.clerk.username)
    page.goto(f"{base}/guide/{slug}/edit/")
    page.get_by_label("指南正文").fill(GUIDE.replace("人民路1号", "解放路8号"))
    page.get_by_role("button", name="保存草稿").click()
    page.wait_for_url(re.compile(rf"/guide/{slug}/edit/$"))
    check_page(page, "guide-edit-draft")
    page.get_by_role("button", name="提交审核").click()
    page.wait_for_url(re.compile(rf"/guide/{slug}/revisions/2/$"))
    page.goto(f"{base}/guide/{slug}/history/")
    first = page.locator("#diff-2")
    assert "请到解放路8号办理。" in first.locator(".diff-add").inner_text()
    assert "请到人民路1号办理。" in first.locator(".diff-del").inner_text()
    check_page(page, "guide-history")

    # 360 px: no horizontal scroll on the staff pages.
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN")
    small = context.new_page()
    login(small, base, staff.deputy.username)
    for name, path in (("guide-edit", "edit/"), ("guide-revision", "revisions/2/"), ("guide-history", "history/")):
        small.goto(f"{base}/guide/{slug}/{path}")
        assert small.evaluate("() => document.documentElement.scrollWidth") <= 360, name
        if SHOTS:
            small.screenshot(path=f"{SHOTS}/{name}-360.png", full_page=True)
    context.close()
