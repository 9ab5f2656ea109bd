"""Settings of the monitoring (检查指标 and 考评期) changed by a system administrator — through the
admin, which is a client of these services like any page: the permission is asked here
(``permissions.can_change_settings``), the input is checked here with Chinese messages, and each
change is one transaction with one audit event recording what changed from what.

An indicator's threshold, points and level are the law as data (spec/monitoring.md): a changed
threshold changes who fails, so nobody changes one without a trace. Indicators are deactivated,
never deleted (their results and rectifications refer to them).
"""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from yangguang.core import audit
from yangguang.core.errors import InvalidInput, NotAllowed
from yangguang.orgs import permissions

from .indicators import Level
from .models import AssessmentPeriod, Indicator

# The fields of an indicator a system administrator sets (all of them but the id).
INDICATOR_FIELDS = ("code", "name", "legal_basis", "level", "measure", "threshold", "points", "per_item", "cap",
                    "params", "rectify_working_days", "description", "active", "position")
CODE_RE = re.compile(r"[-a-zA-Z0-9_]{1,40}")
MAX_POINTS = Decimal("999.99")  # DecimalField(max_digits=5, decimal_places=2)
MAX_RECTIFY_DAYS = 365
PERIOD_FIELDS = ("name", "self_assessment_open")


def _require(by) -> None:
    if not permissions.can_change_settings(by):
        raise NotAllowed(_("只有系统管理员可以修改检查指标和考评设置。"))


def _decimal(value) -> Decimal | None:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def indicator_errors(values: dict, instance: Indicator | None = None) -> dict[str, str]:
    """{field: Chinese message} for every invalid value of an indicator (empty when all are valid).
    ``values`` holds the fields being set; ``instance`` is the indicator being changed (None: new)."""
    from .measures import REGISTRY

    errors: dict[str, str] = {}
    code = str(values.get("code") or "").strip()
    if "code" in values:
        if not CODE_RE.fullmatch(code):
            errors["code"] = _("指标代码应为不超过40个字符的英文字母、数字、连字符或下划线。")
        elif Indicator.objects.filter(code=code).exclude(pk=getattr(instance, "pk", None)).exists():
            errors["code"] = _("指标代码“%(code)s”已被使用。") % {"code": code}
    for name, limit, label in (("name", 100, _("指标名称")), ("legal_basis", 200, _("依据"))):
        if name in values:
            text = str(values.get(name) or "").strip()
            if not text or len(text) > limit:
                errors[name] = _("请填写%(label)s（不超过%(limit)s字）。") % {"label": label, "limit": limit}
    if "level" in values and values["level"] not in Level.values:
        errors["level"] = _("请选择指标类别。")
    if "measure" in values and values["measure"] not in REGISTRY:
        errors["measure"] = _("未注册的测量方法：%(measure)s") % {"measure": values["measure"]}
    if "threshold" in values:
        try:
            threshold = float(values["threshold"])
        except (TypeError, ValueError):
            threshold = -1.0
        if not math.isfinite(threshold) or threshold < 0:
            errors["threshold"] = _("阈值应为不小于0的数。")
    if "points" in values:
        points = _decimal(values["points"])
        if points is None or not 0 <= points <= MAX_POINTS:
            errors["points"] = _("分值应为0至%(max)s之间的数（扣分也填正数）。") % {"max": MAX_POINTS}
    if values.get("cap") not in (None, ""):
        cap = _decimal(values["cap"])
        if cap is None or not 0 <= cap <= MAX_POINTS:
            errors["cap"] = _("扣分上限应为0至%(max)s之间的数，或留空。") % {"max": MAX_POINTS}
    if "params" in values and not isinstance(values["params"], dict):
        errors["params"] = _("参数应为JSON对象（形如 {\"days\": 14}）。")
    if "rectify_working_days" in values and not _int_between(values["rectify_working_days"], 1, MAX_RECTIFY_DAYS):
        errors["rectify_working_days"] = _("整改期限应为1至%(max)s个工作日。") % {"max": MAX_RECTIFY_DAYS}
    if "position" in values and not _int_between(values["position"], 0, 32767):
        errors["position"] = _("排序应为0至32767之间的整数。")
    return errors


