"""依申请公开 end to end in real Chromium: apply, correction via the tracking page, consultation,
a 部分公开 reply confirmed on the page that shows the letter, and the applicant downloading the
reply letter as .docx and .pdf."""

import io
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from docx import Document as Docx
from helpers import PASSWORD, new_user, valid_id
from pypdf import PdfReader

from yangguang.core.models import OutboundMessage
from yangguang.disclosure.models import Application

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def staff_login(page, base, username):
    page.goto(f"{base}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/workbench/"))


def act(page, action, fields=None):
    form = page.locator(f"form[action$='/act/{action}/']")
    summary = form.locator("xpath=ancestor::details[1]/summary")
    if summary.count() and not form.is_visible():
        summary.click()
    for label, value in (fields or {}).items():
        form.get_by_label(label).fill(value)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "已办理" in page.content(), page.locator(".messages").inner_text()


def test_apply_correct_consult_partial_reply(live_server, browser, city):
    office = new_user("flow_gkb", city, "supervisor")
    new_user("flow_cb", city, "handler")
    base = live_server.url
    citizen = browser.new_context(locale="zh-CN").new_page()
    clerk = browser.new_context(locale="zh-CN").new_page()
    id_number = valid_id("11010519800101001")

    citizen.goto(f"{base}/apply/?org={city.slug}")
    citizen.get_by_label("姓名或名称").fill("王小明")
    citizen.get_by_label("身份证明号码").fill(id_number)
    citizen.get_by_label("联系电话").fill("13912345678")
    citizen.get_by_label("电子邮箱").fill("wangxm@example.com")
    citizen.get_by_label("所需信息的名称或描述").fill("2025年本市老旧小区改造项目清单")
    citizen.get_by_label("电子文档").check()
    citizen.get_by_label("在线查看").check()
    citizen.get_by_label("本人承诺所填信息真实").check()
    citizen.get_by_role("button", name="提交申请").click()
    citizen.wait_for_url(re.compile(r"/apply/receipt/"))
    app = Application.objects.get()
    receipt = citizen.content()
    assert app.number in receipt and app.tracking_code[:4] in receipt and id_number not in receipt
    # the applicant is told by e-mail (and SMS): the receipt message is in the outbox for this case
    told = OutboundMessage.objects.filter(object_id=str(app.pk), kind="disclosure.received")
    assert set(told.values_list("channel", "recipient")) == {("email", "wangxm@example.com"), ("sms", "13912345678")}

    staff_login(clerk, base, office.username)
    clerk.goto(f"{base}/workbench/applications/")
    clerk.get_by_role("link", name=app.number).click()
    until = (timezone.localdate() + timedelta(days=15)).isoformat()
    act(clerk, "request_correction", {"补正期限": until, "需要补正的事项": "请写明具体小区或街道。"})

    citizen.goto(f"{base}/apply/track/")
    citizen.get_by_label("查询码").fill(app.tracking_code)
    citizen.get_by_label("联系电话或电子邮箱").fill("13912345678")
    citizen.get_by_role("button", name="查询").click()
    citizen.wait_for_url(re.compile(r"/apply/status/\d+/"))
    assert "待补正" in citizen.content()
    assert "需要补正的事项：请写明具体小区或街道" in citizen.locator("#correction-items").inner_text()
    citizen.get_by_label("补正后的申请内容").fill("河东区东风街道辖区内的老旧小区改造项目清单")
    citizen.get_by_role("button", name="提交补正").click()
    citizen.wait_for_load_state()
    assert "补正已提交" in citizen.content()

    clerk.reload()  # the correction received online accepts the application (条例第30条)
    assert "已受理" in clerk.content()
    act(clerk, "assign")
    act(clerk, "start_consultation", {"第三方": "明溪市某物业服务有限公司"})
    act(clerk, "end_consultation")
    form = clerk.locator("#reply-form")
    form.get_by_label("答复类型（条例第36、37条）").select_option("partial")
    assert form.get_by_label("办理结果（年报表三）").input_value() == "2"  # the only outcome of 部分公开
    form.get_by_label("理由或获取途径（写入答复书）").fill("涉及第三方商业信息的部分不予公开。")
    form.get_by_role("button", name="预览答复书并确认").click()
    clerk.wait_for_load_state()
    app.refresh_from_db()
    assert app.state == "assigned" and "涉及第三方商业信息的部分不予公开。" in clerk.locator("#letter-preview").inner_text()
    clerk.get_by_role("button", name="确认答复并签发答复书").click()
    clerk.wait_for_load_state()
    app.refresh_from_db()
    assert app.state == "closed" and app.outcome == "2"
    assert "已答复并办结" in clerk.content()

    citizen.reload()
    assert "政府信息公开申请答复书" in citizen.content()
    with citizen.expect_download() as info:
        citizen.get_by_role("link", name="下载政府信息公开申请答复书 PDF").click()
    pdf = PdfReader(io.BytesIO(open(info.value.path(), "rb").read()))
    text = "".join(p.extract_text() for p in pdf.pages)
    assert "第三十七条" in text.replace(" ", "") and "王小明" in text
    with citizen.expect_download() as info:
        citizen.get_by_role("link", name="下载政府信息公开申请答复书 Word").click()
    body = "\n".join(p.text for p in Docx(io.BytesIO(open(info.value.path(), "rb").read())).paragraphs)
    assert "涉及第三方商业信息的部分不予公开" in body and "行政复议" in body


def test_reply_form_offers_only_consistent_outcomes(live_server, browser, city):
    from yangguang.disclosure import services

    office = new_user("pair_gkb", city, "supervisor")
    app = services.register(city, {
        "applicant_type": "natural", "applicant_name": "测试", "contact_phone": "13812345678",
        "description": "某信息", "channel": "online", "received_date": timezone.localdate(),
    })
    services.assign(services.accept(app, office), office, city)
    page = browser.new_context(locale="zh-CN").new_page()
    staff_login(page, live_server.url, office.username)
    page.goto(f"{live_server.url}/workbench/applications/{app.pk}/")
    assert page.locator("#r-type").input_value() == "" and page.locator("#r-out").input_value() == ""
    page.get_by_label("答复类型（条例第36、37条）").select_option("refuse")
    enabled = page.locator("#r-out option:not([disabled])").evaluate_all("os => os.map(o => o.value)")
    assert enabled == ["", "3.1", "3.2", "3.3", "3.4", "3.5", "3.6", "3.7", "3.8"]
    assert page.locator("#r-out").input_value() == ""  # eight grounds: the handler chooses, none preselected
    page.get_by_label("答复类型（条例第36、37条）").select_option("partial")
    assert page.locator("#r-out").input_value() == "2"
