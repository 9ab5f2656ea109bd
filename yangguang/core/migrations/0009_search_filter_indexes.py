"""PostgreSQL: (filter, id) indexes that a broad query with a filter walks newest first
(backends.POSTGRES_FILTER_DDL, broad.py). SQLite walks its FTS5 doclists instead."""

from django.db import migrations


def forwards(apps, schema_editor):
    from yangguang.core.search.backends import create_filter_indexes

    create_filter_indexes(schema_editor)


def backwards(apps, schema_editor):
    from yangguang.core.search.backends import drop_filter_indexes

    drop_filter_indexes(schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0008_search_sample"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
