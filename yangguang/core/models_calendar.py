"""The official calendar (工作日) as data: one row per year whose schedule is loaded, and one row
per exception to the weekday rule in that year.

Basis: weekends — 《国务院关于职工工作时间的规定》(国务院令第174号) 第七条, Saturday and Sunday are
the weekly rest days of state organs; holidays — 《全国年节及纪念日放假办法》(2024 revision) and the
State Council's yearly notice 《国务院办公厅关于YYYY年部分节假日安排的通知》, which lists the days off
(放假) and the weekend days worked instead (调休上班). Only these exceptions are stored; every other
weekday is a working day and every other weekend day is not. A year without a `CalendarYear` row is
"not loaded": deadlines falling in it are computed on the weekday rule and marked 暂定 (provisional),
see `yangguang.core.workdays`.
"""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.utils import timezone


class CalendarYear(models.Model):
    """A year whose holiday schedule is loaded. Deleting it deletes its days (the year becomes
    provisional again)."""

    year = models.PositiveSmallIntegerField("年份", unique=True)
    loaded_at = models.DateTimeField("录入时间", default=timezone.now)
    # Bumped on every save (the admin saves the year whenever its days are edited): together with
    # the row count it is the version of the calendar that `workdays.Calendar.from_db()` caches on.
    updated_at = models.DateTimeField("最后修改", auto_now=True)
    source = models.CharField(
        "来源", max_length=200,
        help_text="安排的依据，如“国办发明电〔2025〕7号”、“chinesecalendar 1.11.0”或导入的文件名。",
    )
    note = models.TextField("备注", blank=True)

    class Meta:
        verbose_name = "年度节假日安排"
        verbose_name_plural = "年度节假日安排"
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year}年节假日安排"


class CalendarDay(models.Model):
    """One exception to the weekday rule: a day off (放假, usually a weekday, but a holiday falling on
    a weekend is listed too, e.g. 元旦 on a Saturday) or a weekend day worked (调休上班)."""

    HOLIDAY = "holiday"
    MAKEUP_WORKDAY = "makeup_workday"
    KIND_CHOICES = [(HOLIDAY, "放假"), (MAKEUP_WORKDAY, "调休上班")]

    date = models.DateField("日期", unique=True)
    kind = models.CharField("类型", max_length=16, choices=KIND_CHOICES)
    name = models.CharField("节日", max_length=100, help_text="如“春节”“国庆节、中秋节”。")
    year = models.ForeignKey(CalendarYear, verbose_name="年度", on_delete=models.CASCADE, related_name="days")

    class Meta:
        verbose_name = "节假日调整"
        verbose_name_plural = "节假日调整"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}（{self.name}）"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.date is not None:
            if self.kind == self.MAKEUP_WORKDAY and self.date.weekday() < 5:
                errors["kind"] = f"{self.date:%Y-%m-%d}是周一至周五，本来就是工作日，不能登记为调休上班。"
            try:
                year = self.year
            except ObjectDoesNotExist:
                year = None
            if year is not None and year.year and self.date.year != year.year:
                errors["date"] = f"{self.date:%Y-%m-%d}不属于{year.year}年。"
        if errors:
            raise ValidationError(errors)
