"""Validation and text hygiene of 依申请公开 in the services (core/validators.py, core/text.py):
the public form, staff registration and the API all end in services.register, so a rule the form
alone checked could be bypassed by the staff page or a direct call."""

import json
from datetime import date, timedelta

import pytest
from django.core.cache import caches
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from helpers import new_user, valid_id

from yangguang.core import validators
from yangguang.core.errors import InvalidInput
from yangguang.core.models import AuditEvent
from yangguang.disclosure import services
from yangguang.disclosure.forms_public import ApplicationForm
from yangguang.disclosure.models import Application

pytestmark = pytest.mark.django_db

ID = valid_id("53010219880315123")
BAD_ID = ID[:17] + ("0" if ID[17] != "0" else "1")
CREDIT = "91350100M000100Y43"  # a published 统一社会信用代码 whose check character is right
RLO, PDF = "\u202e", "\u202c"


@pytest.fixture
def office(city):
    return new_user("v_gkb", city, "supervisor")


def staff_data(**over):
    return {"applicant_type": "natural", "applicant_name": "张三", "id_number": ID, "contact_phone": "13812345678",
            "description": "2025年本市义务教育阶段学校招生计划", "channel": "registered_mail",
            "received_date": date(2025, 9, 26), **over}


def refused(city, by, **over) -> str:
    before = (Application.objects.count(), AuditEvent.objects.count())
    with pytest.raises(InvalidInput) as exc:
        services.register(city, staff_data(**over), by=by)
    assert (Application.objects.count(), AuditEvent.objects.count()) == before
    return "\n".join(exc.value.details)


def test_staff_registration_refuses_a_date_before_the_regulation(city, office):
    details = refused(city, office, received_date=date(1900, 1, 1))
    assert "收到申请之日不能早于2008-05-01（《政府信息公开条例》施行之日）" in details
    app = services.register(city, staff_data(received_date=date(2008, 5, 1)), by=office)
    assert app.received_date == date(2008, 5, 1)


def test_staff_registration_refuses_a_future_date(city, office):
    details = refused(city, office, received_date=timezone.localdate() + timedelta(days=1))
    assert "收到申请之日不能晚于今天" in details


@pytest.mark.parametrize("bad", ["<script>x</script>", BAD_ID, "1234", ID[:-1]])
def test_staff_registration_refuses_a_bad_id_number(city, office, bad):
    assert "居民身份证号不正确" in refused(city, office, id_number=bad)


def test_organisations_give_a_credit_code_checked_by_gb_32100(city, office):
    wrong = CREDIT[:17] + ("0" if CREDIT[17] != "0" else "1")
    assert "统一社会信用代码不正确" in refused(city, office, applicant_type="business", id_number=wrong)
    # a person's ID number is not an organisation's code, nor the other way round
    assert "统一社会信用代码不正确" in refused(city, office, applicant_type="business", id_number=ID)
    assert "居民身份证号不正确" in refused(city, office, id_number=CREDIT)
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in CREDIT[:6]) + " " + CREDIT[6:].lower()
    app = services.register(city, staff_data(applicant_type="business", applicant_name="某某有限公司",
                                             id_number=full_width), by=office)
    assert app.id_number == CREDIT


def test_staff_registration_checks_phone_and_email(city, office):
    details = refused(city, office, contact_phone="1", contact_email="not-an-address")
    assert "联系电话格式不正确" in details and "电子邮箱格式不正确" in details
    assert "至少填写一种联系方式" in refused(city, office, contact_phone="", contact_email="", address="")
    # a letter may come with a postal address only
    app = services.register(city, staff_data(contact_phone="", address="明溪市某路1号"), by=office)
    assert app.address == "明溪市某路1号"


def test_an_online_application_needs_a_phone_or_email_for_tracking(city):
    with pytest.raises(InvalidInput) as exc:
        services.register(city, staff_data(channel="online", contact_phone="", address="明溪市某路1号"))
    assert "联系电话和电子邮箱至少填写一项" in "\n".join(exc.value.details)


