"""延期: the handler requests, the head of the disclosure office approves or refuses (条例第33条第二款);
the 延期答复告知书 comes with the approval; the case page, the status page and the staff API
(issue #14, items 3–5)."""

import io
import json
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from docx import Document as Docx
from helpers import new_user
from pypdf import PdfReader

from yangguang.core.errors import IllegalTransition, InvalidInput, NotAllowed
from yangguang.core.models import AuditEvent
from yangguang.core.workdays import Calendar
from yangguang.disclosure import services
from yangguang.disclosure.models import ClockEvent, ExtensionRequest, Letter
from yangguang.disclosure.services import extension as ext

pytestmark = pytest.mark.django_db

D = date
RECEIVED, DUE, LATE_DAY = D(2026, 10, 28), D(2026, 11, 25), D(2026, 12, 2)
REAL_LOCALDATE = timezone.localdate


@pytest.fixture
def today(monkeypatch):
    def set_today(day: date) -> date:
        monkeypatch.setattr(timezone, "localdate", lambda value=None, tz=None: day if value is None
                            else REAL_LOCALDATE(value, tz))
        return day

    return set_today


@pytest.fixture(autouse=True)
def _letters_in_tmp(settings, tmp_path):
    settings.PRIVATE_STORAGE_DIR = tmp_path


@pytest.fixture
def office(city):
    return new_user("e_gkb", city, "supervisor")


@pytest.fixture
def handler(org_a):
    return new_user("e_cb", org_a, "handler")


@pytest.fixture
def app(city, org_a, office, handler, today):
    today(D(2026, 11, 2))
    a = services.register(city, {
        "applicant_type": "natural", "applicant_name": "孙七", "contact_phone": "13812345678",
        "description": "某道路改造工程的招标文件", "channel": "online", "received_date": RECEIVED,
    })
    return services.assign(services.accept(a, office), office, org_a, handler)


def actions(app) -> list[str]:
    return list(AuditEvent.objects.filter(object_type="disclosure.application", object_id=str(app.pk))
                .values_list("action", flat=True))


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_request_then_approval_extends_and_issues_the_letter(app, office, handler, today):
    today(D(2026, 11, 20))
    before = actions(app)
    ask = ext.request_extension(app, handler, days=15, reason="需调取多个部门的档案")
    assert ask.state == ExtensionRequest.State.REQUESTED
    assert actions(app)[len(before):] == ["application.extension_request"]
    assert services.clock_of(app).due == DUE  # nothing moves until approved
    with pytest.raises(NotAllowed):
        ext.approve_extension_request(ask, handler)
    with pytest.raises(IllegalTransition, match="待审批"):
        ext.request_extension(app, handler, days=5, reason="再申请")
    today(D(2026, 11, 23))
    letters_before = AuditEvent.objects.filter(action="letter.issue").count()
    ask = ext.approve_extension_request(ask, office, comment="同意")
    assert ask.state == ExtensionRequest.State.APPROVED and ask.decided_on == D(2026, 11, 23)
    assert ask.event.kind == ClockEvent.Kind.EXTENSION and ask.event.approved_by == office
    assert ask.event.actor == handler and ask.event.days == 15
    new_due = Calendar.from_db().add_working_days(DUE, 15).date
    assert services.clock_of(app).due == new_due
    assert actions(app)[-1] == "application.extend"  # one audit event for approval and letter
    assert AuditEvent.objects.filter(action="letter.issue").count() == letters_before
    letter = ask.letter
    assert letter.kind == Letter.Kind.EXTENSION
    assert AuditEvent.objects.get(action="application.extend").data["letter"]["number"] == letter.number
    with pytest.raises(IllegalTransition):
        ext.refuse_extension_request(ask, office, reason="晚了")  # approved is final (state table)
    c = client_for(handler)
    page = c.get(reverse("applications:detail", args=[app.pk])).content.decode()
    assert letter.number in page and "已批准" in page
    r = c.get(reverse("applications:letter_file", args=[app.pk, letter.pk, "docx"]))
    text = "\n".join(p.text for p in Docx(io.BytesIO(b"".join(r.streaming_content))).paragraphs)
    assert "延期答复告知书" in text and "需调取多个部门的档案" in text and "15个工作日" in text
    assert f"{new_due.year}年{new_due.month}月{new_due.day}日" in text and "第三十三条第二款" in text
    r = c.get(reverse("applications:letter_file", args=[app.pk, letter.pk, "pdf"]))
    pdf_text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(b"".join(r.streaming_content))).pages)
    assert "延期答复告知书" in pdf_text.replace(" ", "")


def test_status_page_lists_the_letter_for_the_verified_applicant(app, office, handler, today):
    today(D(2026, 11, 20))
    ask = ext.approve_extension_request(ext.request_extension(app, handler, days=10, reason="需调取档案"), office)
    public = Client()
    url = reverse("apply:status", args=[app.pk])
    assert public.get(url).status_code == 404  # not verified in this session
    session = public.session
    session["apply_verified"] = [app.pk]
    session.save()
    page = public.get(url).content.decode()
    assert "延期答复告知书" in page and ask.letter.number in page
    r = public.get(reverse("apply:letter", args=[app.pk, ask.letter.pk, "pdf"]))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"


