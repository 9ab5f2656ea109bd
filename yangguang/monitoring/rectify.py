"""整改 (rectification) services (spec/monitoring.md "Rectification that cannot be faked").

- A failed indicator opens one item per org and indicator (`sync`, called by every run).
- The org answers (`answer`), optionally claiming 已整改 — which re-measures at once.
- Only a passing measurement of the same indicator for the same org closes (销号) an item:
  `sync` is the only code that takes the MEASURE_PASS action, and the database refuses a
  closed item without the passing result that closed it.
- A 已整改 claim that the measurement contradicts becomes 虚报整改 and notifies the supervisors.
Every state change writes one audit event inside its transaction.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Exists, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from yangguang.core import audit
from yangguang.core.errors import InvalidInput, NotAllowed
from yangguang.core.models import Notification
from yangguang.core.text import clean_multiline
from yangguang.core.workdays import Calendar
from yangguang.orgs import permissions
from yangguang.orgs.models import User
from yangguang.orgs.roles import Role

from .models import IndicatorResult, MonitoringRun, Rectification
from .rectify_table import OPEN_STATES, Action, State, next_state


def _move(rect: Rectification, action: str, by, data: dict | None = None) -> None:
    before = rect.state
    rect.state = next_state(rect.state, action)
    rect.save()
    audit.record(f"rectification.{action}", rect, actor=by, org_id=rect.org_id,
                 data={"from": before, "to": rect.state, "indicator": rect.indicator.code, **(data or {})})


def sync(run: MonitoringRun, results: list[IndicatorResult], today: date) -> dict[str, int]:
    """Open items for new failures, close items whose indicator now passes, flag contradicted claims.
    Runs inside the run's transaction."""
    if not results:
        return {"opened": 0, "closed": 0, "flagged": 0}
    org_ids = {r.org_id for r in results}
    ind_ids = {r.indicator_id for r in results}
    candidates = Rectification.objects.filter(state__in=OPEN_STATES, indicator_id__in=ind_ids)
    if len(org_ids) <= 500:  # a re-measurement of one org must not load the whole region's items
        candidates = candidates.filter(org_id__in=org_ids)
    existing = {(x.org_id, x.indicator_id): x for x in candidates.select_related("indicator", "org")
                if x.org_id in org_ids}
    calendar = None
    now = timezone.now()
    counts = {"opened": 0, "closed": 0, "flagged": 0}
    untouched = 0
    for r in results:
        rect = existing.get((r.org_id, r.indicator_id))
        if rect is None:
            if r.passed:
                continue
            calendar = calendar or Calendar.from_db()
            rect = Rectification.objects.create(
                org_id=r.org_id, indicator=r.indicator, opened_at=now, opened_by_result=r, last_result=r,
                last_measured_at=now,
                deadline=calendar.add_working_days(today, r.indicator.rectify_working_days).date)
            audit.record("rectification.open", rect, org_id=r.org_id,
                         data={"indicator": r.indicator.code, "value": r.value, "deadline": rect.deadline,
                               "run": run.pk})
            counts["opened"] += 1
            continue
        if r.passed:
            rect.last_result, rect.last_measured_at = r, now
            rect.closed_at, rect.closed_by_result = now, r
            _move(rect, Action.MEASURE_PASS, None, {"result": r.pk, "run": run.pk, "value": r.value})
            counts["closed"] += 1
        elif rect.state == State.CLAIMED:
            rect.last_result, rect.last_measured_at = r, now
            rect.false_claims += 1
            _move(rect, Action.MEASURE_FAIL, None, {"result": r.pk, "run": run.pk, "value": r.value})
            _notify_false_claim(rect)
            counts["flagged"] += 1
        else:
            untouched += 1
    if untouched:
        # One UPDATE for every still-failing item: point it at this run's result (unique per run,
        # org and indicator) — no per-row statements however many items are open.
        this_run = IndicatorResult.objects.filter(run=run, org_id=OuterRef("org_id"),
                                                  indicator_id=OuterRef("indicator_id")).values("id")[:1]
        (Rectification.objects.filter(state__in=OPEN_STATES, indicator_id__in=ind_ids)
         .filter(Exists(this_run)).update(last_result_id=Subquery(this_run), last_measured_at=now))
    return counts


def supervisors_of(org) -> list[User]:
    """The active 政务公开办 staff whose region contains ``org``: who is told about its 虚报整改."""
    users = User.objects.filter(role_grants__role=Role.SUPERVISOR, is_active=True, org__isnull=False)
    return permissions.supervisors_among(org, users.select_related("org"))


def _notify_false_claim(rect: Rectification) -> None:
    url = reverse("monitoring:rectification", args=[rect.pk])
    title = _("虚报整改：%(org)s报告“%(indicator)s”已整改，复测仍不合格") % {
        "org": rect.org.name, "indicator": rect.indicator.name}
    body = _("复测测得值：%(value)s；整改期限：%(deadline)s。") % {
        "value": rect.last_result.value if rect.last_result else "—", "deadline": f"{rect.deadline:%Y-%m-%d}"}
    rows = [Notification(user=u, kind="rectification_false", title=title[:200], body=body, url=url,
                         object_type="monitoring.rectification", object_id=str(rect.pk),
                         dedupe_key=f"rect-false:{rect.pk}:{rect.false_claims}:{u.pk}")
            for u in supervisors_of(rect.org)]
    Notification.objects.bulk_create(rows, ignore_conflicts=True)


# --- user actions --------------------------------------------------------------------------------


def answer(rect: Rectification, by, text: str, *, claim_fixed: bool = False) -> Rectification:
    """The org's answer. A 已整改 claim is checked at once by re-measuring the indicator."""
    if not permissions.can_answer_rectification(by, rect):
        raise NotAllowed(_("只有本机构人员可以答复本机构的整改事项。"))
    text = clean_multiline(text)
    if not text:
        raise InvalidInput(_("请填写整改情况说明。"))
    if len(text) > 2000:
        raise InvalidInput(_("整改情况说明不能超过2000字。"))
    with transaction.atomic():
        rect = Rectification.objects.select_for_update().select_related("indicator", "org").get(pk=rect.pk)
        rect.answer, rect.claimed_fixed = text, claim_fixed
        rect.answered_at, rect.answered_by = timezone.now(), by
        _move(rect, Action.CLAIM_FIXED if claim_fixed else Action.ANSWER, by, {"answer": text[:200]})
    if claim_fixed:
        return remeasure(rect, by)
    return rect


def remeasure(rect: Rectification, by) -> Rectification:
    """Measure this item's indicator for its org now; the run closes or flags it."""
    from . import engine

    if not permissions.can_remeasure(by, rect):
        raise NotAllowed(_("无权复测该整改事项。"))
    if rect.state == State.CLOSED:
        raise InvalidInput(_("该整改事项已销号。"))
    engine.run(trigger=MonitoringRun.Trigger.REMEASURE, by=by, scope_org=rect.org, only_org=True,
               indicator=rect.indicator)
    return Rectification.objects.select_related("indicator", "org", "last_result").get(pk=rect.pk)


def is_overdue(rect: Rectification, today: date | None = None) -> bool:
    return rect.state != State.CLOSED and (today or timezone.localdate()) > rect.deadline
