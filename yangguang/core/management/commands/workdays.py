"""`yangguang workdays add DATE N` / `yangguang workdays explain DATE N`: the legal clock on the
official calendar (the start day is not counted, 《民法典》第二百零一条)."""

from datetime import date, datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from yangguang.core import workdays


def parse_date(raw: str) -> date:
    try:
        return datetime.strptime(raw, "%Y-%m-%d").date()
    except ValueError:
        raise CommandError(_("日期“%(value)s”无效，应为YYYY-MM-DD格式的真实日期，如2025-09-26") % {"value": raw}) from None


def parse_count(raw: str) -> int:
    try:
        n = int(raw)
    except ValueError:
        raise CommandError(_("工作日数“%(value)s”无效，应为非负整数") % {"value": raw}) from None
    if n < 0:
        raise CommandError(_("工作日数不能为负数：%(n)d") % {"n": n})
    return n


class Command(BaseCommand):
    help = (
        "工作日计算（起算日当日不计，自次日开始计算）。"
        "workdays add 日期 天数：输出该日期之后第N个工作日（YYYY-MM-DD），"
        "计算涉及节假日安排未录入的年份时在同一行后加“ provisional”（暂定）；"
        "workdays explain 日期 天数：逐日列出计算过程（哪些日子不计及原因）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["add", "explain"], help="add：计算到期日；explain：逐日说明")
        parser.add_argument("date", help="起算日期，YYYY-MM-DD")
        parser.add_argument("n", help="工作日数（非负整数）")

    def handle(self, *args, action, date, n, **opts):
        start, count = parse_date(date), parse_count(n)
        try:
            result = workdays.add_working_days(start, count)
        except ValueError as e:
            raise CommandError(str(e)) from None
        if action == "add":
            self.stdout.write(f"{result.date:%Y-%m-%d}{' provisional' if result.provisional else ''}")
            return
        for line in workdays.explain(result):
            self.stdout.write(line)
