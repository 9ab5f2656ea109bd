"""`yangguang calendar load FILE` / `show YEAR` / `seed`: the official calendar (节假日安排)."""

from itertools import groupby

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from yangguang.core import calendar_seed
from yangguang.core.models_calendar import CalendarDay, CalendarYear
from yangguang.core.workdays import provisional_reason, weekday_name

LOAD_HELP = """\
calendar load 文件：导入一个或多个年度的节假日安排（国务院办公厅年度通知），UTF-8编码。
CSV格式，每行一天：日期,类型,名称。例如：
  2031-01-01,休,元旦
  2031-01-04,班,元旦
类型：holiday/休/放假（放假日，落在周末的节日也可列出）；
makeup_workday/班/上班/调休上班（调休上班日，必须是周六或周日）。
可有表头行（date,kind,name 或 日期,类型,名称）；空行和以#开头的行忽略。
也可用JSON（扩展名.json）：[{"date": "2031-01-01", "kind": "holiday", "name": "元旦"}, …]。
文件中出现的每个年份整年替换并标记为已录入，来源记为文件名（或 --source）；
任何一行有误则全部不导入，并列出所有错误。
calendar show 年份：按节日列出该年的放假日和调休上班日。
calendar seed：从chinesecalendar数据包补录尚未录入的年份（--replace 覆盖已录入的年份）。"""


class Command(BaseCommand):
    help = LOAD_HELP

    def create_parser(self, prog_name, subcommand, **kwargs):
        from argparse import RawDescriptionHelpFormatter

        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.formatter_class = RawDescriptionHelpFormatter
        return parser

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["load", "show", "seed"], help="load / show / seed")
        parser.add_argument("target", nargs="?", help="load：文件路径；show：年份")
        parser.add_argument("--source", default="", help="load：来源（如“国办发明电〔2025〕7号”），默认为文件名")
        parser.add_argument("--note", default="", help="load：备注")
        parser.add_argument("--year", type=int, action="append", help="seed：只补录这些年份（可重复）")
        parser.add_argument("--replace", action="store_true", help="seed：覆盖已录入的年份")

    def handle(self, *args, action, target, source, note, year, replace, **opts):
        if action == "load":
            self.load(target, source, note)
        elif action == "show":
            self.show(target)
        else:
            written = calendar_seed.seed_command(year, replace=replace)
            if written:
                self.stdout.write(_("已从%(source)s录入：%(years)s年") % {
                    "source": calendar_seed.chinesecalendar_source(), "years": "、".join(map(str, written))})
            else:
                self.stdout.write(_("没有需要录入的年份（已录入的年份未改动，如需覆盖请加 --replace）"))

    def load(self, path: str | None, source: str, note: str) -> None:
        if not path:
            raise CommandError(_("请指定要导入的文件：yangguang calendar load 文件"))
        from pathlib import Path

        try:
            rows = calendar_seed.parse_calendar_file(path)
            years = calendar_seed.load_calendar(rows, source=source or Path(path).name, note=note)
        except calendar_seed.CalendarFileError as e:
            raise CommandError(_("导入失败，未写入任何数据（共%(count)d处错误）：") % {"count": len(e.errors)}
                               + "\n" + "\n".join(e.errors)) from None
        holidays = sum(r.kind == calendar_seed.HOLIDAY for r in rows)
        self.stdout.write(_("已导入%(years)s节假日安排：放假%(holidays)d天，调休上班%(workdays)d天。") % {
            "years": "、".join(_("%(year)d年") % {"year": y} for y in years),
            "holidays": holidays, "workdays": len(rows) - holidays})

    def show(self, raw: str | None) -> None:
        try:
            year = int(raw or "")
        except ValueError:
            raise CommandError(_("年份“%(value)s”无效，应为四位数字，如2026") % {"value": raw or ""}) from None
        loaded = CalendarYear.objects.filter(year=year).first()
        if loaded is None:
            self.stdout.write(_("%(year)d年：未录入（%(reason)s）") % {"year": year, "reason": provisional_reason(year)})
            return
        self.stdout.write(_("%(year)d年：已录入（来源：%(source)s；录入时间：%(loaded_at)s）") % {
            "year": year, "source": loaded.source, "loaded_at": f"{loaded.loaded_at:%Y-%m-%d %H:%M}"})
        days = list(CalendarDay.objects.filter(year=loaded).order_by("date"))
        if not days:
            self.stdout.write(_("（该年没有放假或调休上班的调整）"))
        # Group by holiday, in the order of each holiday's first day off (its 调休 day may come earlier).
        first: dict[str, tuple] = {}
        for d in days:
            key = (d.kind != CalendarDay.HOLIDAY, d.date)
            first[d.name] = min(first.get(d.name, key), key)
        order = {name: (key[0], key[1]) for name, key in first.items()}
        for name, group in groupby(sorted(days, key=lambda d: (order[d.name], d.date)), key=lambda d: d.name):
            group = list(group)
            off = [d for d in group if d.kind == CalendarDay.HOLIDAY]
            work = [d for d in group if d.kind == CalendarDay.MAKEUP_WORKDAY]
            line = _("%(name)s：放假%(days)d天") % {"name": name, "days": len(off)}
            if off:
                line += f"（{_dates(off)}）"
            if work:
                line += _("；调休上班%(dates)s") % {"dates": _dates(work)}
            self.stdout.write(line)


def _dates(days: list[CalendarDay]) -> str:
    return "、".join(f"{d.date:%m-%d}{weekday_name(d.date)}" for d in days)
