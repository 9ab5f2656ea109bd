"""SQLite: the former SQL search index's FTS5 tables re-created.
Created by runtime code until the search moved to Tantivy; now nothing: 0016 drops whatever a
database migrated before still has."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0011_search_vector_lz4"),
    ]

    operations = []
