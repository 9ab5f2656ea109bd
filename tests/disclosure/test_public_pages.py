"""The citizen side of 依申请公开: apply, receipt, tracking, status, withdrawal, abuse limits."""

import re
from datetime import date

import pytest
from django.core.cache import caches
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from helpers import new_org, new_user, valid_id

from yangguang.core.models import AuditEvent
from yangguang.core.screening import mask_id_card
from yangguang.disclosure import law, services
from yangguang.disclosure.models import TRACKING_ALPHABET, Application
from yangguang.orgs.codes import make_credit_code

pytestmark = pytest.mark.django_db

ID = valid_id("53010219880315123")
ID_MASKED = mask_id_card(ID)
BAD_ID = ID[:17] + ("0" if ID[17] != "0" else "1")
PHONE = "13812345678"
MISMATCH = "查询码或联系方式不正确"
LOCMEM = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "test-default"},
    "ratelimit": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "test-ratelimit"},
}


@pytest.fixture(autouse=True)
def _fresh_limits():
    """Every test counts from zero, in a cache of its own (LocMem stands in for the database cache)."""
    with override_settings(CACHES=LOCMEM):
        caches["ratelimit"].clear()
        yield
        caches["ratelimit"].clear()


def form_data(to, **over):
    data = {
        "org": str(to.pk), "applicant_type": "natural", "applicant_name": "张小三", "id_number": ID,
        "contact_phone": PHONE, "contact_email": "", "address": "",
        "description": "2025年本市义务教育阶段学校招生计划", "doc_reference": "",
        "delivery_form": "electronic", "delivery_route": "online", "consent": "on",
    }
    data.update(over)
    return {k: v for k, v in data.items() if v is not None}


def submit(client, to, **over):
    return client.post(reverse("apply:apply"), form_data(to, **over))


def text(response) -> str:
    return response.content.decode()


def track(client, code, contact, ip="127.0.0.1"):
    return client.post(reverse("apply:track"), {"code": code, "contact": contact}, REMOTE_ADDR=ip)


def assert_one_h1(html):
    assert len(re.findall(r"<h1[\s>]", html)) == 1


# --- applying and the receipt ---------------------------------------------------------------------


def test_valid_application_gives_receipt_with_code_and_dates(client, city):
    response = submit(client, city)
    assert response.status_code == 302 and response["Location"] == reverse("apply:receipt")
    app = Application.objects.get()
    today = timezone.localdate()
    assert (app.channel, app.received_date, app.registered_by, app.id_number) == ("online", today, None, ID)
    assert (app.delivery_form, app.delivery_route) == ("electronic", "online")

    html = text(client.get(reverse("apply:receipt")))
    due = services.clock_of(app).due
    assert app.number in html
    shown = "".join(re.findall(r'<span class="code-group">([^<]+)</span>', html))
    assert shown == app.tracking_code
    assert today.strftime("%Y-%m-%d") in html and "收到申请之日" in html
    assert str(law.RECEIPT_RULE[law.Channel.ONLINE]) in html
    assert f"法定答复期限：<strong><time datetime=\"{due:%Y-%m-%d}\">" in html
    assert "请妥善保存查询码" in html
    assert ID not in html and ID_MASKED in html and "张*三" in html and "张小三" not in html
    assert_one_h1(html)


def test_full_tracking_code_is_shown_once(client, city):
    submit(client, city)
    code = Application.objects.get().tracking_code
    first, again = text(client.get(reverse("apply:receipt"))), text(client.get(reverse("apply:receipt")))
    assert code[4:8] in "".join(re.findall(r'code-group">([^<]+)<', first))
    shown_again = "".join(re.findall(r'code-group">([^<]+)<', again))
    assert shown_again == code[:4] + "*" * 12
    assert "只在提交后完整显示一次" in again


def test_receipt_and_pages_are_not_cached(client, city):
    submit(client, city)
    assert "no-store" in client.get(reverse("apply:receipt"))["Cache-Control"]


def test_form_page(client, city):
    response = client.get(reverse("apply:apply") + f"?org={city.slug}")
    html = text(response)
    assert response.status_code == 200
    assert f'<option value="{city.pk}" selected>' in html
    assert "本人承诺所填信息真实" in html and '<label for="id_id_number">' in html
    assert '<optgroup label="法人或其他组织">' in html
    assert_one_h1(html)


