"""The former SQL search index's newest-first index. Its sample index (1 document in 64) was
created here by runtime code until the search moved to Tantivy; 0016 drops what remains."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0007_search_generation"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="searchentry",
            index=models.Index(fields=["published_date", "document_id"], name="core_search_newest"),
        ),
    ]
