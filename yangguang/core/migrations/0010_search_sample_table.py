"""PostgreSQL: the sample index as a compact table of its own, kept by a trigger, instead of a
partial index of the main table (backends.PG_SAMPLE_TABLE says why). SQLite is unchanged."""

from django.db import migrations


def forwards(apps, schema_editor):
    from yangguang.core.search.backends import create_sample_table

    create_sample_table(schema_editor)


def backwards(apps, schema_editor):
    from yangguang.core.search.backends import drop_sample_table

    drop_sample_table(schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0009_search_filter_indexes"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
