"""年报 end to end in real Chromium: a department user who is also its 分管领导 enters the figures,
writes the narrative, finalizes and publishes (sign-off needs a leader); the report appears on the
portal with its downloads."""

import io
import re

import pytest
from docx import Document as Docx
from helpers import PASSWORD, new_user
from openpyxl import load_workbook
from pypdf import PdfReader

from yangguang.reports.views import default_year

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_write_finalize_publish_and_read_on_portal(live_server, browser, org_a):
    user = new_user("nb_writer", org_a, "clerk", "deputy")
    year = default_year()
    base = live_server.url
    page = browser.new_context(locale="zh-CN", accept_downloads=True).new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{base}/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/workbench/"))

    page.get_by_role("link", name="公开年报").click()
    page.get_by_role("link", name="编写报告").first.click()
    page.wait_for_url(re.compile(rf"/workbench/reports/{org_a.id}/{year}/"))
    assert "勾稽关系检查通过" in page.content()
    proposal = page.locator(".report-proposals dd").nth(1).inner_text()
    assert "本年新收政府信息公开申请0件" in proposal

    page.get_by_label("行政许可（本年处理决定数量）").fill("21")
    page.get_by_label("行政处罚（本年处理决定数量）").fill("3")
    page.get_by_label("行政强制（本年处理决定数量）").fill("0")
    page.get_by_label("行政事业性收费（本年收费金额，单位：万元）").fill("2.5")
    page.get_by_role("button", name="保存录入数据").click()
    page.wait_for_load_state()
    assert "录入数据已保存" in page.content()

    page.get_by_label("一、总体情况").fill(f"{year}年，本局认真贯彻落实政府信息公开条例。" + proposal)
    page.get_by_label("五、存在的主要问题及改进情况").fill("政策解读形式较为单一。")
    page.get_by_label("六、其他需要报告的事项").fill("本年未收取信息处理费。")
    page.get_by_role("button", name="保存正文").click()
    page.wait_for_load_state()
    assert "报告正文已保存" in page.content()

    page.get_by_role("button", name="定稿").click()
    page.wait_for_load_state()
    assert "已定稿（第1版）" in page.content()
    page.get_by_role("button", name="发布第1版到公众网站").click()
    page.wait_for_load_state()
    assert "已在公众网站发布" in page.content()

    page.get_by_role("link", name="在公众网站查看").click()
    page.wait_for_url(re.compile(rf"/reports/{org_a.slug}/{year}/"))
    title = f"{org_a.name}{year}年政府信息公开工作年度报告"
    assert page.get_by_role("heading", name=title).is_visible()
    body = page.content()
    for text in ("政策解读形式较为单一。", "一、本年新收政府信息公开申请数量", "四、结转下年度继续办理", "复议后起诉", "21"):
        assert text in body, text

    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("link", name="Word版").click()
    assert len(Docx(io.BytesIO(open(info.value.path(), "rb").read())).tables) == 3
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("link", name="Excel表格").click()
    assert info.value.suggested_filename.endswith("（第1版）.xlsx")
    assert load_workbook(io.BytesIO(open(info.value.path(), "rb").read())).sheetnames == ["二、主动公开", "三、依申请公开", "四、复议诉讼"]
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("link", name="PDF版").click()
    pdf = PdfReader(io.BytesIO(open(info.value.path(), "rb").read()))
    assert "行政规范性文件" in "".join(p.extract_text() for p in pdf.pages).replace(" ", "")

    page.goto(f"{base}/reports/{org_a.slug}/")
    assert page.get_by_role("link", name=f"{year}年度政府信息公开工作年度报告").is_visible()
