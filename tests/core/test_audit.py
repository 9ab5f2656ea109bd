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


def _rewrite(event_id: int, data: dict) -> None:
    """What someone with write access to the database (and the code, not the key) can do: change a
    row and recompute its hash and every later hash, and the head."""
    from yangguang.core.models import AuditHead

    prev = None
    for event in AuditEvent.objects.filter(id__gte=event_id).order_by("id"):
        if event.id == event_id:
            event.data = data
        if prev is not None:
            event.prev_hash = prev
        event.hash = prev = audit.compute_hash(event)
        AuditEvent.objects.filter(pk=event.pk).update(data=event.data, prev_hash=event.prev_hash, hash=event.hash)
    AuditHead.objects.filter(pk=1).update(last_hash=prev)


def test_rewrite_with_recomputed_hashes_is_detected_by_the_signatures():
    events = _events(5)
    _rewrite(events[1].pk, {"i": 1, "text": "篡改后重算哈希"})
    checked, broken = audit.verify()
    assert broken.event_id == events[1].pk and checked == 1
    assert "签名不符" in broken.reason
    # A legitimate write afterwards does not launder the rewrite.
    _events(1)
    assert audit.verify()[1].event_id == events[1].pk


def test_truncated_tail_with_head_moved_back_is_detected():
    from yangguang.core.models import AuditHead

    events = _events(4)
    AuditEvent.objects.filter(pk__in=[events[2].pk, events[3].pk]).delete()
    AuditHead.objects.filter(pk=1).update(last_hash=events[1].hash, last_id=events[1].pk)
    checked, broken = audit.verify()
    assert checked == 2 and broken.event_id == 0 and "链头签名不符" in broken.reason


def test_a_different_key_fails_verification(settings):
    _events(2)
    settings.AUDIT_KEY = "another-key"
    assert "签名不符" in audit.verify()[1].reason


def test_signed_head_kept_outside_detects_replay_of_an_older_state(capsys):
    from yangguang.core.models import AuditHead

    _events(3)
    call_command("audit", "head")
    kept = capsys.readouterr().out.strip()
    _events(2)
    old_head = AuditHead.objects.get(pk=1)
    call_command("audit", "verify", "--head", kept)
    assert "签名有效" in capsys.readouterr().out
    # An attacker who saved the head after 3 events truncates back to it: signatures all valid ...
    last_id, last_hash, mac = kept.split(":")
    newer = list(AuditEvent.objects.order_by("-id")[:2])
    saved = (old_head.last_id, old_head.last_hash, old_head.mac)
    AuditEvent.objects.filter(pk__in=[e.pk for e in newer]).delete()
    AuditHead.objects.filter(pk=1).update(last_id=int(last_id), last_hash=last_hash, mac=mac)
    assert audit.verify()[1] is None
    # ... but the head kept outside the platform after 5 events says rows are missing.
    later = f"{saved[0]}:{saved[1]}:{saved[2]}"
    with pytest.raises(CommandError, match="已不在链中"):
        call_command("audit", "verify", "--head", later)
    with pytest.raises(CommandError, match="格式"):
        call_command("audit", "verify", "--head", "abc")
