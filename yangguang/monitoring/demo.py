"""Demo monitoring: one full measurement of the demo city, so the monitoring pages show real results
(computed from the demo documents and applications, nothing typed in), plus — through the real
services — one 已整改 claim that the re-measurement contradicts (虚报整改) and an assessment period."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from yangguang.orgs.models import User

from . import assessment, rectify
from .models import AssessmentPeriod, Rectification
from .rectify_table import State
from .tasks import daily_run


def _quarter(today: date) -> tuple[date, date, str]:
    q = (today.month - 1) // 3
    start = date(today.year, q * 3 + 1, 1)
    end = date(today.year + (q == 3), (q * 3 + 3) % 12 + 1, 1) - timedelta(days=1)
    return start, end, f"{today.year}年第{'一二三四'[q]}季度"


def load_monitoring_demo() -> str:
    run = daily_run(force=True)
    text = f"监测{run.orgs}个机构，不合格{run.failed}项，整改事项{run.stats['rectifications']['opened']}件"
    clerk = User.objects.filter(username="jyj_clerk").first()
    if clerk is not None:
        rect = Rectification.objects.filter(org=clerk.org, state=State.OPEN).order_by("indicator__position").first()
        if rect is not None:
            rect = rectify.answer(rect, clerk, "已安排专人负责，问题已整改。", claim_fixed=True)
            if rect.state == State.FALSE_CLAIM:
                text += "，其中1件报告已整改而复测不合格（虚报整改）"
    gkb = User.objects.filter(username="gkb").first()
    if gkb is not None and gkb.org is not None:
        start, end, name = _quarter(timezone.localdate())
        if not AssessmentPeriod.objects.filter(region=gkb.org, start=start, end=end).exists():
            assessment.create_period(gkb, kind=AssessmentPeriod.Kind.QUARTER, name=name, start=start, end=end)
    return text
