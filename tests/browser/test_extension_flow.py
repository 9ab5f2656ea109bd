"""延期 in real Chromium (issue #14): the handler asks for an extension, the head of the disclosure
office approves it, the 延期答复告知书 is issued and the applicant finds it on the status page; an
extension attempted after the due date is refused in the page, naming the deadline. axe-core on
the case and status pages, no sideways scrolling at 360 px. The days are fixed (the deadline of
the issue's case, 2026-11-25) by setting the site's "today"."""

import os
import re
from datetime import date
from pathlib import Path

import pytest
from django.utils import timezone
from helpers import PASSWORD, new_user

from yangguang.disclosure import services
from yangguang.disclosure.models import ExtensionRequest
from yangguang.disclosure.services import extension as ext

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE_RUN = """async () => {
  const r = await axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}});
  return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                 nodes: v.nodes.slice(0, 5).map(n => n.target.join(" "))}));
}"""
# Optional: write PNGs of the pages at both sizes here (for a person to look at).
SHOTS = os.environ.get("YANGGUANG_EXTENSION_SCREENSHOTS", "")
RECEIVED, IN_TIME, LATE_DAY = date(2026, 10, 28), date(2026, 11, 20), date(2026, 12, 2)  # due 2026-11-25
PHONE = "13912345678"
REAL_LOCALDATE = timezone.localdate


@pytest.fixture
def today(monkeypatch):
    """The live server runs in this process: its "today" is set here."""

    def set_today(day: date) -> None:
        monkeypatch.setattr(timezone, "localdate", lambda value=None, tz=None: day if value is None
                            else REAL_LOCALDATE(value, tz))

    return set_today


def login(page, base, username):
    page.context.clear_cookies()
    page.goto(f"{base}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/workbench/"))


def check_page(page, name):
    origin = re.match(r"https?://[^/]+", page.url).group(0)
    page.add_script_tag(url=f"{origin}/static/vendor/axe/axe.min.js")  # same origin: allowed by the CSP
    bad = [v for v in page.evaluate(AXE_RUN) if v["impact"] in ("serious", "critical")]
    assert not bad, (name, bad)
    width = page.viewport_size["width"]
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
    if width <= 400:
        wide = page.evaluate("""(w) => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > w + 1)
            .slice(0, 8).map(e => e.tagName + '.' + e.className + ' ' + (e.textContent || '').slice(0, 40))""", width)
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width, (name, wide)


def submit(page, action, fields=None):
    form = page.locator(f"form[action$='/act/{action}/']")
    summary = form.locator("xpath=ancestor::details[1]/summary")
    if summary.count() and not form.is_visible():
        summary.click()
    for label, value in (fields or {}).items():
        form.get_by_label(label).fill(value)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


def application(city, office, handler, name):
    app = services.register(city, {
        "applicant_type": "natural", "applicant_name": name, "contact_phone": PHONE,
        "description": "东风街道老旧小区改造项目清单及资金来源", "channel": "online", "received_date": RECEIVED,
    })
    return services.assign(services.accept(app, office), office, city, handler)


def test_request_approve_letter_on_status_page_and_late_refusal(live_server, browser, city, settings, tmp_path,
                                                               today):
    settings.PRIVATE_STORAGE_DIR = tmp_path
    today(IN_TIME)
    office = new_user("ext_gkb", city, "supervisor")
    handler = new_user("ext_cb", city, "handler")
    app = application(city, office, handler, "王小明")
    base = live_server.url
    staff = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 768}).new_page()
    case = f"{base}/workbench/applications/{app.pk}/"

    # the handler asks
    login(staff, base, handler.username)
    staff.goto(case)
    assert staff.get_by_text("申请延期", exact=True).is_visible()
    submit(staff, "request_extension", {"延长工作日数（最多20个）": "15", "延期理由（写入延期答复告知书）": "需调取2019年以来的改造档案"})
    assert "已办理" in staff.content()
    assert "等待受理机关政府信息公开工作机构负责人" in staff.content()

    # the head approves; the letter is issued with the approval
    login(staff, base, office.username)
    staff.goto(case)
    assert "需调取2019年以来的改造档案" in staff.locator("#extension").inner_text()
    check_page(staff, "case-pending")
    submit(staff, "approve_extension", {"审批意见（可空）": "同意延期"})
    assert "已办理" in staff.content()
    ask = ExtensionRequest.objects.get(application=app)
    assert ask.state == "approved" and ask.letter is not None
    assert ask.letter.number in staff.locator("#ext-list-title").locator("xpath=..").inner_text()
    check_page(staff, "case-approved")

    # the applicant finds the 延期答复告知书 on the status page
    citizen = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 768}).new_page()
    citizen.goto(f"{base}/apply/track/")
    citizen.get_by_label("查询码").fill(app.tracking_code)
    citizen.get_by_label("联系电话或电子邮箱").fill(PHONE)
    citizen.get_by_role("button", name="查询").click()
    citizen.wait_for_url(re.compile(r"/apply/status/\d+/"))
    assert "延期答复告知书" in citizen.content() and "批准延期15个工作日" in citizen.content()
    with citizen.expect_download() as info:
        citizen.get_by_role("link", name="下载延期答复告知书 PDF").click()
    assert open(info.value.path(), "rb").read(5) == b"%PDF-"
    check_page(citizen, "status")

    # a request made in time, approved after the deadline, is refused on the page
    late = application(city, office, handler, "李小红")
    ask = ext.request_extension(late, handler, days=10, reason="需向第三方核实")
    staff.goto(f"{base}/workbench/applications/{late.pk}/")  # the head opens the case while still in time …
    today(LATE_DAY)  # … and clicks 批准 after the deadline has passed
    submit(staff, "approve_extension")
    messages = staff.locator(".messages").inner_text()
    assert "答复期限已于2026-11-25届满" in messages and "超期" in messages
    assert ExtensionRequest.objects.get(pk=ask.pk).state == "requested"
    assert "不能批准：" in staff.content() and "已超期" in staff.content()
    check_page(staff, "case-late")

    # small screens: the same pages without sideways scrolling
    for page, name, url in ((staff, "case-late", f"{base}/workbench/applications/{late.pk}/"),
                            (staff, "case-approved", case), (citizen, "status", citizen.url)):
        page.set_viewport_size({"width": 360, "height": 740})
        page.goto(url)
        check_page(page, name)
