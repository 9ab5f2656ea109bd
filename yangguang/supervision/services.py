"""Bulletin actions (通报): generate a draft, edit its narrative, issue it. Each checks permission,
changes state in one transaction and writes one audit event. The state machine is the table below."""

from __future__ import annotations

import hashlib
import json
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yangguang.core import audit
from yangguang.core.errors import IllegalTransition, InvalidInput, NotAllowed
from yangguang.core.text import clean_multiline, clean_text
from yangguang.orgs import permissions
from yangguang.orgs.models import Organization, User
from yangguang.orgs.roles import Role

from . import export
from . import facts as F
from .models import Bulletin
from .months import Month

# (state, action) → new state; anything else is refused.
TRANSITIONS = {
    (Bulletin.State.DRAFT, "edit"): Bulletin.State.DRAFT,
    (Bulletin.State.DRAFT, "issue"): Bulletin.State.ISSUED,
}
NARRATIVE_MAX = 20_000
DEFAULT_NARRATIVE = (
    "（一）杜绝空白月，完成月度任务。各单位要把完成月度发布任务作为基础工作来抓，确保每月均有信息发布。\n"
    "（二）认真落实整改任务。对本通报指出的问题逐项整改，整改结果以系统复核为准。\n"
    "（三）按期发布政府信息公开工作年度报告，及时更新长期未更新栏目。"
)


def title_for(month: Month) -> str:
    return f"关于{month.label}政府信息发布情况的通报"


def _transition(bulletin: Bulletin, action: str) -> str:
    new = TRANSITIONS.get((bulletin.state, action))
    if new is None:
        raise IllegalTransition(_("通报已签发，不能再修改。") if bulletin.is_issued else _("当前状态不允许此操作。"))
    return new


def _require(by, region: Organization) -> None:
    if by is not None and not permissions.supervises(by, region):
        raise NotAllowed(_("只有本地区政务公开办可以办理通报。"))


def generate_draft(region: Organization, month: Month, by=None, today: date | None = None) -> tuple[Bulletin, bool]:
    """The draft of `region`'s bulletin for `month`, created only if there is none yet (any state).
    Returns (bulletin, created). `by` None: the system (the monthly task)."""
    _require(by, region)
    today = today or timezone.localdate()
    if month >= Month.of(today):
        raise InvalidInput(_("只能为已经结束的月份生成通报。"))
    existing = Bulletin.objects.filter(region=region, year=month.year, month=month.month).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            bulletin = Bulletin.objects.create(region=region, year=month.year, month=month.month,
                                               title=title_for(month), narrative=DEFAULT_NARRATIVE,
                                               created_by=by if getattr(by, "pk", None) else None)
            audit.record("bulletin.generate", bulletin, actor=by, org_id=region.pk,
                         data={"region": region.pk, "month": month.key})
    except IntegrityError:  # a concurrent run created it first
        return Bulletin.objects.get(region=region, year=month.year, month=month.month), False
    return bulletin, True


def update_narrative(bulletin: Bulletin, by, narrative: str, title: str | None = None) -> Bulletin:
    _require(by, bulletin.region)
    narrative = clean_multiline(narrative)
    if len(narrative) > NARRATIVE_MAX:
        raise InvalidInput(_("通报文字不能超过%(max)s字。") % {"max": NARRATIVE_MAX})
    title = clean_text(title or bulletin.title)
    if not title or len(title) > 200:
        raise InvalidInput(_("标题不能为空，且不超过200字。"))
    with transaction.atomic():
        bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
        _transition(bulletin, "edit")
        changed = {"narrative": bulletin.narrative != narrative, "title": bulletin.title != title}
        bulletin.narrative, bulletin.title = narrative, title
        bulletin.save(update_fields=["narrative", "title"])
        audit.record("bulletin.edit", bulletin, actor=by, org_id=bulletin.region_id,
                     data={"changed": [k for k, v in changed.items() if v], "length": len(narrative)})
    return bulletin


def facts_of(bulletin: Bulletin, today: date | None = None) -> dict:
    """Stored facts once issued; computed now while a draft."""
    if bulletin.is_issued and bulletin.facts is not None:
        return bulletin.facts
    return F.compute(bulletin.region, Month(bulletin.year, bulletin.month), today)


def _digest(data: dict) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def issue(bulletin: Bulletin, by, visibility: str) -> Bulletin:
    """签发: freeze the facts as computed now and publish on /bulletins/ or keep internal."""
    _require(by, bulletin.region)
    if by is None:
        raise NotAllowed(_("通报须由政务公开办工作人员签发。"))
    if visibility not in Bulletin.Visibility.values:
        raise InvalidInput(_("请选择公开发布或内部印发。"))
    with transaction.atomic():
        bulletin = Bulletin.objects.select_for_update().select_related("region").get(pk=bulletin.pk)
        new = _transition(bulletin, "issue")
        bulletin.facts = F.compute(bulletin.region, Month(bulletin.year, bulletin.month))
        bulletin.state, bulletin.visibility = new, visibility
        bulletin.issued_by, bulletin.issued_at = by, timezone.now()
        bulletin.save(update_fields=["facts", "state", "visibility", "issued_by", "issued_at"])
        audit.record("bulletin.issue", bulletin, actor=by, org_id=bulletin.region_id, data={
            "visibility": visibility, "month": f"{bulletin.year:04d}-{bulletin.month:02d}",
            "facts_sha256": _digest(bulletin.facts), "narrative_sha256": _digest({"t": bulletin.narrative}),
        })
    return bulletin


def document_blocks(bulletin: Bulletin, facts: dict | None = None) -> list[export.Block]:
    facts = facts if facts is not None else facts_of(bulletin)
    when = timezone.localtime(bulletin.issued_at).date() if bulletin.issued_at else timezone.localdate()
    issuer = f"{bulletin.region.name}政务公开办公室"
    return export.blocks(bulletin.title, facts, bulletin.narrative, issuer, f"{when.year}年{when.month}月{when.day}日")


def supervised_regions() -> list[Organization]:
    """Orgs with an active 政务公开办 user: each gets a bulletin for its subtree."""
    ids = User.objects.filter(is_active=True, role_grants__role=Role.SUPERVISOR, org__isnull=False) \
        .values_list("org_id", flat=True).distinct()
    return list(Organization.objects.filter(id__in=list(ids)).order_by("path"))


def generate_monthly(today: date | None = None) -> dict:
    """Create last month's draft for every supervised region where it is missing. Safe to run daily
    and twice: normally it creates them on the 1st; on later days it only catches up."""
    today = today or timezone.localdate()
    month = Month.of(today).previous()
    created = [r.pk for r in supervised_regions() if generate_draft(r, month, today=today)[1]]
    return {"month": month.key, "created": created}
