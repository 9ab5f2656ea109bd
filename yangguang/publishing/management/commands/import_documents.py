import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from yangguang.core.errors import InvalidInput
from yangguang.publishing import import_runs
from yangguang.publishing.importer import FIELDS, OPTIONAL, ImportFailed, import_documents

SHOW_ERRORS = 200


class Command(BaseCommand):
    help = (
        f"迁移已有网站的政府信息（CSV或JSON Lines，列：{','.join(FIELDS)}；可选：{','.join(OPTIONAL)}）。"
        "先校验整个文件，全部无误才写入；有错误时列出每一处错误，不写入任何数据。"
        "SQLite上分批提交（不长时间占用写锁），中断后可用 --resume 续导或 --rollback 撤销；"
        "PostgreSQL上在一个事务中写入。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="CSV（UTF-8，带表头）或 .jsonl/.ndjson 文件路径")
        parser.add_argument("--workers", type=int, default=None,
                            help="校验（含审查）并行进程数；默认小文件1个，大文件按CPU核数（最多4个）")
        parser.add_argument("--batch-rows", type=int, default=None,
                            help="每批提交的行数；0 表示整个文件一个事务（默认：SQLite 每批500行，PostgreSQL 一个事务）")
        parser.add_argument("--resume", type=int, metavar="RUN", default=None,
                            help="续导中断的导入记录 RUN（文件须与首次导入完全相同，可省略文件路径）")
        parser.add_argument("--rollback", type=int, metavar="RUN", default=None,
                            help="撤销导入记录 RUN 已导入的全部文件")

    def progress(self, message: str) -> None:
        sys.stderr.write(message + "\n")
        sys.stderr.flush()

    def handle(self, *args, file=None, workers=None, batch_rows=None, resume=None, rollback=None, **opts):
        if rollback is not None:
            if file or resume is not None:
                raise CommandError(_("--rollback 不能与文件路径或 --resume 同时使用。"))
            try:
                removed = import_runs.rollback_import(rollback, progress=self.progress)
            except InvalidInput as exc:
                raise CommandError(str(exc)) from None
            self.stdout.write(_("已撤销导入记录%(run)d：删除%(n)d条。") % {"run": rollback, "n": removed})
            return
        if file is None and resume is None:
            raise CommandError(_("请给出要导入的文件路径。"))
        path = Path(file) if file else None
        if path is not None and not path.is_file():
            raise CommandError(_("找不到文件：%(file)s") % {"file": file})
        if batch_rows is not None and batch_rows < 0:
            raise CommandError(_("--batch-rows 不能为负数。"))
        kwargs = {} if batch_rows is None else {"batch_rows": batch_rows or None}
        try:
            result = import_documents(path, progress=self.progress, workers=workers, resume=resume, **kwargs)
        except ImportFailed as exc:
            lines = exc.details[:SHOW_ERRORS]
            if exc.total > len(lines):
                lines.append(f"…另有{exc.total - len(lines)}处错误")
            raise CommandError("\n".join([exc.message, *lines])) from None
        except InvalidInput as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"导入完成：{result.count}条，涉及{len(result.orgs)}个机构，用时{result.seconds:.1f}秒"
            f"（其中校验{result.validate_seconds:.1f}秒）；警告性审查发现{result.warnings}处；导入记录{result.run}"
        )
