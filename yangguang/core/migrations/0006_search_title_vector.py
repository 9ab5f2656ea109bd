"""PostgreSQL: the title + meta part of each index row's vector in its own column, filled from the
vector itself (its A and B positions), so no document has to be segmented again. SQLite adds an
unused column; its FTS5 triggers are made sure of again (a table rebuild would drop them)."""

from django.db import migrations

import yangguang.core.search.models


def forwards(apps, schema_editor):
    from yangguang.core.search.backends import create_index_structures

    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("UPDATE core_searchentry SET title_vector = ts_filter(vector, '{a,b}') "
                              "WHERE vector IS NOT NULL")
    create_index_structures(schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0005_search_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchentry",
            name="title_vector",
            field=yangguang.core.search.models.TsVectorField(blank=True, null=True, verbose_name="标题检索向量"),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False),
    ]
