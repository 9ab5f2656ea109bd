"""公开指南 pages: `/guide/<org>/` (public: the last approved revision, or the generated guide),
`/guide/<org>/edit/` (the org's staff write and submit a revision), `/guide/<org>/revisions/<n>/`
(a revision: screening, diff, and the leader's decision), `/guide/<org>/history/` (every
revision with its diff); plus the display preferences (适老化) that work without JavaScript."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yangguang.core.errors import NotAllowed, ServiceError
from yangguang.orgs import permissions
from yangguang.orgs.models import Organization
from yangguang.publishing.models import Column

from . import services
from .guide import blocks, default_text
from .guide_review import GuideScreening, diff_rows, screen_guide
from .models import GuideRevision, GuideState
from .pages import PREF_COOKIES, page_meta, url_or_empty

PREF_MAX_AGE = 365 * 24 * 3600
HISTORY_PAGE_SIZE = 10


def column_names(org) -> list[str]:
    columns = list(Column.objects.filter(org=org).order_by("position", "id").only("id", "parent_id", "name"))
    kids: dict[int, list[str]] = {}
    for c in columns:
        if c.parent_id:
            kids.setdefault(c.parent_id, []).append(c.name)
    return [f"{c.name}（{'、'.join(kids[c.id])}）" if c.id in kids else c.name for c in columns if not c.parent_id]


def generated_text(request, org) -> str:
    return default_text(org, column_names(org), request.build_absolute_uri)


def guide_text(request, org) -> tuple[str, GuideRevision | None]:
    """The public text and the approved revision it comes from (None: the generated guide)."""
    live = services.published_revision(org)
    if live is not None and not live.is_reset:
        return live.text, live
    return generated_text(request, org), None


def guide(request, org_slug):
    org = get_object_or_404(Organization, slug=org_slug)
    text, own = guide_text(request, org)
    title = _("%(org)s政府信息公开指南") % {"org": org.name}
    return render(request, "portal/guide.html", {
        "org": org, "blocks": blocks(text), "own": own,
        "can_edit": services.guide_actions(request.user, org)["edit"],
        "apply_url": url_or_empty("apply:apply"), "reports_url": url_or_empty("reports_public:org", org.slug),
        **page_meta(request, title=title, description=text),
    })


def _forbidden(request, org, reason: str = ""):
    return render(request, "portal/forbidden.html", {"org": org, "reason": reason}, status=403)


def _report(form, field: str, exc: ServiceError) -> None:
    form.add_error(field, exc.message)
    for detail in exc.details:
        form.add_error(field, detail)


class GuideForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("指南正文"), required=False, max_length=services.MAX_GUIDE_CHARS,
        widget=forms.Textarea(attrs={"class": "input", "rows": 24}),
        help_text=gettext_lazy("纯文本。以“一、”开头的行显示为一级标题，以“（一）”开头的行显示为二级标题，其余每行为一段。"
                               "链接限于本网站和政府网站（.gov.cn），其他链接须经审核人核实。"),
        error_messages={"max_length": gettext_lazy("指南正文不能超过%(limit_value)d字（现为%(show_value)d字）。")},
    )


def _start_text(request, org, draft, last) -> str:
    """Where the writer starts: the draft, a just-returned revision, the public text."""
    if draft is not None:
        return draft.text
    if last is not None and last.state == GuideState.RETURNED:
        return last.text
    return guide_text(request, org)[0]


@login_required
def guide_edit(request, org_slug):
    org = get_object_or_404(Organization, slug=org_slug)
    if not services.guide_actions(request.user, org)["edit"]:
        return _forbidden(request, org)
    live = services.published_revision(org)
    current = services.open_revision(org)
    draft = current if current is not None and current.state == GuideState.DRAFT else None
    pending = current if current is not None and current.state == GuideState.SUBMITTED else None
    last = GuideRevision.objects.filter(org=org).select_related("decided_by").order_by("-number").first()
    if request.method == "POST":
        form = GuideForm(request.POST)
        if form.is_valid():
            text = form.cleaned_data["text"]
            try:
                if "save" in request.POST:
                    revision = services.save_draft(org, request.user, text)
                else:
                    revision = services.submit(org, request.user, "" if "reset" in request.POST else text)
            except ServiceError as exc:
                _report(form, "text", exc)
            else:
                if revision.state == GuideState.DRAFT:
                    messages.success(request, _("草稿已保存，尚未公开。"))
                    return redirect("portal:guide_edit", org.slug)
                messages.success(request, _("已提交审核。经本机构主要领导或分管领导批准后，公众网站才会显示这次修订。"))
                return redirect("portal:guide_revision", org.slug, revision.number)
    else:
        form = GuideForm(initial={"text": _start_text(request, org, draft, last)})
    return render(request, "portal/guide_edit.html", {
        "org": org, "form": form, "live": live, "draft": draft, "pending": pending,
        "returned": last if last is not None and last.state == GuideState.RETURNED and draft is None else None,
        "draft_screening": GuideScreening(draft.findings) if draft else None,
    }, status=400 if form.is_bound and form.errors else 200)


def _with_diff(request, revision: GuideRevision, generated: dict) -> dict:
    """`revision` and its diff against the previous approved one, as the public would see them:
    an empty revision (or none before it) stands for the generated guide, computed once."""
    base = services.previous_approved(revision)

    def shown(r: GuideRevision | None) -> str:
        if r is not None and not r.is_reset:
            return r.text
        if "text" not in generated:
            generated["text"] = generated_text(request, revision.org)
        return generated["text"]

    return {"revision": revision, "base": base, "rows": diff_rows(shown(base), shown(revision))}


def _readable_org(request, org_slug):
    org = get_object_or_404(Organization, slug=org_slug)
    return org, permissions.reads_org(request.user, org)


@login_required
def guide_history(request, org_slug):
    org, ok = _readable_org(request, org_slug)
    if not ok:
        return _forbidden(request, org, _("只有本机构的工作人员和本地区政务公开办可以查看公开指南的修订历史。"))
    revisions = (GuideRevision.objects.filter(org=org)
                 .select_related("org", "author", "submitted_by", "decided_by").order_by("-number"))
    page = Paginator(revisions, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    generated: dict = {}
    live = services.published_revision(org)
    return render(request, "portal/guide_history.html", {
        "org": org, "page": page, "live": live, "items": [_with_diff(request, r, generated) for r in page],
        "can_edit": services.guide_actions(request.user, org)["edit"],
    })


class DecisionForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("审核意见"), required=False, max_length=services.MAX_NOTE_CHARS,
                           widget=forms.Textarea(attrs={"class": "input", "rows": 3}))
    links_verified = forms.BooleanField(label=gettext_lazy("外部链接已核实"), required=False)
    warnings_checked = forms.BooleanField(label=gettext_lazy("审查警告已核实"), required=False)


@login_required
def guide_revision(request, org_slug, number: int):
    org, ok = _readable_org(request, org_slug)
    if not ok:
        return _forbidden(request, org, _("只有本机构的工作人员和本地区政务公开办可以查看公开指南的修订。"))
    revision = get_object_or_404(
        GuideRevision.objects.select_related("org", "author", "submitted_by", "decided_by"), org=org, number=number)
    form, status = DecisionForm(request.POST or None), 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if "return" in request.POST:
                services.return_revision(revision, request.user, data["note"])
                messages.success(request, _("已退回修改，提交人会收到通知。"))
            else:
                services.approve(revision, request.user, data["note"], links_verified=data["links_verified"],
                                 warnings_checked=data["warnings_checked"])
                messages.success(request, _("已批准，公众网站现在显示这次修订。"))
        except ServiceError as exc:
            _report(form, None, exc)
            status = 403 if isinstance(exc, NotAllowed) else 400
        else:
            return redirect("portal:guide_revision", org.slug, revision.number)
    screened = (screen_guide(revision.text) if revision.state in (GuideState.DRAFT, GuideState.SUBMITTED)
                else GuideScreening(revision.findings))
    live = services.published_revision(org)
    actions = services.guide_actions(request.user, org, revision)
    return render(request, "portal/guide_revision.html", {
        "org": org, "live": live, "screening": screened, "form": form,
        "preview": blocks(revision.text), **_with_diff(request, revision, {}),
        "can_decide": actions["decide"], "own_revision": actions["own_revision"], "can_edit": actions["edit"],
    }, status=status if status != 200 or not form.errors else 400)


def display_prefs(request):
    """适老化 switches without JavaScript: `?large=1&next=/...` sets the cookie and goes back."""
    target = request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        target = "/"
    resp = HttpResponseRedirect(target)
    for cookie, param in zip(PREF_COOKIES, ("large", "contrast"), strict=True):
        value = request.GET.get(param)
        if value == "1":
            resp.set_cookie(cookie, "1", max_age=PREF_MAX_AGE, samesite="Lax", secure=request.is_secure())
        elif value == "0":
            resp.delete_cookie(cookie, samesite="Lax")
    return resp
