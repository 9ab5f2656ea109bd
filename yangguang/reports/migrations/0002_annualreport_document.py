import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("publishing", "0005_withdrawalrequest"),
        ("reports", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="annualreport",
            name="document",
            field=models.OneToOneField(
                blank=True, help_text="发布时由本报告生成于“公开年报”栏目；每次发布更正版本即生成该文件的新版本。", null=True,
                on_delete=django.db.models.deletion.PROTECT, related_name="annual_report", to="publishing.document",
                verbose_name="公开目录中的年报文件"),
        ),
    ]
