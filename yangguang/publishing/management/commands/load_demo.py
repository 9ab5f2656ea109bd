import time
import unicodedata

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from yangguang.disclosure.demo import load_applications
from yangguang.orgs.models import Organization
from yangguang.publishing.demo import DEMO_PASSWORD, load_demo
from yangguang.reports.demo import load_reports
from yangguang.supervision.demo import load_bulletins


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


class Command(BaseCommand):
    help = "载入演示数据：虚构的明溪市（约30个机构、演示账号、数百篇已发布文件）。只能载入空数据库，全部成功才写入。"

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true",
                            help="数据库中已有机构时什么也不做（用于部署脚本，可重复执行）")

    def handle(self, *args, if_empty: bool = False, **opts):
        if Organization.objects.exists():
            if if_empty:
                self.stdout.write("已有数据，跳过演示数据")
                return
            raise CommandError("数据库中已有机构数据，不能再载入演示数据（演示数据只能载入空数据库，以免与真实数据混在一起）。"
                               "如只想在空库时载入，请加 --if-empty。")
        started = time.monotonic()
        with transaction.atomic():
            summary = load_demo(progress=lambda msg: self.stdout.write(f"  {msg}（{time.monotonic() - started:.1f}秒）"))
            applications = load_applications()
            load_reports()  # demo annual reports of last year (yangguang.reports)
            self.stdout.write(f"  已办理{applications}件演示依申请公开（{time.monotonic() - started:.1f}秒）")
            self.stdout.write(f"  已生成{load_bulletins()}份上月通报草稿（{time.monotonic() - started:.1f}秒）")
            from yangguang.monitoring.demo import load_monitoring_demo  # noqa: I001  monitoring demo hook
            self.stdout.write(f"  {load_monitoring_demo()}（{time.monotonic() - started:.1f}秒）")
        self.stdout.write(self.style.SUCCESS(
            f"演示数据载入完成：{summary.organizations}个机构，{summary.public_documents}篇公开文件，"
            f"用时{time.monotonic() - started:.1f}秒。"
        ))
        header = ("用户名", "姓名", "所属机构", "角色")
        rows = [header, *summary.accounts]
        widths = [max(_width(r[i]) for r in rows) for i in range(4)]
        self.stdout.write("")
        self.stdout.write("演示账号：")
        for row in rows:
            self.stdout.write("  " + "  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip())
        self.stdout.write("")
        self.stdout.write(f"所有演示账号的密码：{DEMO_PASSWORD}")
