"""The search index: the `SearchEntry` table, then the backend's text index on it
(SQLite: FTS5 table + triggers; PostgreSQL: GIN index on the tsvector column)."""

from django.db import migrations, models

import yangguang.core.search.models


def create(apps, schema_editor):
    from yangguang.core.search.backends import create_index_structures

    create_index_structures(schema_editor)


def drop(apps, schema_editor):
    from yangguang.core.search.backends import drop_index_structures

    drop_index_structures(schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0004_notification"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchEntry",
            fields=[
                ("document_id", models.BigIntegerField(primary_key=True, serialize=False, verbose_name="政府信息")),
                ("org_id", models.BigIntegerField(db_index=True, verbose_name="发布机构")),
                ("topic", models.CharField(max_length=2, verbose_name="主题分类")),
                ("genre", models.CharField(max_length=16, verbose_name="体裁")),
                ("validity", models.CharField(max_length=10, verbose_name="有效性")),
                ("year", models.PositiveSmallIntegerField(db_index=True, verbose_name="发布年份")),
                ("published_date", models.DateField(verbose_name="发布日期")),
                ("title_seg", models.TextField(blank=True, default="", verbose_name="标题分词")),
                ("meta_seg", models.TextField(blank=True, default="", verbose_name="文号、主题词与机构分词")),
                ("body_seg", models.TextField(blank=True, default="", verbose_name="正文与附件分词")),
                ("vector", yangguang.core.search.models.TsVectorField(blank=True, null=True, verbose_name="检索向量")),
            ],
            options={
                "verbose_name": "检索索引",
                "verbose_name_plural": "检索索引",
            },
        ),
        migrations.RunPython(create, drop, elidable=False),
    ]
