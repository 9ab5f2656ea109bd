"""Seed the measurable 检查指标 of spec/monitoring.md (values from `monitoring.indicators.SEED`)."""

from django.db import migrations

# Rows that exist are updated, so re-running is harmless; a later change of a default value needs
# its own migration (a deployment's admin edits are data and are not touched by code changes).
from yangguang.monitoring.indicators import SEED


def seed(apps, schema_editor):
    Indicator = apps.get_model("monitoring", "Indicator")
    for position, row in enumerate(SEED, start=1):
        Indicator.objects.update_or_create(code=row["code"], defaults={**{k: v for k, v in row.items() if k != "code"},
                                                                       "position": position * 10})


def unseed(apps, schema_editor):
    apps.get_model("monitoring", "Indicator").objects.filter(code__in=[r["code"] for r in SEED]).delete()


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