@pytest.mark.parametrize(("over", "field", "message"), [
    ({"id_number": BAD_ID}, "id_number", "居民身份证号不正确"),
    ({"contact_phone": "", "contact_email": ""}, "contact_phone", "联系电话和电子邮箱至少填写一项"),
    ({"description": "   "}, "description", "请填写所需政府信息的名称或描述"),
    ({"consent": None}, "consent", "请勾选“本人承诺所填信息真实”"),
    ({"applicant_type": "business"}, "id_number", "统一社会信用代码不正确"),
    ({"contact_phone": "abc"}, "contact_phone", "联系电话格式不正确"),
    ({"delivery_route": "mail"}, "address", "选择邮寄的，请填写通信地址"),
    ({"delivery_route": None}, "delivery_route", "请选择获取信息的途径"),
    ({"org": "999999"}, "org", "所选机关不存在"),
])
def test_invalid_input_gives_chinese_errors_and_writes_nothing(client, city, over, field, message):
    before = AuditEvent.objects.count()
    response = submit(client, city, **over)
    html = text(response)
    assert response.status_code == 400
    assert message in html
    # the error is linked to its field, and listed in the summary with a link to it
    assert f'id="id_{field}_error"' in html
    assert f'href="#id_{field}' in html
    assert Application.objects.count() == 0 and AuditEvent.objects.count() == before
    assert client.get(reverse("apply:receipt")).status_code == 404
    assert_one_h1(html)


def test_organization_applicant_with_credit_code(client, city):
    code = make_credit_code("91530100MA6K12345")
    assert submit(client, city, applicant_type="research", applicant_name="某某研究院", id_number=code,
                  contact_phone="", contact_email="Office@Example.com", delivery_route="email").status_code == 302
    app = Application.objects.get()
    assert (app.applicant_type, app.id_number, app.contact_email) == ("research", code, "Office@Example.com")


def test_full_width_input_is_normalised(client, city):
    full_width = ID.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))
    assert submit(client, city, id_number=full_width, contact_phone="１３８ １２３４ ５６７８").status_code == 302
    assert Application.objects.get().id_number == ID


# --- tracking and the status page -------------------------------------------------------------------


def _filed(client, city, **over) -> Application:
    assert submit(client, city, **over).status_code == 302
    return Application.objects.order_by("-id").first()


def test_tracking_with_code_and_phone_opens_status(client, city):
    app = _filed(client, city)
    other = Client()
    spaced = " ".join(app.tracking_code[i:i + 4] for i in range(0, 16, 4)).lower()
    response = track(other, spaced, "138-1234 5678")
    assert response.status_code == 302 and response["Location"] == reverse("apply:status", args=[app.pk])
    html = text(other.get(response["Location"]))
    assert app.number in html and "已收到" in html
    assert f"{services.clock_of(app).due:%Y-%m-%d}" in html
    assert "自" in html and "条例第33条第二款" in html  # the clock explanation lines
    assert ID not in html and ID_MASKED in html and "张*三" in html
    assert app.tracking_code not in html
    assert_one_h1(html)


def test_tracking_with_email_ignores_case(client, city):
    app = _filed(client, city, contact_phone="", contact_email="Zhang.San@Example.com")
    assert track(Client(), app.tracking_code, "zhang.san@example.COM ").status_code == 302


@pytest.mark.parametrize("wrong", ["phone", "code", "both", "email_of_nobody"])
def test_wrong_code_or_contact_gives_one_generic_message(client, city, wrong):
    app = _filed(client, city)
    code = app.tracking_code
    other_code = next(c for c in ("A" * 16, "B" * 16) if c != code)
    code, contact = {
        "phone": (code, "13900000000"), "code": (other_code, PHONE), "both": (other_code, "13900000000"),
        "email_of_nobody": (code, "someone@example.com"),
    }[wrong]
    other = Client()
    response = track(other, code, contact)
    html = text(response)
    assert response.status_code == 400 and MISMATCH in html
    assert "联系方式不正确。" in html and "查询码不存在" not in html and "电话不正确" not in html
    assert other.get(reverse("apply:status", args=[app.pk])).status_code == 404


