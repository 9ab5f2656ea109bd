"""Helpers shared by the publishing services: permission checks, sanitising, hashing."""

from __future__ import annotations

import hashlib
import html
import re
from datetime import date

import nh3
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yangguang.core.errors import InvalidInput, NotAllowed
from yangguang.orgs import permissions

from ..models import Column, Edition
from ..taxonomy import Genre, InterpretationForm, Topic, Validity

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "u", "h2", "h3", "h4", "ul", "ol", "li", "blockquote",
    "table", "thead", "tbody", "tr", "th", "td", "a", "span", "sub", "sup", "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}}

EDITABLE_FIELDS = (
    "title", "doc_number", "written_date", "published_date", "topic", "genre", "keywords", "validity",
    "validity_date", "abolished_by", "body", "info_date", "scheduled_at", "change_kind", "change_note",
)


def sanitize_body(raw: str) -> str:
    """Rich text from the editor, cleaned: no scripts, styles, event handlers or foreign tags.
    Plain text (no tags at all) becomes paragraphs, one per line."""
    raw = raw or ""
    if "<" not in raw:
        paragraphs = [line.strip() for line in raw.splitlines() if line.strip()]
        raw = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return nh3.clean(
        raw, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


_BLOCK_END = re.compile(r"</(p|h[2-4]|li|tr|blockquote)>|<br\s*/?>|<hr\s*/?>", re.I)
_TAG = re.compile(r"<[^>]+>")


def html_to_text(body: str) -> str:
    text = _BLOCK_END.sub("\n", body)
    text = re.sub(r"</t[dh]>", "\t", text)
    text = _TAG.sub("", text)
    return html.unescape(text).strip()


def content_hash(edition: Edition) -> str:
    h = hashlib.sha256()
    for name in EDITABLE_FIELDS:
        h.update(f"{name}={getattr(edition, name)!s}\n".encode())
    h.update(f"column={edition.document.column_id}\n".encode())
    if edition.pk:
        for sha, state in edition.attachments.order_by("id").values_list("sha256", "text_state"):
            # An attachment whose text is not read yet is other content than the one read:
            # findings made before the reading are never reused after it (review.rescreen_locked).
            h.update((f"attachment={sha}\n" if state == "ready" else f"attachment={sha}:{state}\n").encode())
    return h.hexdigest()


def require_clerk(user, org) -> None:
    """Drafting (``permissions.can_draft``): 信息员 or 紧急发布权 of the org itself."""
    if not permissions.acts_in_org(user, org):
        raise NotAllowed(_("无权操作其他机构的文件。"))
    if not permissions.can_draft(user, org):
        raise NotAllowed(_("只有信息员可以起草和修改文件。"))


DATE_FIELDS = (("written_date", gettext_lazy("成文日期")), ("info_date", gettext_lazy("信息形成或变更日期")))


def check_fields(fields: dict, org, *, edition_number: int) -> None:
    """Business checks on edition metadata; collects every problem before failing."""
    errors: list[str] = []
    title = (fields.get("title") or "").strip()
    if not title:
        errors.append(_("标题不能为空。"))
    elif len(title) > 300:
        errors.append(_("标题不能超过%(n)d个字。") % {"n": 300})
    today = timezone.localdate()
    for name, label in DATE_FIELDS:
        value = fields.get(name)
        if value is not None and not isinstance(value, date):
            errors.append(_("%(label)s格式不正确。") % {"label": label})
        elif value and value > today:
            errors.append(_("%(label)s不能晚于今天。") % {"label": label})
    if fields.get("topic") not in Topic.values:
        errors.append(_("请选择主题分类。"))
    if fields.get("genre") not in Genre.values:
        errors.append(_("请选择体裁。"))
    validity = fields.get("validity") or Validity.VALID
    if validity not in Validity.values:
        errors.append(_("有效性不正确。"))
    elif validity != Validity.VALID and not fields.get("validity_date"):
        errors.append(_("失效或废止的文件须填写失效/废止日期。"))
    if validity == Validity.ABOLISHED and not (fields.get("abolished_by") or "").strip():
        errors.append(_("废止的文件须填写废止依据文件。"))
    if edition_number > 1 and fields.get("change_kind") not in Edition.ChangeKind.values:
        errors.append(_("修改已发布的文件须选择修改类型（小修改或实质修改）。"))
    if edition_number > 1 and fields.get("change_kind") == Edition.ChangeKind.MAJOR and not (
        fields.get("change_note") or ""
    ).strip():
        errors.append(_("实质修改须填写修改说明，发布后向公众展示。"))
    if errors:
        raise InvalidInput(_("文件信息有误，请修改后再保存："), details=errors)


def check_column(column: Column, org) -> None:
    if column is None or column.org_id != org.id:
        raise InvalidInput(_("请选择本机构的栏目。"))


def check_interpretation(form: str) -> None:
    if form and form not in InterpretationForm.values:
        raise InvalidInput(_("解读形式不正确。"))
