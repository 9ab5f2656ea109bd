import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from yangguang.core import audit
from yangguang.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _events(n: int) -> list[AuditEvent]:
    out = []
    for i in range(n):
        with transaction.atomic():
            out.append(audit.record("test.event", ("test.thing", i), data={"i": i, "text": "测试"}))
    return out


def test_chain_verifies_and_links(capsys):
    events = _events(5)
    assert events[0].prev_hash == audit.GENESIS
    assert all(b.prev_hash == a.hash for a, b in zip(events, events[1:], strict=False))
    call_command("audit", "verify")
    assert "5条" in capsys.readouterr().out


def test_modified_row_is_named(capsys):
    events = _events(4)
    AuditEvent.objects.filter(pk=events[2].pk).update(data={"i": 99, "text": "篡改"})
    checked, broken = audit.verify()
    assert broken.event_id == events[2].pk and checked == 2
    with pytest.raises(CommandError, match=f"第{events[2].pk}号记录"):
        call_command("audit", "verify")


def test_deleted_row_and_truncated_tail_detected():
    events = _events(4)
    AuditEvent.objects.filter(pk=events[1].pk).delete()
    assert audit.verify()[1].event_id == events[2].pk
    AuditEvent.objects.all().delete()
    _events(3)
    AuditEvent.objects.order_by("-id").first().delete()
    assert audit.verify()[1] is not None


@pytest.mark.django_db(transaction=True)
def test_record_outside_transaction_refused():
    with pytest.raises(RuntimeError):
        audit.record("test.event", ("test.thing", 1))