def test_code_alone_is_not_enough(client, city):
    app = _filed(client, city, contact_phone="", contact_email="a@example.com")
    # no phone was given: an empty or made-up phone must not match the empty stored phone
    response = track(Client(), app.tracking_code, "-")
    assert response.status_code == 400


def test_other_session_cannot_see_receipt_or_status(client, city):
    app = _filed(client, city)
    assert track(client, app.tracking_code, PHONE).status_code == 302
    assert client.get(reverse("apply:status", args=[app.pk])).status_code == 200
    stranger = Client()
    assert stranger.get(reverse("apply:receipt")).status_code == 404
    assert stranger.get(reverse("apply:status", args=[app.pk])).status_code == 404
    assert stranger.post(reverse("apply:withdraw", args=[app.pk]), {"confirm": "1"}).status_code == 404
    app.refresh_from_db()
    assert app.state == "received"


def test_verifying_one_application_does_not_open_another(client, city):
    mine = _filed(client, city)
    theirs = _filed(Client(), city, contact_phone="13700000000")
    assert track(client, mine.tracking_code, PHONE).status_code == 302
    assert client.get(reverse("apply:status", args=[theirs.pk])).status_code == 404


def test_status_while_waiting_for_correction(client, city):
    app = services.register(city, {
        "applicant_type": "natural", "applicant_name": "李四", "id_number": ID, "contact_phone": PHONE,
        "description": "某文件", "channel": "online", "received_date": date(2025, 9, 26),
    })
    office = new_user("gkb_corr", city, "supervisor")
    services.request_correction(app, office, on=date(2025, 9, 30), backdate_reason="补录", until=date(2025, 10, 20), items="写明文件名称")
    assert track(client, app.tracking_code, PHONE).status_code == 302
    html = text(client.get(reverse("apply:status", args=[app.pk])))
    assert "待补正" in html and "收到补正后" in html and ID not in html and "李*" in html


def test_no_public_page_shows_the_full_id_number(client, city):
    app = _filed(client, city)
    pages = [client.get(reverse("apply:receipt")), client.get(reverse("apply:receipt"))]
    track(client, app.tracking_code, PHONE)
    pages.append(client.get(reverse("apply:status", args=[app.pk])))
    client.post(reverse("apply:withdraw", args=[app.pk]), {"confirm": "1"})
    pages.append(client.get(reverse("apply:status", args=[app.pk])))
    pages += [client.get(reverse("apply:track")), client.get(reverse("apply:apply"))]
    for page in pages:
        html = text(page)
        assert page.status_code == 200
        assert ID not in html and ID.lower() not in html
    for page in pages[:4]:
        assert ID_MASKED in text(page)


# --- withdrawal ---------------------------------------------------------------------------------------


def test_withdrawal_closes_with_outcome_6_3(client, city):
    app = _filed(client, city)
    track(client, app.tracking_code, PHONE)
    url = reverse("apply:withdraw", args=[app.pk])
    assert client.get(url).status_code == 405
    # without ticking the confirmation nothing happens
    assert "请先勾选" in text(client.post(url, {}, follow=True))
    app.refresh_from_db()
    assert app.state == "received"
    response = client.post(url, {"confirm": "1"}, follow=True)
    app.refresh_from_db()
    assert (app.state, app.outcome, app.closed_date) == ("closed", "6.3", timezone.localdate())
    html = text(response)
    assert "您的申请已撤回" in html and "已办结" in html and "（六）其他处理 · 其他" in html
    assert "确认撤回本申请" not in html  # no withdraw button once closed
    assert AuditEvent.objects.filter(action="application.withdraw").count() == 1
    # a second withdrawal is refused with a message, not an error page
    assert "不能撤回" in text(client.post(url, {"confirm": "1"}, follow=True))


# --- abuse limits ---------------------------------------------------------------------------------------


def test_apply_limited_to_five_per_hour_per_ip(client, city):
    for _ in range(5):
        assert submit(client, city).status_code == 302
    response = submit(client, city)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    html = text(response)
    assert "操作过于频繁" in html and "分钟后" in html
    assert_one_h1(html)
    assert Application.objects.count() == 5
    # another address is not affected
    assert client.post(reverse("apply:apply"), form_data(city), REMOTE_ADDR="10.0.0.2").status_code == 302


def test_invalid_submissions_do_not_use_up_the_apply_limit(client, city):
    for _ in range(8):
        assert submit(client, city, description="").status_code == 400
    assert submit(client, city).status_code == 302


