import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from yangguang.core.errors import InvalidInput
from yangguang.publishing.importer import FIELDS, OPTIONAL, ImportFailed, import_documents

SHOW_ERRORS = 200


class Command(BaseCommand):
    help = (
        f"迁移已有网站的政府信息（CSV或JSON Lines，列：{','.join(FIELDS)}；可选：{','.join(OPTIONAL)}）。"
        "先校验整个文件，全部无误才在一个事务中写入；有错误时列出每一处错误，不写入任何数据。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV（UTF-8，带表头）或 .jsonl/.ndjson 文件路径")
        parser.add_argument("--workers", type=int, default=None,
                            help="校验（含审查）并行进程数；默认小文件1个，大文件按CPU核数（最多4个）")

    def handle(self, *args, file, workers=None, **opts):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件：{file}")

        def progress(message: str) -> None:
            sys.stderr.write(message + "\n")
            sys.stderr.flush()

        try:
            result = import_documents(path, progress=progress, workers=workers)
        except ImportFailed as exc:
            lines = exc.details[:SHOW_ERRORS]
            if exc.total > len(lines):
                lines.append(f"…另有{exc.total - len(lines)}处错误")
            raise CommandError("\n".join([exc.message, *lines])) from None
        except InvalidInput as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"导入完成：{result.count}条，涉及{len(result.orgs)}个机构，用时{result.seconds:.1f}秒"
            f"（其中校验{result.validate_seconds:.1f}秒）；警告性审查发现{result.warnings}处"
        )
