"""The former SQL search index's title vector column (dropped with the table by 0016; its
PostgreSQL fill and SQLite triggers are no longer created)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0005_search_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchentry",
            name="title_vector",
            field=models.TextField(blank=True, null=True, verbose_name="标题检索向量"),
        ),
    ]
