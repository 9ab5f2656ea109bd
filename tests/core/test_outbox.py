"""The audit hook registry and the outbox: hooks run in the recording transaction, messages are
sent by the task after the commit, retried with backoff, given up after N attempts, and a failing
channel never raises out of the task."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from helpers import new_user
from sms_gateway import Gateway, gateway_settings

from yangguang.core import audit, outbox
from yangguang.core.errors import NotAllowed
from yangguang.core.models import AuditEvent, OutboundMessage
from yangguang.core.models_outbox import mask_recipient
from yangguang.core.sms import mobile_number

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
S = OutboundMessage.State


class Boom(Exception):
    pass


@pytest.fixture
def hooks(monkeypatch):
    """A private hook list for the test (the registered disclosure hook is left out)."""
    monkeypatch.setattr(audit, "_hooks", [])
    return audit._hooks


# --- hooks -----------------------------------------------------------------------------------------


def test_hook_runs_inside_the_transaction_for_its_prefix(hooks):
    seen = []

    def hook(event):
        assert transaction.get_connection().in_atomic_block
        assert AuditEvent.objects.filter(pk=event.pk).exists()  # after the event row is written
        seen.append(event.action)

    audit.on_record("thing.", hook)
    audit.on_record("thing.", hook)  # registering twice: called once
    with transaction.atomic():
        audit.record("thing.made", ("x.thing", 1))
        audit.record("other.made", ("x.thing", 1))
        audit.record_many([("thing.bulk", ("x.thing", 2), None, {}), ("other.bulk", ("x.thing", 3), None, {})])
    assert seen == ["thing.made", "thing.bulk"]


def test_a_failing_hook_rolls_the_change_back(hooks, city):
    def hook(event):
        raise Boom("hook bug")

    audit.on_record("thing.", hook)
    before = AuditEvent.objects.count()
    with pytest.raises(Boom):
        with transaction.atomic():
            audit.record("thing.made", city)
    assert AuditEvent.objects.count() == before


def test_hook_modules_are_imported_at_start():
    from django.conf import settings

    from yangguang.disclosure import notify

    assert "yangguang.disclosure.notify" in settings.AUDIT_HOOK_MODULES
    assert ("application.", notify.on_application_event) in audit._hooks


# --- queueing and sending --------------------------------------------------------------------------


def _queue(channel="email", to="zhangsan@example.com", body="您好"):
    with transaction.atomic():
        return outbox.queue([outbox.Draft(channel=channel, recipient=to, kind="test.step", subject="主题", body=body)],
                            about=("x.thing", 7))[0]


def test_queued_message_is_sent_by_the_task_after_commit(mailoutbox, django_capture_on_commit_callbacks):
    with override_settings(TASKS=IMMEDIATE):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            message = _queue()
        assert len(callbacks) == 1 and mailoutbox == []  # nothing is sent before the commit
        callbacks[0]()
    message.refresh_from_db()
    assert (message.state, message.attempts) == (S.SENT, 1) and message.sent_at is not None
    assert [m.to for m in mailoutbox] == [["zhangsan@example.com"]] and mailoutbox[0].subject == "主题"


def test_sms_over_http_fails_then_is_retried_by_the_clock_round(django_capture_on_commit_callbacks):
    from django.utils.module_loading import import_string

    from yangguang.core.management.commands.clock import EVERY_MINUTE

    with Gateway([500]) as gateway, gateway_settings(gateway, OUTBOX_RETRY_SECONDS=0):
        with django_capture_on_commit_callbacks(execute=True):
            message = _queue(channel="sms", to="13812345678", body="您的申请已收到")
        message.refresh_from_db()
        assert (message.state, message.attempts) == (S.FAILED, 1) and "500" in message.last_error
        for path in EVERY_MINUTE:  # the clock's minute round
            import_string(path).enqueue()
        message.refresh_from_db()
        assert (message.state, message.attempts) == (S.SENT, 2) and message.sent_at is not None
        assert len(gateway.requests) == 2
        path, headers, payload = gateway.requests[-1]
        assert path == "/sms" and headers["Authorization"] == "Bearer t0ken"
        assert payload == {"to": "13812345678", "text": "您的申请已收到"}


def test_backoff_then_given_up_then_requeued_by_an_administrator(city):
    admin = new_user("sysadmin", city)
    admin.is_superuser = True
    admin.save()
    clerk = new_user("clerk", city, "clerk")
    with Gateway([503] * 10) as gateway, gateway_settings(gateway, OUTBOX_RETRY_SECONDS=60, OUTBOX_MAX_ATTEMPTS=2):
        message = _queue(channel="sms", to="13812345678")
        t0 = timezone.now()
        assert outbox.send_due(now=t0) == {"recovered": 0, S.FAILED: 1}
        message.refresh_from_db()
        assert message.next_attempt_at >= t0 + timedelta(seconds=60)
        assert outbox.send_due(now=t0 + timedelta(seconds=30)) == {"recovered": 0}  # not due yet
        assert outbox.send_due(now=t0 + timedelta(seconds=61)) == {"recovered": 0, S.GIVEN_UP: 1}
        assert outbox.send_due(now=t0 + timedelta(days=1)) == {"recovered": 0}  # given up: never again
        assert len(gateway.requests) == 2
        with pytest.raises(NotAllowed):
            outbox.requeue(message, clerk)
        outbox.requeue(message, admin)
        message.refresh_from_db()
        assert (message.state, message.attempts) == (S.QUEUED, 0)
        assert AuditEvent.objects.filter(action="outbox.requeue", object_id=str(message.pk)).count() == 1


def test_a_sender_that_cannot_even_start_is_a_failed_attempt():
    with override_settings(SMS_SENDER="yangguang.core.sms.HttpSender", SMS_HTTP_URL=""):
        message = _queue(channel="sms", to="13812345678")
        assert outbox.send_due() == {"recovered": 0, S.FAILED: 1}
    message.refresh_from_db()
    assert "SMS_HTTP_URL" in message.last_error


def test_an_attempt_cut_off_while_sending_is_counted_and_retried(mailoutbox):
    message = _queue()
    OutboundMessage.objects.filter(pk=message.pk).update(state=S.SENDING,
                                                         claimed_at=timezone.now() - timedelta(hours=1))
    with override_settings(OUTBOX_RETRY_SECONDS=0):
        assert outbox.send_due() == {"recovered": 1}
        message.refresh_from_db()
        assert (message.state, message.attempts) == (S.FAILED, 1) and "发送中断" in message.last_error
        assert outbox.send_due() == {"recovered": 0, S.SENT: 1}  # the next round retries it
    message.refresh_from_db()
    assert (message.state, message.attempts) == (S.SENT, 2) and len(mailoutbox) == 1


def test_masks():
    assert mask_recipient("email", "zhangsan@example.com") == "z***@example.com"
    assert mask_recipient("sms", "13812345678") == "138****5678"
    assert mobile_number("+86 138-1234-5678") == "13812345678"
    assert mobile_number("0871-12345678") == ""
