"""PostgreSQL (filter, id) indexes of the former SQL search index.
Created by runtime code until the search moved to Tantivy; now nothing: 0016 drops whatever a
database migrated before still has."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0008_search_sample"),
    ]

    operations = []
