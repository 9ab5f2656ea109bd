"""PostgreSQL: LZ4 compression of the former SQL search index's vectors.
Created by runtime code until the search moved to Tantivy; now nothing: 0016 drops whatever a
database migrated before still has."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0010_search_sample_table"),
    ]

    operations = []
