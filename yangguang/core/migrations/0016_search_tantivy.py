"""The search moves to Tantivy (core/search/): the SQL search index goes, the index outbox comes.

Drops every structure the former SQL search index could have (SQLite: FTS5 tables, their
triggers, the sample view; PostgreSQL: the sample table, its trigger function; both: the rows
table and the generation counter), then creates the outbox. The statements are written out here
(IF EXISTS: a database created after 0005-0012 became no-ops never had them). The data migration
is a rebuild: `yangguang search-reindex --if-needed` (run by `make run`) builds the index.
"""

from django.db import migrations, models
import django.utils.timezone

SQLITE = [f"DROP TRIGGER IF EXISTS {prefix}_{kind}"
          for prefix in ("core_searchentry", "core_search_sample", "core_search_title") for kind in ("ai", "ad", "au")]
SQLITE += [f"DROP TABLE IF EXISTS {name}" for name in ("core_search_fts", "core_search_sample_fts", "core_search_title_fts")]
SQLITE += ["DROP VIEW IF EXISTS core_search_sample"]
POSTGRES = ["DROP TABLE IF EXISTS core_search_sample", "DROP FUNCTION IF EXISTS core_search_sample_sync() CASCADE"]


def drop_text_indexes(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in SQLITE if vendor == "sqlite" else POSTGRES if vendor == "postgresql" else []:
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0015_outbox"),
    ]

    operations = [
        migrations.RunPython(drop_text_indexes, migrations.RunPython.noop, elidable=False),
        migrations.DeleteModel(name="SearchEntry"),
        migrations.DeleteModel(name="SearchGeneration"),
        migrations.CreateModel(
            name="SearchChange",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("document_id", models.BigIntegerField(verbose_name="政府信息")),
                ("op", models.CharField(choices=[("index", "写入索引"), ("remove", "移出索引")], max_length=8,
                                        verbose_name="操作")),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="写入时间")),
                ("applied_in", models.PositiveBigIntegerField(blank=True, db_index=True, null=True,
                                                              verbose_name="已写入的索引提交")),
            ],
            options={
                "verbose_name": "检索索引待办",
                "verbose_name_plural": "检索索引待办",
            },
        ),
    ]
