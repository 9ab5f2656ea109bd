"""Input errors of every API router answered the same way: 422 with {detail, errors} in Chinese.

Parameters declare their bounds in the schema (``Query(ge=…, le=…)``, ``Path(ge=…, le=…)``), so
a negative offset, a limit of 0 or a 20-digit number is refused by validation before any query
runs — and the OpenAPI document tells callers the bounds.
"""

from __future__ import annotations

from typing import Annotated

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Path, Query
from ninja.errors import ValidationError

# The largest id a BIGINT primary key can hold (PostgreSQL bigint, SQLite INTEGER): a larger id
# in a path would overflow the database's integer instead of simply matching nothing.
MAX_ID = 2**63 - 1
# OFFSET paging of staff lists stops here (the lists are a workbench's, not an export).
MAX_OFFSET = 100_000

ObjectId = Annotated[int, Path(ge=1, le=MAX_ID, description="对象编号")]


def limit_param(default: int, maximum: int):
    return Query(default, ge=1, le=maximum, description=f"每页条数（1–{maximum}）")


def offset_param():
    return Query(0, ge=0, le=MAX_OFFSET, description=f"跳过的条数（0–{MAX_OFFSET}）")


_MESSAGES = {
    "missing": gettext_lazy("缺少必填参数"),
    "int_parsing": gettext_lazy("应为整数"),
    "int_type": gettext_lazy("应为整数"),
    "int_from_float": gettext_lazy("应为整数"),
    "float_parsing": gettext_lazy("应为数字"),
    "bool_parsing": gettext_lazy("应为 true 或 false"),
    "uuid_parsing": gettext_lazy("应为 UUID"),
    "uuid_type": gettext_lazy("应为 UUID"),
    "enum": gettext_lazy("取值无效"),
    "literal_error": gettext_lazy("取值无效"),
    "greater_than_equal": gettext_lazy("不能小于 {ge}"),
    "greater_than": gettext_lazy("应大于 {gt}"),
    "less_than_equal": gettext_lazy("不能大于 {le}"),
    "less_than": gettext_lazy("应小于 {lt}"),
    "string_too_long": gettext_lazy("过长（最多 {max_length} 个字符）"),
    "string_too_short": gettext_lazy("过短"),
    "date_from_datetime_parsing": gettext_lazy("应为日期（YYYY-MM-DD）"),
    "date_parsing": gettext_lazy("应为日期（YYYY-MM-DD）"),
    "json_invalid": gettext_lazy("不是有效的 JSON"),
}


def describe_error(err: dict) -> str:
    """One pydantic error as a Chinese sentence naming the parameter."""
    name = str(err.get("loc", ["?"])[-1])
    template = str(_MESSAGES.get(err.get("type", ""), _("格式不正确")))
    ctx = err.get("ctx") or {}
    try:
        message = template.format(**ctx)
    except (KeyError, IndexError):
        message = template
    if err.get("type") in ("enum", "literal_error") and ctx.get("expected"):
        message += _("，允许的值：{expected}").format(expected=ctx["expected"])
    return _("参数“{name}”{message}").format(name=name, message=message)


def install_error_handlers(api) -> None:
    """Chinese 422 bodies ({detail, errors}) on every router."""

    def handler(request, exc: ValidationError):
        return api.create_response(
            request, {"detail": _("请求参数有误。"), "errors": [describe_error(e) for e in exc.errors]}, status=422)

    api.add_exception_handler(ValidationError, handler)
