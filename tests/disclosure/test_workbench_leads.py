"""A workbench that leads (issue #14 items 3 and 4): each user sees the actions they may take, and
why an expected one is unavailable; labels, never codes; no preselected outcome; a confirmation
page showing the 答复书 before the case closes; the request text beside the reply; the messages
sent to the applicant on the case page."""

import html
import re
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from helpers import new_user

from yangguang.disclosure import services

pytestmark = pytest.mark.django_db
DESCRIPTION = "2025年本市义务教育阶段学校招生划片方案（含各学区边界）"


@pytest.fixture(autouse=True)
def _private(settings, tmp_path):
    settings.PRIVATE_STORAGE_DIR = tmp_path


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def office(city):
    return new_user("wb_gkb", city, "supervisor")


def register(city, received=None, **over):
    data = {
        "applicant_type": "natural", "applicant_name": "刘芳", "contact_phone": "13512340002",
        "contact_email": "liufang@example.com", "description": DESCRIPTION, "channel": "online",
        "received_date": received or timezone.localdate(), "delivery_form": "electronic", "delivery_route": "email",
    }
    data.update(over)
    return services.register(city, data)


def page(user, app) -> str:
    r = client_for(user).get(reverse("applications:detail", args=[app.pk]))
    assert r.status_code == 200
    return r.content.decode()


def aside(text: str) -> str:
    return text[text.index('aria-labelledby="act-title"'):]


def test_a_handler_is_not_offered_distribution_and_is_told_why(city, office):
    app = services.accept(register(city), office)
    handler = new_user("wb_cb", city, "handler")
    text = page(handler, app)
    assert reverse("applications:act", args=[app.pk, "assign"]) not in text
    assert "暂不能办理" in text and "只有受理机关的政务公开办可以分办申请。" in aside(text)
    # the office is offered the form
    assert reverse("applications:act", args=[app.pk, "assign"]) in page(office, app)


def test_the_principal_is_told_what_is_theirs(city, office):
    app = services.accept(register(city), office)
    principal = new_user("wb_zy", city, "principal")
    box = aside(page(principal, app))
    assert "延期由您批准或驳回" in box and "受理、分办和答复由政务公开办和承办人办理" in box
    assert reverse("applications:act", args=[app.pk, "assign"]) not in box


def test_an_overdue_case_offers_no_deadline_moving_action_and_says_why(city, office, org_a):
    handler = new_user("wb_cb2", org_a, "handler")
    app = services.assign(services.accept(register(city, received=date(2025, 9, 26)), office), office, org_a, handler)
    text = page(handler, app)
    assert reverse("applications:act", args=[app.pk, "start_consultation"]) not in text
    assert reverse("applications:act", args=[app.pk, "fee_notice"]) not in text
    assert "答复期限已于2025-10-30届满" in aside(text)
    consulting = services.assign(services.accept(register(city), office), office, org_a, handler)
    consulting = services.start_consultation(consulting, handler, on=timezone.localdate(), party="某学校")
    assert "正在征求第三方意见：第三方答复或期满、结束征求意见后才能答复" in aside(page(handler, consulting))


def test_labels_not_codes(city, office):
    app = services.accept(register(city), office)
    text = page(office, app)
    assert "电子文档 · 电子邮件" in text and "electronic" not in text and "· email" not in text
    assert "application." not in text and "登记申请" in text


def test_reply_form_has_no_preselected_answer_and_shows_the_request_beside_it(city, office):
    app = services.accept(register(city), office)
    text = page(office, app)
    panel = text[text.index('id="reply"'):text.index('aria-labelledby="info-title"')]
    assert DESCRIPTION in panel and "request-quote" in panel  # the request text in the reply panel
    for name in ("reply_type", "outcome"):
        select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', panel, re.S)
        assert select and "required" in select.group(0)
        options = re.findall(r"<option[^>]*>", select.group(1))
        assert options[0] == '<option value="">' and not any("selected" in o for o in options)
    assert "（一）予以公开" in panel and ">1 予以公开<" not in panel  # row labels, not codes


def test_closing_goes_through_a_confirmation_page_showing_the_letter(city, office):
    app = services.accept(register(city), office)
    c = client_for(office)
    url = reverse("applications:reply", args=[app.pk])
    values = {"reply_type": "disclose", "outcome": "1", "on": timezone.localdate().isoformat(),
              "reason": "请于工作日到本机关政务公开窗口领取"}
    r = c.post(url, values)
    assert r.status_code == 200
    confirm = r.content.decode()
    assert "答复书预览" in confirm and "请于工作日到本机关政务公开窗口领取。" in confirm
    assert f"日内向{city.name}的上一级人民政府申请行政复议" in html.unescape(confirm)  # top of the tree: described
    assert 'name="confirm" value="1"' in confirm
    app.refresh_from_db()
    assert app.state == "accepted" and not app.letters.filter(kind="reply").exists()
    # the old one-click path goes through the same page
    r = c.post(reverse("applications:act", args=[app.pk, "reply"]), values)
    assert "答复书预览" in r.content.decode()
    app.refresh_from_db()
    assert app.state == "accepted"
    # back to edit keeps what was typed
    r = c.post(url, {**values, "edit": "1"})
    assert r.status_code == 200 and "请于工作日到本机关政务公开窗口领取</textarea>" in r.content.decode()
    # confirmed: closed and the letter issued
    r = c.post(url, {**values, "confirm": "1"}, follow=True)
    app.refresh_from_db()
    assert app.state == "closed" and app.letters.filter(kind="reply").count() == 1
    assert "已答复并办结" in r.content.decode()


def test_a_reply_problem_keeps_the_form_and_says_what_is_missing(city, office):
    app = services.accept(register(city), office)
    r = client_for(office).post(reverse("applications:reply", args=[app.pk]),
                                {"reply_type": "partial", "outcome": "2", "on": timezone.localdate().isoformat(),
                                 "index_number": "", "reason": ""})
    text = r.content.decode()
    assert r.status_code == 400 and "须写明不予公开部分的理由" in text
    assert '<option value="partial" selected>' in text


def test_the_case_page_lists_the_messages_sent_to_the_applicant(city, office):
    app = services.accept(register(city, received=timezone.localdate() - timedelta(days=0)), office)
    text = page(office, app)
    section = text[text.index('id="messages-title"'):text.index('id="remedy-title"')]
    assert "给申请人的通知" in section and "已收到申请" in section
    assert "电子邮件" in section and "短信" in section
    assert "liufang@example.com" not in section and "13512340002" not in section  # masked
