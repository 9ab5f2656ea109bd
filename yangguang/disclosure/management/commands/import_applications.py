from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from yangguang.core.errors import InvalidInput
from yangguang.disclosure.importer import COLUMNS, import_applications


class Command(BaseCommand):
    help = (
        f"导入旧系统的依申请公开历史数据（CSV，UTF-8，列：{','.join(COLUMNS)}）。"
        "先校验整个文件，全部无误才在一个事务中写入；有错误时列出每一处错误（含行号），不写入任何数据。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV文件路径（UTF-8，带表头）")

    def handle(self, *args, file, **opts):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("找不到文件：%(file)s") % {"file": file})
        try:
            result = import_applications(path)
        except InvalidInput as exc:
            raise CommandError(str(exc)) from None  # the message and every problem, one a line
        self.stdout.write(
            _("导入完成：%(count)d件申请（已办结%(closed)d件，办理中%(open)d件），涉及%(orgs)d个机构，用时%(seconds).1f秒")
            % {"count": result.count, "closed": result.closed, "open": result.open, "orgs": len(result.orgs),
               "seconds": result.seconds}
        )
