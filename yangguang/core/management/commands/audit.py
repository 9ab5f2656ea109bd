from django.core.management.base import BaseCommand, CommandError

from yangguang.core import audit


class Command(BaseCommand):
    help = "审计日志工具。audit verify：校验哈希链，指出第一条被改动的记录。"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify"], help="verify：校验审计日志哈希链")

    def handle(self, *args, action, **opts):
        checked, broken = audit.verify()
        if broken is not None:
            where = f"第{broken.event_id}号记录" if broken.event_id else "链尾"
            raise CommandError(f"审计日志校验失败：{where}：{broken.reason}（此前{checked}条记录完好）")
        self.stdout.write(f"审计日志完好：共{checked}条记录，哈希链连续。")
