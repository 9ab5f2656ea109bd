"""The applicant is told at each step (issue #14, 申请人告知): one message per step and contact,
queued in the action's transaction, sent by the worker after the commit; a failing mail server
or SMS gateway never breaks the action; the contact is shown only masked."""

import socket
from datetime import timedelta

import pytest
from django.core.cache import caches
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from helpers import new_user, valid_id
from sms_gateway import Gateway, gateway_settings

from yangguang.core.errors import NotAllowed
from yangguang.core.models import AuditEvent, OutboundMessage
from yangguang.disclosure import fees, notify, services
from yangguang.disclosure.models import Application

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
LOCMEM = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "notify-default"},
    "ratelimit": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "notify-ratelimit"},
}
EMAIL = "zhangxiaosan@example.com"
MOBILE = "13812345678"
S = OutboundMessage.State


@pytest.fixture(autouse=True)
def _limits():
    with override_settings(CACHES=LOCMEM):
        caches["ratelimit"].clear()
        yield


@pytest.fixture
def office(city):
    return new_user("city_gkb", city, "supervisor")


@pytest.fixture
def handler(org_a):
    return new_user("a_cb", org_a, "handler")


def form(to, **over):
    data = {
        "org": str(to.pk), "applicant_type": "natural", "applicant_name": "张小三", "id_number": valid_id("53010219880315123"),
        "contact_phone": "", "contact_email": EMAIL, "address": "",
        "description": "2025年本市义务教育阶段学校招生计划", "doc_reference": "",
        "delivery_form": "electronic", "delivery_route": "online", "consent": "on", **over,
    }
    return {k: v for k, v in data.items() if v is not None}


def register(city, **over):
    data = {"applicant_type": "natural", "applicant_name": "张小三", "contact_email": EMAIL, "contact_phone": MOBILE,
            "description": "2025年本市义务教育阶段学校招生计划", "channel": "online",
            "received_date": timezone.localdate(), **over}
    return services.register(city, data)


