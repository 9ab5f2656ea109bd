"""The sample index (1 document in 64: a partial GIN index on PostgreSQL, a second FTS5 table over
a view on SQLite), the title + meta vector's own GIN index (PostgreSQL), and a newest-first index
on both. See backends.SAMPLE_EVERY and engine.py for why."""

from django.db import migrations, models


def forwards(apps, schema_editor):
    from yangguang.core.search.backends import create_sample_structures

    create_sample_structures(schema_editor)


def backwards(apps, schema_editor):
    from yangguang.core.search.backends import drop_sample_structures

    drop_sample_structures(schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0007_search_generation"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="searchentry",
            index=models.Index(fields=["published_date", "document_id"], name="core_search_newest"),
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