def _int_between(value, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _clean(values: dict) -> dict:
    out = dict(values)
    for name in ("code", "name", "legal_basis"):
        if name in out:
            out[name] = str(out[name] or "").strip()
    if "description" in out:
        out["description"] = str(out["description"] or "").strip()
    if "threshold" in out:
        out["threshold"] = float(out["threshold"])
    if "points" in out:
        out["points"] = _decimal(out["points"])
    if "cap" in out:
        out["cap"] = None if out["cap"] in (None, "") else _decimal(out["cap"])
    for name in ("per_item", "active"):
        if name in out:
            out[name] = bool(out[name])
    return out


def _check(values: dict, instance: Indicator | None) -> dict:
    unknown = sorted(set(values) - set(INDICATOR_FIELDS))
    if unknown:
        raise InvalidInput(_("未知的指标字段：%(fields)s") % {"fields": "、".join(unknown)})
    errors = indicator_errors(values, instance)
    if errors:
        raise InvalidInput(_("检查指标设置有误。"), details=list(errors.values()))
    return _clean(values)


def _shown(value):
    return str(value) if isinstance(value, Decimal) else value


def create_indicator(by, **fields) -> Indicator:
    """A new indicator (a deployment's own 检查指标). One audit event with its settings."""
    _require(by)
    missing = [f for f in ("code", "name", "legal_basis", "level", "measure") if f not in fields]
    if missing:
        raise InvalidInput(_("请填写：%(fields)s") % {"fields": "、".join(missing)})
    values = _check(fields, None)
    with transaction.atomic():
        indicator = Indicator.objects.create(**values)
        audit.record("indicator.create", indicator, actor=by,
                     data={name: _shown(getattr(indicator, name)) for name in INDICATOR_FIELDS})
    return indicator


def update_indicator(indicator: Indicator, by, **fields) -> Indicator:
    """Change an indicator's settings (threshold, points, level, measure, …). One audit event listing
    every changed field with its old and new value; nothing is written when nothing changed."""
    _require(by)
    values = _check(fields, indicator)
    with transaction.atomic():
        row = Indicator.objects.select_for_update().get(pk=indicator.pk)
        changed = {}
        for name, value in values.items():
            before = getattr(row, name)
            if before != value:
                changed[name] = {"from": _shown(before), "to": _shown(value)}
                setattr(row, name, value)
        if changed:
            row.save(update_fields=sorted(changed))
            audit.record("indicator.change", row, actor=by, data={"code": row.code, "changed": changed})
    return row


def update_period(period: AssessmentPeriod, by, **fields) -> AssessmentPeriod:
    """Rename an assessment period or stop / reopen its 自评. Its region and dates are fixed once
    set (its measured scores are computed over them). One audit event."""
    _require(by)
    unknown = sorted(set(fields) - set(PERIOD_FIELDS))
    if unknown:
        raise InvalidInput(_("考评期的范围和起止日期设立后不能修改。"))
    values = dict(fields)
    if "name" in values:
        values["name"] = str(values["name"] or "").strip()
        if not values["name"] or len(values["name"]) > 60:
            raise InvalidInput(_("请填写考评期名称（不超过60字）。"))
    if "self_assessment_open" in values:
        values["self_assessment_open"] = bool(values["self_assessment_open"])
    with transaction.atomic():
        row = AssessmentPeriod.objects.select_for_update().get(pk=period.pk)
        changed = {name: {"from": getattr(row, name), "to": value} for name, value in values.items()
                   if getattr(row, name) != value}
        if changed:
            for name in changed:
                setattr(row, name, values[name])
            row.save(update_fields=sorted(changed))
            audit.record("assessment.update", row, actor=by, org_id=row.region_id, data={"changed": changed})
    return row
