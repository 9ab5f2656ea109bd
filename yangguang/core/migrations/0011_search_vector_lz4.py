"""PostgreSQL: the search vectors are compressed with LZ4 instead of the default pglz (new and
rewritten values; `search-reindex --clear` rewrites all). A document's vector is ~8.6 KB stored;
writing 20,000 of them took 2.2 s with pglz and 0.7 s with LZ4, and every search that reads
vectors decompresses them. A server built without LZ4 keeps pglz. SQLite is unchanged."""

from django.db import migrations

TABLES = ("core_searchentry", "core_search_sample")


def _set(schema_editor, method: str) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(
            "DO $$ BEGIN "
            f"ALTER TABLE {table} ALTER COLUMN vector SET COMPRESSION {method}, "
            f"ALTER COLUMN title_vector SET COMPRESSION {method}; "
            "EXCEPTION WHEN feature_not_supported THEN RAISE NOTICE 'LZ4 not available: pglz kept'; END $$",
            params=None,
        )


def forwards(apps, schema_editor):
    _set(schema_editor, "lz4")


def backwards(apps, schema_editor):
    _set(schema_editor, "pglz")


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0010_search_sample_table"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