def messages_of(app):
    return list(OutboundMessage.objects.filter(object_type="disclosure.application", object_id=str(app.pk))
                .order_by("id"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- done-means of the brief --------------------------------------------------------------------------


def test_online_application_with_email_queues_one_message_sent_after_commit(
        client, city, mailoutbox, django_capture_on_commit_callbacks):
    with override_settings(TASKS=IMMEDIATE):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            response = client.post(reverse("apply:apply"), form(city))
        assert response.status_code == 302
        app = Application.objects.get()
        [message] = messages_of(app)
        assert (message.channel, message.recipient, message.state, message.kind) == (
            "email", EMAIL, S.QUEUED, "disclosure.received")
        assert mailoutbox == []  # the action did not send
        for callback in callbacks:  # the commit
            callback()
    message.refresh_from_db()
    assert (message.state, message.attempts) == (S.SENT, 1) and message.sent_at is not None
    [mail] = mailoutbox
    assert mail.to == [EMAIL] and app.number in mail.subject
    due = services.clock_of(app).due
    body = mail.body
    for expected in (city.name, app.number, app.tracking_code[:4], f"{due.year}年{due.month}月{due.day}日",
                     "http://127.0.0.1:8000" + reverse("apply:track"), "z***@example.com"):
        assert expected in body
    assert app.tracking_code not in body and EMAIL not in body  # a hint, never the code or the contact


@pytest.mark.django_db(transaction=True)
def test_committed_action_enqueues_the_task_and_the_worker_sends(city, mailoutbox):
    """The production path: the action commits, the task row is written after the commit, and
    the database worker sends the message."""
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    tasks = DBTaskResult.objects.filter(task_path="yangguang.core.tasks.send_outbox")
    app = register(city, contact_phone="")
    [message] = messages_of(app)
    assert message.state == S.QUEUED and tasks.count() == 1 and mailoutbox == []
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    message.refresh_from_db()
    assert message.state == S.SENT and [m.to for m in mailoutbox] == [[EMAIL]]


def test_sms_through_the_http_sender_is_retried_and_sent(city, django_capture_on_commit_callbacks):
    from django.utils.module_loading import import_string

    from yangguang.core.management.commands.clock import EVERY_MINUTE

    with Gateway([502]) as gateway, gateway_settings(gateway, OUTBOX_RETRY_SECONDS=0):
        with django_capture_on_commit_callbacks(execute=True):
            app = register(city, contact_email="")
        [message] = messages_of(app)
        message.refresh_from_db()
        assert (message.channel, message.state, message.attempts) == ("sms", S.FAILED, 1)
        for path in EVERY_MINUTE:
            import_string(path).enqueue()
        message.refresh_from_db()
        assert (message.state, message.attempts) == (S.SENT, 2)
        assert [r[2]["to"] for r in gateway.requests] == [MOBILE, MOBILE]
        text = gateway.requests[-1][2]["text"]
        assert app.number in text and reverse("apply:track") in text and app.tracking_code not in text


def test_a_failing_mail_server_never_breaks_the_action(client, city, office, django_capture_on_commit_callbacks):
    smtp = {"EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend", "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": free_port(), "EMAIL_TIMEOUT": 2}
    with override_settings(TASKS=IMMEDIATE, **smtp):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("apply:apply"), form(city))
        assert response.status_code == 302 and response["Location"] == reverse("apply:receipt")
        app = Application.objects.get()
        with django_capture_on_commit_callbacks(execute=True):
            app = services.request_correction(app, office, on=timezone.localdate(),
                                              until=timezone.localdate() + timedelta(days=10), items="请写明学校名称")
    assert app.state == "correction"
    rows = messages_of(app)
    assert [(m.kind, m.state, m.attempts) for m in rows] == [
        ("disclosure.received", S.FAILED, 1), ("disclosure.correction", S.FAILED, 1)]
    assert all("Connection" in m.last_error or "refused" in m.last_error for m in rows)
    assert all(m.next_attempt_at > m.last_attempt_at for m in rows)  # retried later


def test_a_failing_sms_sender_never_breaks_the_action(city, django_capture_on_commit_callbacks):
    with override_settings(TASKS=IMMEDIATE, SMS_SENDER="yangguang.core.sms.HttpSender", SMS_HTTP_URL=""):
        with django_capture_on_commit_callbacks(execute=True):
            app = register(city, contact_email="")
    assert Application.objects.filter(pk=app.pk).exists()
    assert [(m.channel, m.state) for m in messages_of(app)] == [("sms", S.FAILED)]


def test_a_rolled_back_action_queues_nothing(city, mailoutbox, django_capture_on_commit_callbacks):
    with override_settings(TASKS=IMMEDIATE), django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            register(city)
            assert OutboundMessage.objects.count() == 2  # queued inside the transaction …
            raise RuntimeError("the surrounding work failed")
    assert OutboundMessage.objects.count() == 0 and Application.objects.count() == 0  # … and gone with it
    assert callbacks == [] and mailoutbox == []


def test_contact_masked_in_the_admin(client, city):
    app = register(city)
    admin = new_user("sysadmin", city)
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    listing = client.get(reverse("admin:core_outboundmessage_changelist")).content.decode()
    assert "z***@example.com" in listing and "138****5678" in listing
    assert EMAIL not in listing and MOBILE not in listing
    for message in messages_of(app):
        page = client.get(reverse("admin:core_outboundmessage_change", args=[message.pk])).content.decode()
        assert page.count(app.number) and EMAIL not in page and MOBILE not in page


# --- each step ---------------------------------------------------------------------------------------


def test_each_step_tells_the_applicant_by_email_and_sms(city, org_a, office, handler, mailoutbox):
    today = timezone.localdate()
    app = register(city)
    app = services.request_correction(app, office, on=today, until=today + timedelta(days=10),
                                      items="请写明学校名称 & 年级 <初中>")
    app = services.receive_correction(app, office, on=today)
    app = services.assign(app, office, org_a, handler)  # receiving the correction accepted it
    app = services.start_consultation(app, handler, on=today, party="某学校")
    app = services.end_consultation(app, handler, on=today)
    app = services.approve_extension(app, office, days=10, reason="需调取历年档案。", on=today)
    extended_due = services.clock_of(app).due
    app = services.issue_fee_notice(app, handler, method=fees.FeeMethod.PER_PAGE, on=today, pages=50)
    app = services.record_payment(app, handler, on=today)
    app = services.reply(app, handler, reply_type="disclose", outcome="1", on=today, reason="请于工作日到本机关领取。", backdate_reason="补录")

    rows = messages_of(app)
    steps = ["received", "correction", "correction_received", "consultation", "extension", "fee", "reply"]
    assert [(m.kind, m.channel) for m in rows] == [
        (f"disclosure.{s}", c) for s in steps for c in ("email", "sms")]
    # one message per step and contact, each tied to the audit event of its step
    assert all(m.event.object_id == str(app.pk) for m in rows)
    assert [m.event.action for m in rows[::2]] == [
        "application.register", "application.request_correction", "application.receive_correction",
        "application.start_consultation", "application.extend", "application.fee_notice", "application.reply"]
    email = {m.kind.split(".")[1]: m.body for m in rows if m.channel == "email"}
    sms = {m.kind.split(".")[1]: m.body for m in rows if m.channel == "sms"}

    until = today + timedelta(days=10)
    assert "请写明学校名称 & 年级 <初中>" in email["correction"]  # plain text, not HTML-escaped
    assert f"{until.year}年{until.month}月{until.day}日" in email["correction"]
    assert "第三方" in email["consultation"] and "某学校" not in email["consultation"]  # the party is not named
    assert "10个工作日" in email["extension"] and "需调取历年档案，本机关" in email["extension"]
    assert f"{extended_due.year}年{extended_due.month}月{extended_due.day}日" in email["extension"]
    assert fees.yuan(app.fee_amount) in email["fee"] and fees.yuan(app.fee_amount) in sms["fee"]
    assert "行政复议" in email["reply"] and "答复" in sms["reply"]
    for body in [*email.values(), *sms.values()]:
        assert app.number in body and app.tracking_code not in body
        assert EMAIL not in body and MOBILE not in body
        assert "\n" not in body or body in email.values()  # an SMS is one line


def test_a_fixed_line_gets_no_sms_and_no_contact_no_message(city, office):
    app = register(city, contact_phone="0871-12345678")
    assert [m.channel for m in messages_of(app)] == ["email"]
    by_letter = services.register(city, {
        "applicant_type": "natural", "applicant_name": "李四", "address": "明溪市人民路1号",
        "description": "2025年本市义务教育阶段学校招生计划", "channel": "in_person",
        "received_date": timezone.localdate()}, by=office)
    assert messages_of(by_letter) == []


def test_staff_see_the_messages_of_their_case_masked(city, org_b, office):
    app = register(city)
    rows = notify.case_messages(office, app)
    assert [(r.channel, r.recipient, r.state) for r in rows] == [("短信", "138****5678", "待发送"),
                                                                 ("电子邮件", "z***@example.com", "待发送")]
    assert rows[0].step == "已收到申请"
    stranger = new_user("b_cb", org_b, "handler")
    with pytest.raises(NotAllowed):
        notify.case_messages(stranger, app)


def test_imports_and_other_audit_events_send_nothing(city, office):
    app = register(city)
    before = OutboundMessage.objects.count()
    assert before == 2
    services.accept(app, office)  # an internal step: the applicant is not written to
    assert OutboundMessage.objects.count() == before
    assert AuditEvent.objects.filter(action="application.accept").exists()
