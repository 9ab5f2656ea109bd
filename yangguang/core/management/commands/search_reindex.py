import sys

from django.core.management.base import BaseCommand

from yangguang.core.search.reindex import default_workers, health, rebuild


class Command(BaseCommand):
    help = ("重建全文检索索引：读取全部公开的政府信息，分词后写入新的索引目录，完成后原子切换；"
            "重建期间原索引照常可用。")

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=1000, help="每批文件数（默认1000）")
        parser.add_argument("--workers", type=int, default=None,
                            help=f"进程数（含主进程；默认为CPU核数加1，本机为{default_workers()}）")
        parser.add_argument("--if-needed", action="store_true",
                            help="先写入尚未写入索引的变更；只在索引篇数与公开文件数仍不一致、或索引落后于已记录的提交时重建（用于启动脚本，可重复执行）")

    def handle(self, *args, batch_size, workers, if_needed=False, **opts):
        if if_needed:
            state = health()
            if state.documents is not None and state.pending:
                from yangguang.core.search.changes import apply

                self.stdout.write(f"已写入{apply()}条待写入索引的变更")
                state = health()
            if state.documents == state.public and not state.behind:
                self.stdout.write("全文检索索引已是最新，跳过")
                return

        def progress(message: str) -> None:
            sys.stderr.write(message + "\n")
            sys.stderr.flush()

        result = rebuild(batch_size=max(1, batch_size), workers=workers, progress=progress)
        self.stdout.write(f"索引重建完成：{result.count}篇，用时{result.seconds:.1f}秒")
