import time
import unicodedata

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

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
                self.stdout.write(_("已有数据，跳过演示数据"))
                return
            raise CommandError(_("数据库中已有机构数据，不能再载入演示数据（演示数据只能载入空数据库，以免与真实数据混在一起）。"
                                 "如只想在空库时载入，请加 --if-empty。"))
        started = time.monotonic()

        def step(message: str) -> None:
            self.stdout.write("  " + _("%(step)s（%(seconds).1f秒）") % {
                "step": message, "seconds": time.monotonic() - started})

        with transaction.atomic():
            summary = load_demo(progress=step)
            applications = load_applications()
            load_reports()  # demo annual reports of last year (yangguang.reports)
            step(_("已办理%(count)d件演示依申请公开") % {"count": applications})
            step(_("已生成%(count)d份上月通报草稿") % {"count": load_bulletins()})
            from yangguang.monitoring.demo import load_monitoring_demo  # noqa: I001  monitoring demo hook
            step(load_monitoring_demo())
        self.stdout.write(self.style.SUCCESS(
            _("演示数据载入完成：%(orgs)d个机构，%(documents)d篇公开文件，用时%(seconds).1f秒。") % {
                "orgs": summary.organizations, "documents": summary.public_documents,
                "seconds": time.monotonic() - started}
        ))
        header = (_("用户名"), _("姓名"), _("所属机构"), _("角色"))
        rows = [header, *summary.accounts]
        widths = [max(_width(r[i]) for r in rows) for i in range(4)]
        self.stdout.write("")
        self.stdout.write(_("演示账号："))
        for row in rows:
            self.stdout.write("  " + "  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip())
        self.stdout.write("")
        self.stdout.write(_("所有演示账号的密码：%(password)s") % {"password": DEMO_PASSWORD})
