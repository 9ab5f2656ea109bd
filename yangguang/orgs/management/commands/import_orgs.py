import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from yangguang.core.errors import InvalidInput
from yangguang.orgs.importer import COLUMNS, import_orgs


class Command(BaseCommand):
    help = f"导入机构（CSV，列：{','.join(COLUMNS)}）。全部成功才写入；有错误时列出每一处错误。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV文件路径（UTF-8）")

    def handle(self, *args, file, **opts):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("找不到文件：%(file)s") % {"file": file})
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            raise CommandError(_("文件不是UTF-8编码，请另存为UTF-8后再导入。")) from None

        def progress(n, total):
            if n % 100 == 0 or n == total:
                sys.stderr.write("\r" + _("已导入 %(n)d/%(total)d") % {"n": n, "total": total})
                if n == total:
                    sys.stderr.write("\n")

        try:
            orgs = import_orgs(text, progress=progress)
        except InvalidInput as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(_("导入完成：%(count)d个机构，已按模板创建公开目录栏目。") % {"count": len(orgs)})
