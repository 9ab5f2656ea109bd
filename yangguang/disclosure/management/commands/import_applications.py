from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

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
            raise CommandError(f"找不到文件：{file}")
        try:
            result = import_applications(path)
        except InvalidInput as exc:
            raise CommandError(str(exc)) from None  # the message and every problem, one a line
        self.stdout.write(
            f"导入完成：{result.count}件申请（已办结{result.closed}件，办理中{result.open}件），"
            f"涉及{len(result.orgs)}个机构，用时{result.seconds:.1f}秒"
        )
