"""`yangguang monitor [--org CODE]`: measure the inspection indicators now."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from yangguang.monitoring import engine
from yangguang.monitoring.models import Indicator, MonitoringRun
from yangguang.orgs.models import Organization


class Command(BaseCommand):
    help = "测量检查指标：默认全部机构；--org 只测该机构及其下级机构（加 --only 只测该机构本身）。"

    def add_arguments(self, parser):
        parser.add_argument("--org", help="机构统一社会信用代码或网址标识")
        parser.add_argument("--only", action="store_true", help="只测 --org 指定的机构，不含下级")
        parser.add_argument("--indicator", help="只测该指标代码")
        parser.add_argument("--scan-limit", type=int, default=None, help="本次最多复扫的文件数（默认不限）")

    def handle(self, *args, org=None, only=False, indicator=None, scan_limit=None, **opts):
        scope = None
        if org:
            scope = Organization.objects.filter(code=org).first() or Organization.objects.filter(slug=org).first()
            if scope is None:
                raise CommandError(_("没有机构“%(org)s”（请使用统一社会信用代码或网址标识）。") % {"org": org})
        ind = None
        if indicator:
            ind = Indicator.objects.filter(code=indicator).first()
            if ind is None:
                raise CommandError(_("没有指标“%(indicator)s”。可用：%(codes)s") % {
                    "indicator": indicator, "codes": "、".join(Indicator.objects.values_list("code", flat=True))})
        run = engine.run(trigger=MonitoringRun.Trigger.COMMAND, scope_org=scope, only_org=only, indicator=ind,
                         scan_limit=scan_limit)
        rect = run.stats.get("rectifications", {})
        scan = run.stats.get("scan")
        self.stdout.write(self.style.SUCCESS(
            _("监测完成（第%(run)s次）：%(orgs)s个机构，不合格%(failed)s项；整改事项新增%(opened)s、"
              "销号%(closed)s、虚报%(flagged)s；用时%(seconds)s秒。") % {
                "run": run.pk, "orgs": run.orgs, "failed": run.failed, "opened": rect.get("opened", 0),
                "closed": rect.get("closed", 0), "flagged": rect.get("flagged", 0),
                "seconds": run.stats.get("seconds", 0)}))
        if scan:
            self.stdout.write(_("复扫：本次扫描%(scanned)s篇，发现阻断性内容%(blocking)s篇，待扫%(pending)s篇（%(seconds)s秒）。")
                              % {"scanned": scan["scanned"], "blocking": scan["blocking_documents"],
                                 "pending": scan["pending"], "seconds": scan["seconds"]})
