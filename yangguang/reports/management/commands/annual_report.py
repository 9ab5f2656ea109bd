import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from yangguang.orgs.models import Organization
from yangguang.reports import exports
from yangguang.reports.models import AnnualReport


class Command(BaseCommand):
    help = ("导出政府信息公开工作年度报告：有已发布版本时导出最新发布版本，否则导出最新定稿版本；"
            "都没有（或加 --live）时按当前数据计算草稿。")

    def add_arguments(self, parser):
        parser.add_argument("org_code", help="机构的统一社会信用代码")
        parser.add_argument("year", type=int, help="报告年度，如 2025")
        parser.add_argument("--format", choices=sorted(exports.FORMATS), default="json", help="导出格式")
        parser.add_argument("-o", "--output", required=True, help="输出文件；“-”表示标准输出（仅限 json）")
        parser.add_argument("--live", action="store_true", help="不用已定稿版本，按当前数据重新计算")

    def handle(self, *args, org_code, year, format, output, live=False, **opts):
        org = Organization.objects.filter(code__iexact=org_code.strip()).first()
        if org is None:
            raise CommandError(_("没有统一社会信用代码为“%(code)s”的机构。") % {"code": org_code})
        if output == "-" and format != "json":
            raise CommandError(_("只有 json 格式可以输出到标准输出，请用 -o 指定文件。"))
        report = AnnualReport.objects.filter(org=org, year=year).first()
        version = None
        if report is not None and not live:
            versions = report.versions.order_by("-number")
            version = versions.filter(published_at__isnull=False).first() or versions.first()
        content = exports.from_version(version) if version else exports.from_draft(org, year, report)
        data = exports.FORMATS[format][1](content)
        if output == "-":
            sys.stdout.write(data + "\n")
            return
        path = Path(output)
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8")
        else:
            path.write_bytes(data)
        what = _("第%(number)d版") % {"number": version.number} if version else _("按当前数据计算的草稿")
        self.stderr.write(_("已导出%(title)s（%(what)s）到 %(path)s") % {"title": content.title, "what": what, "path": path})
