"""SQLite: the three FTS5 tables re-created with the ascii tokenizer and detail=none (see
backends.FTS5_OPTIONS: the index only answers which rows hold a term) and rebuilt from the rows
already there. A database created after this change has them so from the start and is left as
it is. At a million documents the rebuild takes a few minutes. PostgreSQL is unchanged."""

from django.db import migrations


def _convert(schema_editor, options: str, marker: str, has_marker: bool) -> None:
    from yangguang.core.search.backends import FTS5_TABLES
    from yangguang.core.search.reindex import rebuild_fts_tables, rebuild_pragmas

    if schema_editor.connection.vendor != "sqlite":
        return
    with rebuild_pragmas(), schema_editor.connection.cursor() as cursor:
        todo = []
        for fts in FTS5_TABLES:
            cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = %s", [fts.name])
            row = cursor.fetchone()
            if row and (marker in row[0].replace(" ", "")) != has_marker:
                todo.append(fts)
        for fts in todo:
            for statement in fts.undo():
                cursor.execute(statement)
            cursor.execute(fts.create(options))
            for kind in ("ad", "au"):  # 'ai' is put back by the rebuild
                cursor.execute(fts.trigger(kind))
        if todo:
            rebuild_fts_tables(todo)


def forwards(apps, schema_editor):
    from yangguang.core.search.backends import FTS5_OPTIONS

    _convert(schema_editor, FTS5_OPTIONS, "detail=none", has_marker=True)


def backwards(apps, schema_editor):
    from yangguang.core.search.backends import FTS5_OPTIONS_BEFORE_0012

    _convert(schema_editor, FTS5_OPTIONS_BEFORE_0012, "detail=none", has_marker=False)


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0011_search_vector_lz4"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
