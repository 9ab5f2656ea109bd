"""Audit anchoring: a signature (HMAC with settings.AUDIT_KEY, kept outside the database) on every
audit row and on the chain head. Existing rows are signed here, as they stand: the signatures
anchor the log from this migration on (run `yangguang audit verify` before upgrading to check
the chain up to now)."""

import hashlib
import hmac

from django.conf import settings
from django.db import migrations, models


def _mac(message: str) -> str:
    return hmac.new(settings.AUDIT_KEY.encode(), message.encode(), hashlib.sha256).hexdigest()


def sign_existing(apps, schema_editor):
    AuditEvent = apps.get_model("core", "AuditEvent")
    AuditHead = apps.get_model("core", "AuditHead")
    last_id, last_hash = 0, None
    while True:
        rows = list(AuditEvent.objects.filter(id__gt=last_id).order_by("id").only("id", "hash")[:2000])
        if not rows:
            break
        for row in rows:
            row.mac = _mac("event:" + row.hash)
        AuditEvent.objects.bulk_update(rows, ["mac"])
        last_id, last_hash = rows[-1].id, rows[-1].hash
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and last_hash is not None and head.last_hash == last_hash:
        head.last_id = last_id
        head.mac = _mac(f"head:{last_id}:{last_hash}")
        head.save(update_fields=["last_id", "mac"])


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0013_importrun"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="mac",
            field=models.CharField(blank=True, default="", max_length=64, verbose_name="签名"),
        ),
        migrations.AddField(
            model_name="audithead",
            name="last_id",
            field=models.BigIntegerField(default=0, verbose_name="链尾记录编号"),
        ),
        migrations.AddField(
            model_name="audithead",
            name="mac",
            field=models.CharField(blank=True, default="", max_length=64, verbose_name="链头签名"),
        ),
        migrations.AlterField(
            model_name="audithead",
            name="last_hash",
            field=models.CharField(
                default="0000000000000000000000000000000000000000000000000000000000000000",
                max_length=64, verbose_name="链尾哈希"),
        ),
        migrations.RunPython(sign_existing, migrations.RunPython.noop),
    ]
