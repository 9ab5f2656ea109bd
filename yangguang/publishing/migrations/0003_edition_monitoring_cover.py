# The monitoring measures (late publication, policy documents without interpretation) read four
# small columns of every live edition of the year; on SQLite two of them lie after the body text,
# so without this covering index each lookup reads the wide row and its overflow pages.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('publishing', '0002_column_listing_version'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='edition',
            index=models.Index(fields=['id', 'genre', 'validity', 'info_date', 'published_at'],
                               name='edition_monitoring_cover'),
        ),
    ]
