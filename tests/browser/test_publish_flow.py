"""The whole 主动公开 flow in real Chromium: draft, submit, four review levels, public page."""

import re

import pytest
from helpers import PASSWORD, Staff

from yangguang.publishing.models import Document

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "关于开展2026年度政务公开培训的通知"


def login(page, base, username):
    page.context.clear_cookies()
    page.goto(f"{base}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/workbench/"))


def test_draft_review_publish(live_server, page, org_a):
    staff = Staff(org_a, "jyj")
    base = live_server.url

    login(page, base, staff.clerk.username)
    page.goto(f"{base}/workbench/new/")
    page.get_by_label("标题").fill(TITLE)
    page.get_by_label("栏目").select_option(label="通知公告")
    page.get_by_label("主题分类").select_option(label="综合政务")
    page.get_by_label("体裁").select_option(label="通知公告")
    page.get_by_label("发文字号").fill("明教发〔2026〕7号")
    page.get_by_label("正文").fill("各县（区）教育局：\n为提升政务公开工作水平，定于下月举办培训。\n咨询电话：0871-1234567。")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(re.compile(r"/workbench/e/\d+/$"))
    edition_url = page.url
    assert TITLE in page.content()
    page.get_by_role("button", name="送审").click()
    page.wait_for_load_state()
    assert "已送审" in page.content()

    for reviewer in staff.chain:
        login(page, base, reviewer.username)
        page.goto(f"{base}/workbench/")
        page.get_by_role("link", name=TITLE).first.click()
        page.wait_for_url(edition_url)
        page.get_by_role("button", name="审核通过").click()
        page.wait_for_load_state()
        assert "已审核通过" in page.content()

    doc = Document.objects.get(live_edition__title=TITLE)
    assert doc.index_number and doc.is_public
    page.context.clear_cookies()
    page.goto(f"{base}/{org_a.slug}/tzgg/")
    page.get_by_role("link", name=TITLE).click()
    page.wait_for_load_state()
    text = page.content()
    assert doc.index_number in text and "明教发〔2026〕7号" in text and "为提升政务公开工作水平" in text
    assert page.get_by_role("heading", name=TITLE).is_visible()
