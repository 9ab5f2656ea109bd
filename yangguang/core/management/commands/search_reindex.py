import sys

from django.core.management.base import BaseCommand

from yangguang.core.search.reindex import default_workers, reindex


class Command(BaseCommand):
    help = ("重建全文检索索引：按批读取全部公开的政府信息，分词后写入索引，每批一个事务；"
            "重建期间原索引照常可用，已不公开的文件从索引中删除。")

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=1000, help="每批文件数（默认1000）")
        parser.add_argument("--workers", type=int, default=None,
                            help=f"进程数（含主进程；默认为CPU核数加1，本机为{default_workers()}）")
        parser.add_argument("--clear", action="store_true", help="先清空索引（重建完成前检索结果不完整）")
        parser.add_argument("--if-needed", action="store_true",
                            help="只在索引条数与公开文件数不一致时重建（用于启动脚本，可重复执行）")

    def handle(self, *args, batch_size, workers, clear, if_needed=False, **opts):
        from yangguang.core.search.reindex import repair_interrupted_build

        if repair_interrupted_build(lambda m: self.stderr.write(m)):
            self.stdout.write("已补建上次中断的全文索引")
        if if_needed:
            from yangguang.core.registry import search_source
            from yangguang.core.search.models import SearchEntry

            # A database upgraded from before the index existed (or restored from a backup) has
            # public documents without index rows; a fresh or up-to-date one skips the work.
            if SearchEntry.objects.count() == search_source().public_documents().count():
                self.stdout.write("全文检索索引已是最新，跳过")
                return
        def progress(message: str) -> None:
            sys.stderr.write(message + "\n")
            sys.stderr.flush()

        result = reindex(batch_size=max(1, batch_size), clear=clear, workers=workers, progress=progress)
        self.stdout.write(f"索引重建完成：{result.count}篇，删除失效索引{result.removed}条，用时{result.seconds:.1f}秒")
