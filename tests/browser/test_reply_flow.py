"""A reply that delivers, in real Chromium (issue #14): the handler uploads the released information
beside the request text, chooses the reply (nothing preselected), sees the 答复书 on the
confirmation page — attachments listed, 复议机关 and time limits named — and confirms; the
applicant verifies with the tracking code and phone on the status page and downloads the file.
axe-core on the case, confirmation and status pages; no sideways scrolling at 360 px.
Screenshots at 360×740 and 1366×768 when YANGGUANG_REPLY_SCREENSHOTS names a folder."""

import os
import re
from pathlib import Path

import docx
import pytest
from django.utils import timezone
from helpers import PASSWORD, new_org, new_user

from yangguang.disclosure import services
from yangguang.disclosure.models import Application, Letter

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE_RUN = """async () => {
  const r = await axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}});
  return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                 nodes: v.nodes.slice(0, 5).map(n => n.target.join(" "))}));
}"""
SHOTS = os.environ.get("YANGGUANG_REPLY_SCREENSHOTS", "")
SIZES = ((1366, 768), (360, 740))
PHONE = "13912345678"
REQUEST = "2025年本市义务教育阶段学校招生划片方案，包括各学区的范围和对应学校名单。"


def login(page, base, username):
    page.goto(f"{base}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/workbench/"))


def check_page(page, name):
    """axe (serious/critical), no sideways scrolling at phone width, and the optional screenshots."""
    url = page.url
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        if page.url != url:
            page.goto(url)
        origin = re.match(r"https?://[^/]+", page.url).group(0)
        page.add_script_tag(url=f"{origin}/static/vendor/axe/axe.min.js")
        bad = [v for v in page.evaluate(AXE_RUN) if v["impact"] in ("serious", "critical")]
        assert not bad, (name, width, bad)
        if width <= 400:
            wide = page.evaluate("""(w) => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > w + 1)
                .slice(0, 8).map(e => e.tagName + '.' + e.className)""", width)
            assert page.evaluate("() => document.documentElement.scrollWidth") <= width, (name, wide)
        if SHOTS:
            Path(SHOTS).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=f"{SHOTS}/{name}-{width}x{height}.png", full_page=True)
    page.set_viewport_size({"width": 1366, "height": 768})


def test_handler_replies_with_a_file_after_confirming_and_the_applicant_downloads_it(
        live_server, browser, city, settings, tmp_path):
    settings.PRIVATE_STORAGE_DIR = tmp_path / "private"
    base = live_server.url
    gov = city
    gov.name = "明溪市人民政府"
    gov.save()
    edu = new_org("明溪市教育局", "mx-jyj", parent=gov)
    office = new_user("rf_gkb", edu, "supervisor")  # the 教育局's own disclosure office receives it
    handler = new_user("rf_cb", edu, "handler")
    app = services.register(edu, {
        "applicant_type": "natural", "applicant_name": "刘芳", "contact_phone": PHONE, "description": REQUEST,
        "channel": "online", "received_date": timezone.localdate(), "delivery_form": "electronic",
        "delivery_route": "online",
    })
    app = services.assign(services.accept(app, office), office, edu, handler)
    released = tmp_path / "招生划片方案.docx"
    d = docx.Document()
    d.add_paragraph("明溪市2025年义务教育招生划片方案：第一学区（东城街道）对应明溪市第一中学。")
    d.save(released)

    staff = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 768}).new_page()
    staff.set_default_timeout(15_000)
    login(staff, base, handler.username)
    staff.goto(f"{base}/workbench/applications/{app.pk}/")
    panel = staff.locator("#reply")
    assert REQUEST in panel.locator("#request-text").inner_text()  # the request beside the reply
    assert staff.locator("#r-type").input_value() == "" and staff.locator("#r-out").input_value() == ""
    assert "分办" not in staff.locator("aside.actions-panel form").all_inner_texts()

    panel.get_by_label("上传文件").set_input_files(str(released))
    panel.get_by_role("button", name="上传并审查").click()
    staff.wait_for_load_state()
    assert "已上传并通过审查" in staff.content()
    staff.get_by_label("答复类型（条例第36、37条）").select_option("disclose")
    assert staff.locator("#r-out").input_value() == "1"  # the only outcome of 可以公开
    check_page(staff, "case")
    staff.get_by_role("button", name="预览答复书并确认").click()
    staff.wait_for_url(re.compile(r"/reply/$"))
    preview = staff.locator("#letter-preview").inner_text()
    assert "现予以提供（见附件）" in preview and "附件：1. 招生划片方案.docx" in preview
    assert "向明溪市人民政府申请行政复议" in preview and "6个月内" in preview and "你于" in preview
    assert Application.objects.get(pk=app.pk).state == "assigned"  # nothing closed yet
    check_page(staff, "confirm")
    staff.get_by_role("button", name="确认答复并签发答复书").click()
    staff.wait_for_load_state()
    assert "已答复并办结" in staff.content()
    app.refresh_from_db()
    assert app.state == "closed" and app.letters.filter(kind=Letter.Kind.REPLY).count() == 1

    citizen = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 768}).new_page()
    citizen.set_default_timeout(15_000)
    citizen.goto(f"{base}/apply/track/")
    citizen.get_by_label("查询码").fill(app.tracking_code)
    citizen.get_by_label("联系电话或电子邮箱").fill(PHONE)
    citizen.get_by_role("button", name="查询").click()
    citizen.wait_for_url(re.compile(r"/apply/status/\d+/"))
    assert "受理机关提供的信息" in citizen.content()
    with citizen.expect_download() as info:
        citizen.get_by_role("link", name="下载 招生划片方案.docx").click()
    assert Path(info.value.path()).read_bytes() == released.read_bytes()
    check_page(citizen, "status")
    staff.goto(f"{base}/workbench/applications/{app.pk}/")
    assert "申请人下载答复附件" in staff.content()  # the delivery is on the case record
    check_page(staff, "case-closed")