def test_registered_text_is_cleaned_in_the_service(city, office):
    app = services.register(city, staff_data(
        applicant_name=f"张{RLO}三丰{PDF}", address="明溪市\x0b某路\x001号", doc_reference="某府发\t〔2025〕1号",
        description="第一行\x0b续\r\n第二行\x00", contact_phone="１３８ １２３４ ５６７８",
    ), by=office)
    app.refresh_from_db()
    assert app.applicant_name == "张三丰"
    assert app.address == "明溪市 某路1号"
    assert app.doc_reference == "某府发 〔2025〕1号"
    assert app.description == "第一行续\n第二行"
    assert app.contact_phone == "138 1234 5678"


def test_the_name_of_a_public_application_is_stored_without_a_bidi_override(client, city):
    caches["default"].clear()
    with override_settings(CACHES={
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "ratelimit": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "validation-tests"},
    }):
        caches["ratelimit"].clear()
        body = {"org": city.slug, "applicant_name": f"李{RLO}四五", "id_number": ID, "contact_phone": "13712345678",
                "description": f"某项目{RLO}的环评批复", "consent": True}
        r = Client().post("/api/v1/disclosure/applications", data=json.dumps(body), content_type="application/json")
    assert r.status_code == 201, r.content
    app = Application.objects.get()
    assert (app.applicant_name, app.description) == ("李四五", "某项目的环评批复")


def test_the_staff_page_shows_the_service_rules_on_their_fields(city, office):
    c = Client()
    c.force_login(office)
    r = c.post(reverse("applications:register"), {
        "channel": "registered_mail", "received_date": "1900-01-01", "applicant_type": "natural",
        "applicant_name": "张三", "id_number": "<script>x</script>", "contact_phone": "13812345678",
        "description": "某文件",
    })
    html = r.content.decode()
    assert r.status_code == 200 and Application.objects.count() == 0
    assert "不能早于2008-05-01" in html and "居民身份证号不正确" in html
    assert "<script>x</script>" not in html


def test_the_public_form_uses_the_same_messages_as_the_service(city, office):
    form = ApplicationForm({"org": city.pk, "applicant_type": "natural", "applicant_name": "张三", "id_number": BAD_ID,
                            "contact_phone": "1", "description": "某文件", "delivery_form": "electronic",
                            "delivery_route": "online", "consent": "on"})
    assert not form.is_valid()
    with pytest.raises(InvalidInput) as id_exc:
        validators.id_card(BAD_ID)
    with pytest.raises(InvalidInput) as phone_exc:
        validators.phone("1")
    assert form.errors["id_number"] == [id_exc.value.message]
    assert form.errors["contact_phone"] == [phone_exc.value.message]
    assert id_exc.value.message in refused(city, office, id_number=BAD_ID)


def test_free_text_of_the_handling_steps_is_cleaned(city, office):
    app = services.register(city, staff_data(), by=office)
    app = services.request_correction(app, office, on=date(2025, 9, 29), backdate_reason="补录", until=date(2025, 10, 20),
                                      items=f"请写明\x0b学校{RLO}名称\x00")
    event = app.clock_events.get()
    assert event.reason == "请写明学校名称"
    with pytest.raises(InvalidInput, match="须写明需要补正的事项"):
        services.request_correction(app, office, on=date(2025, 9, 29), backdate_reason="补录", until=date(2025, 10, 20), items="\x0b\x00")
    remedy = services.record_remedy(app, office, kind="reconsideration", filed_date=date(2025, 11, 3),
                                         note=f"申请人{RLO}不服\x07")
    assert remedy.note == "申请人不服"


def test_dates_of_handling_steps_are_not_before_the_regulation(city, office):
    app = services.register(city, staff_data(received_date=date(2008, 5, 1)), by=office)
    with pytest.raises(InvalidInput, match="不能早于2008-05-01"):
        services.record_remedy(app, office, kind="reconsideration", filed_date=date(2008, 5, 1),
                                    result="corrected", result_date=date(2008, 4, 30))


def test_validators_check_digits():
    assert validators.id_card(" 110105 19491231 002x ") == "11010519491231002X"  # GB 11643-1999 example
    for code in ("911100001000044477", "91110000100017643K", CREDIT):
        assert validators.credit_code(code) == code
    assert validators.identity_number(CREDIT, person=None) == CREDIT
    assert validators.identity_number(ID, person=None) == ID
    with pytest.raises(InvalidInput, match="身份证明号码不正确"):
        validators.identity_number("ABC", person=None)
    assert validators.check_date(None, "某日") is None
    with pytest.raises(InvalidInput, match="某日不是有效日期"):
        validators.check_date("2025-01-01", "某日")
