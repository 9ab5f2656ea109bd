"""Calendar months in local time (Asia/Shanghai by default): a month is [00:00 on the 1st, 00:00 on the
next 1st) on the wall clock of `settings.TIME_ZONE`, so 23:59 on the 31st and 00:00 on the 1st fall
into different months whatever UTC says."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    def __post_init__(self):
        if not 1 <= self.month <= 12:
            raise ValueError(_("月份应为1至12"))

    @classmethod
    def of(cls, d: date) -> Month:
        return cls(d.year, d.month)

    @classmethod
    def parse(cls, text: str) -> Month:
        """'2026-03' → Month(2026, 3); ValueError when malformed."""
        year, month = text.strip().split("-")
        return cls(int(year), int(month))

    def previous(self) -> Month:
        return Month(self.year - 1, 12) if self.month == 1 else Month(self.year, self.month - 1)

    def next(self) -> Month:
        return Month(self.year + 1, 1) if self.month == 12 else Month(self.year, self.month + 1)

    def minus(self, n: int) -> Month:
        index = self.year * 12 + self.month - 1 - n
        return Month(index // 12, index % 12 + 1)

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        return date.fromordinal(self.next().first_day.toordinal() - 1)

    @property
    def start(self) -> datetime:
        """00:00 on the 1st, local time, as an aware datetime."""
        return timezone.make_aware(datetime(self.year, self.month, 1))

    @property
    def end(self) -> datetime:
        return self.next().start

    @property
    def key(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        return f"{self.year}年{self.month}月"

    def __str__(self) -> str:
        return self.key


def trunc_key(value) -> Month:
    """The Month of a TruncMonth value (aware datetime, naive datetime or date, per backend)."""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return Month(value.year, value.month)