def test_track_limited_to_ten_per_ten_minutes_per_ip(client, city):
    app = _filed(client, city)
    for _ in range(10):
        assert track(client, "A" * 16, PHONE).status_code == 400
    assert track(client, app.tracking_code, PHONE).status_code == 429  # even the right answer now
    assert track(client, app.tracking_code, PHONE, ip="10.0.0.9").status_code == 302


@override_settings(YANGGUANG_RATE_LIMITS={"track_ip": (100, 600)})
def test_track_limited_to_twenty_per_hour_per_code_and_client(client, city):
    app = _filed(client, city)
    stranger = Client()
    for _ in range(20):
        assert track(stranger, app.tracking_code, "13900000000", ip="10.0.0.66").status_code == 400
    # the stranger is stopped for this code, even with the right answer ...
    assert track(stranger, app.tracking_code, PHONE, ip="10.0.0.66").status_code == 429
    # ... and normalised, so spaces or lower case do not get around it
    assert track(stranger, app.tracking_code.lower(), PHONE, ip="10.0.0.66").status_code == 429
    # but he cannot lock the applicant out: the limit is per (code, client)
    assert track(Client(), app.tracking_code, PHONE, ip="10.1.0.1").status_code == 302


# --- tracking codes -----------------------------------------------------------------------------------


def test_tracking_codes_are_long_unambiguous_and_distinct():
    org = new_org("测试县", "county", "county")
    codes = set()
    for i in range(200):
        app = services.register(org, {
            "applicant_type": "natural", "applicant_name": f"申请人{i}", "contact_phone": PHONE,
            "description": "某信息", "channel": "online", "received_date": timezone.localdate(),
        })
        assert len(app.tracking_code) == 16 and set(app.tracking_code) <= set(TRACKING_ALPHABET)
        codes.add(app.tracking_code)
    assert len(codes) == 200
    assert not set("01ILO") & set(TRACKING_ALPHABET)


# --- small pieces ----------------------------------------------------------------------------------------


def test_contact_and_code_normalisation():
    from yangguang.disclosure.forms_public import normalise_contact, normalise_tracking_code

    assert normalise_contact(" +86 138-1234-5678 ") == normalise_contact("13812345678") == "13812345678"
    assert normalise_contact("（0871）6512-3456") == "087165123456"
    assert normalise_contact("Zhang@Example.COM") == "zhang@example.com"
    assert normalise_tracking_code("abcd-efgh ｊｋｍｎ pqrs") == "ABCDEFGHJKMNPQRS"


def test_outcome_text_does_not_repeat_the_row():
    from yangguang.disclosure.law import outcome_text as _outcome_text

    assert _outcome_text("1") == "（一）予以公开"
    assert _outcome_text("5.2") == "（五）不予处理 · 重复申请"
    assert _outcome_text("6.3") == "（六）其他处理 · 其他"
    assert _outcome_text("") == ""


def test_limiter_windows_and_keys(monkeypatch):
    from yangguang.disclosure import ratelimit

    now = [1_000_000.0]
    monkeypatch.setattr(ratelimit.time, "time", lambda: now[0])
    for _ in range(10):
        assert ratelimit.hit("track_ip", "192.0.2.1").allowed
    refused = ratelimit.hit("track_ip", "192.0.2.1")
    assert not refused.allowed and 0 < refused.retry_after <= 600
    assert not ratelimit.peek("track_ip", "192.0.2.1").allowed
    assert ratelimit.hit("track_ip", "192.0.2.2").allowed  # another address
    now[0] += refused.retry_after  # the next window
    assert ratelimit.hit("track_ip", "192.0.2.1").allowed
    # the cache holds hashes, not the identifiers themselves
    from yangguang.core import ratelimit as mechanism  # the window keys are made there

    key, _ = mechanism._key(ratelimit.rule("track_code"), "ABCDEFGHJKMNPQRS", now[0])
    assert "ABCDEFGHJKMNPQRS" not in key


@override_settings(YANGGUANG_RATE_LIMITS={"apply_ip": (1, 60)})
def test_limits_can_be_set_by_the_deployment(client, city):
    assert submit(client, city).status_code == 302
    assert submit(client, city).status_code == 429
