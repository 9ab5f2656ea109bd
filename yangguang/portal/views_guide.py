"""公开指南 pages: `/guide/<org>/` (public) and `/guide/<org>/edit/` (the org's own staff),
plus the display preferences (适老化) that work without JavaScript."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yangguang.core.errors import ServiceError
from yangguang.orgs.models import Organization
from yangguang.orgs.scoping import can_act_in_org
from yangguang.publishing.models import Column

from . import services
from .guide import blocks, default_text
from .models import OrgGuide
from .pages import PREF_COOKIES, page_meta, url_or_empty

PREF_MAX_AGE = 365 * 24 * 3600


def column_names(org) -> list[str]:
    columns = list(Column.objects.filter(org=org).order_by("position", "id").only("id", "parent_id", "name"))
    kids: dict[int, list[str]] = {}
    for c in columns:
        if c.parent_id:
            kids.setdefault(c.parent_id, []).append(c.name)
    return [f"{c.name}（{'、'.join(kids[c.id])}）" if c.id in kids else c.name for c in columns if not c.parent_id]


def guide_text(request, org) -> tuple[str, OrgGuide | None]:
    own = OrgGuide.objects.filter(org=org).select_related("updated_by").first()
    if own:
        return own.text, own
    return default_text(org, column_names(org), request.build_absolute_uri), None


def guide(request, org_slug):
    org = get_object_or_404(Organization, slug=org_slug)
    text, own = guide_text(request, org)
    title = _("%(org)s政府信息公开指南") % {"org": org.name}
    return render(request, "portal/guide.html", {
        "org": org, "blocks": blocks(text), "own": own, "can_edit": can_act_in_org(request.user, org),
        "apply_url": url_or_empty("apply:apply"), "reports_url": url_or_empty("reports_public:org", org.slug),
        **page_meta(request, title=title, description=text),
    })


class GuideForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("指南正文"), required=False, max_length=services.MAX_GUIDE_CHARS,
        widget=forms.Textarea(attrs={"class": "input", "rows": 24}),
        help_text=gettext_lazy("纯文本。以“一、”开头的行显示为一级标题，以“（一）”开头的行显示为二级标题，其余每行为一段。"
                               "清空后保存，即恢复为系统根据本机构信息自动生成的指南。"),
        error_messages={"max_length": gettext_lazy("指南正文不能超过%(limit_value)d字（现为%(show_value)d字）。")},
    )


@login_required
def guide_edit(request, org_slug):
    org = get_object_or_404(Organization, slug=org_slug)
    if not can_act_in_org(request.user, org):
        return render(request, "portal/forbidden.html", {"org": org}, status=403)
    text, own = guide_text(request, org)
    if request.method == "POST":
        form = GuideForm(request.POST)
        if form.is_valid():
            reset = "reset" in request.POST
            try:
                services.save_guide(org, request.user, "" if reset else form.cleaned_data["text"])
            except ServiceError as e:
                form.add_error("text", e.message)
            else:
                messages.success(request, _("已恢复为自动生成的公开指南。") if reset or not form.cleaned_data["text"].strip()
                                 else _("公开指南已保存。"))
                return redirect("portal:guide", org.slug)
    else:
        form = GuideForm(initial={"text": text})
    return render(request, "portal/guide_edit.html", {"org": org, "form": form, "own": own},
                  status=400 if form.is_bound and form.errors else 200)


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