def test_refusal_keeps_the_deadline_and_needs_a_reason(app, office, handler, today):
    today(D(2026, 11, 20))
    ask = ext.request_extension(app, handler, days=10, reason="需调取档案")
    with pytest.raises(InvalidInput, match="驳回理由"):
        ext.refuse_extension_request(ask, office, reason=" ")
    ask = ext.refuse_extension_request(ask, office, reason="可以按期答复")
    assert ask.state == ExtensionRequest.State.REFUSED and ask.decision_comment == "可以按期答复"
    assert services.clock_of(app).due == DUE and actions(app)[-1] == "application.extension_refuse"
    with pytest.raises(IllegalTransition):
        ext.approve_extension_request(ask, office)
    assert not Letter.objects.filter(application=app, kind=Letter.Kind.EXTENSION).exists()


def test_who_may_request_and_decide(app, city, org_a, office, handler, today):
    today(D(2026, 11, 20))
    with pytest.raises(NotAllowed):
        ext.request_extension(app, new_user("e_clerk", org_a, "clerk"), days=5, reason="理由")
    ask = ext.request_extension(app, handler, days=5, reason="理由")
    for outsider in (new_user("e_dept_head", org_a, "principal"), new_user("e_city_clerk", city, "clerk")):
        with pytest.raises(NotAllowed):  # the receiving org's 政务公开办 or 主要领导 only
            ext.approve_extension_request(ask, outsider)
    assert ext.approve_extension_request(ask, new_user("e_city_zy", city, "principal")).state == "approved"


def test_days_are_limited_to_twenty_in_total(app, office, handler, today):
    today(D(2026, 11, 20))
    with pytest.raises(InvalidInput, match="20个工作日"):
        ext.request_extension(app, handler, days=21, reason="理由")
    ext.approve_extension_request(ext.request_extension(app, handler, days=15, reason="理由"), office)
    with pytest.raises(InvalidInput, match="已延长15个工作日"):
        ext.request_extension(app, handler, days=6, reason="理由")


def test_a_pending_request_cannot_be_approved_once_the_deadline_passed(app, office, handler, today):
    today(D(2026, 11, 24))
    ask = ext.request_extension(app, handler, days=10, reason="需调取档案")
    today(LATE_DAY)
    with pytest.raises(IllegalTransition, match="2026-11-25"):
        ext.approve_extension_request(ask, office)
    assert ExtensionRequest.objects.get(pk=ask.pk).state == "requested" and not ClockEvent.objects.exists()
    with pytest.raises(IllegalTransition, match="超期"):
        ext.request_extension(app, handler, days=5, reason="理由")  # and no new request either
    page = client_for(office).get(reverse("applications:detail", args=[app.pk])).content.decode()
    assert "不能批准：" in page and "2026-11-25" in page and "驳回延期申请" in page
    assert "act/approve_extension/" not in page


def test_case_page_leads_each_role(app, city, office, handler, today):
    today(D(2026, 11, 20))
    page = client_for(handler).get(reverse("applications:detail", args=[app.pk])).content.decode()
    assert "申请延期" in page and "act/request_extension/" in page and "act/approve_extension/" not in page
    r = client_for(handler).post(reverse("applications:act", args=[app.pk, "request_extension"]),
                                 {"days": "10", "reason": "需调取档案"}, follow=True)
    assert "已办理" in r.content.decode()
    ask = ext.pending(app)
    page = client_for(handler).get(reverse("applications:detail", args=[app.pk])).content.decode()
    assert "等待受理机关政府信息公开工作机构负责人" in page and "act/approve_extension/" not in page
    head = client_for(office)
    page = head.get(reverse("applications:detail", args=[app.pk])).content.decode()
    assert "act/approve_extension/" in page and "act/refuse_extension/" in page and "需调取档案" in page
    r = head.post(reverse("applications:act", args=[app.pk, "approve_extension"]),
                  {"request": str(ask.pk), "on": "2026-11-20"}, follow=True)
    assert "已办理" in r.content.decode() and ExtensionRequest.objects.get(pk=ask.pk).state == "approved"


def test_case_page_says_why_no_extension_once_overdue(app, handler, today):
    today(LATE_DAY)
    page = client_for(handler).get(reverse("applications:detail", args=[app.pk])).content.decode()
    assert "不能延期：" in page and "2026-11-25" in page and "act/request_extension/" not in page


def test_staff_api_refuses_a_late_extension_with_409(app, office, handler, today):
    today(LATE_DAY)
    c = client_for(office)
    url = f"/api/v1/staff/disclosure/applications/{app.pk}/actions/"
    r = c.post(url + "extend", data=json.dumps({"days": 10, "reason": "需调取档案", "on": "2026-12-02"}),
               content_type="application/json")
    assert r.status_code == 409 and "2026-11-25" in r.json()["detail"] and "超期" in r.json()["detail"]
    today(D(2026, 11, 20))
    r = client_for(handler).post(url + "request_extension", data=json.dumps({"days": 10, "reason": "需调取档案"}),
                                 content_type="application/json")
    assert r.status_code == 200 and ext.pending(app) is not None
    today(LATE_DAY)
    r = c.post(url + "approve_extension_request", data=json.dumps({}), content_type="application/json")
    assert r.status_code == 409 and "2026-11-25" in r.json()["detail"]
    assert not ClockEvent.objects.filter(application=app).exists()
