import re

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from yangguang.core import audit

HEAD = re.compile(r"^(\d+):([0-9a-f]{64})(?::[0-9a-f]{64})?$")


class Command(BaseCommand):
    help = ("审计日志工具。audit verify：校验哈希链与签名（密钥在数据库之外），指出第一条被改动的记录；"
            "audit head：输出已签名的链头，请定期另行保存，日后用 audit verify --head 核对。")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify", "head"],
                            help="verify：校验审计日志；head：输出已签名的链头（编号:哈希:签名）")
        parser.add_argument("--head", default=None, metavar="ID:HASH[:MAC]",
                            help="（verify）核对此前另行保存的链头仍在链中且未被改写")

    def handle(self, *args, action, head=None, **opts):
        if action == "head":
            line = audit.signed_head()
            if not line:
                raise CommandError(_("审计日志为空，没有链头。"))
            self.stdout.write(line)
            return
        anchor = None
        if head:
            m = HEAD.match(head.strip())
            if not m:
                raise CommandError(_("--head 的格式应为“编号:哈希”或“编号:哈希:签名”（audit head 的输出）。"))
            anchor = (int(m[1]), m[2])
        checked, broken = audit.verify(anchor=anchor)
        if broken is not None:
            where = _("第%(id)s号记录") % {"id": broken.event_id} if broken.event_id else _("链尾")
            raise CommandError(_("审计日志校验失败：%(where)s：%(reason)s（此前%(checked)d条记录完好）")
                               % {"where": where, "reason": broken.reason, "checked": checked})
        self.stdout.write(_("审计日志完好：共%(checked)d条记录，哈希链连续，签名有效。") % {"checked": checked})
