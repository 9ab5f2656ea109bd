"""PostgreSQL: the former SQL search index's sample table.
Created by runtime code until the search moved to Tantivy; now nothing: 0016 drops whatever a
database migrated before still has."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0009_search_filter_indexes"),
    ]

    operations = []
