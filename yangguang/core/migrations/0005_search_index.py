"""The former SQL search index: the `SearchEntry` table. Its text index (SQLite FTS5 + triggers,
PostgreSQL tsvector + GIN) was created here by runtime code until the search moved to Tantivy;
0016 drops the table and whatever such a database still has, so a new database skips them."""

from django.db import migrations, models


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
                ("vector", models.TextField(blank=True, null=True, verbose_name="检索向量")),
            ],
            options={
                "verbose_name": "检索索引",
                "verbose_name_plural": "检索索引",
            },
        ),
    ]
