"""Admin of organizations and users: a client of the services.

A new organization is created by ``services.create_organization`` (its catalog columns, its review
chain, the ``org.create`` event); its 信息发布审核流程 is changed by ``services.set_review_chain``
(permission, validation, one ``org.review_chain`` event) from one select per level, not by editing
ReviewLevel rows. Other edits of organizations and users are audited by AuditedAdminMixin, and
only a system administrator makes them (core/admin_audit.py).
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from yangguang.core import audit
from yangguang.core.admin_audit import AuditedAdminMixin

from . import services
from .models import Organization, RoleGrant, User
from .roles import DEFAULT_REVIEW_CHAIN, MAX_REVIEW_LEVELS, REVIEWER_ROLES

LEVELS = [f"review_level_{i}" for i in range(1, MAX_REVIEW_LEVELS + 1)]


class _OrganizationFormBase(forms.ModelForm):
    class Meta:
        model = Organization
        fields = ("parent", "code", "name", "short_name", "kind", "slug", "address", "phone", "office_hours")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        chain = self.instance.review_roles() if self.instance.pk else [str(r) for r in DEFAULT_REVIEW_CHAIN]
        for name, role in zip(LEVELS, chain, strict=False):
            self.fields[name].initial = role

    def review_chain(self) -> list[str]:
        return [self.cleaned_data[name] for name in LEVELS if self.cleaned_data.get(name)]

    def clean(self):
        cleaned = super().clean()
        for problem in services.review_chain_problems(self.review_chain()):
            self.add_error(None, problem)
        if not self.instance.pk and not self.errors:  # create_organization's own checks, as form errors
            for problem in services.org_problems(code=cleaned.get("code", ""), name=cleaned.get("name", ""),
                                                 kind=cleaned.get("kind", ""), slug=cleaned.get("slug", "")):
                self.add_error(None, problem)
        return cleaned


def _level_field(position: int) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("第%(n)s级审核") % {"n": position}, required=False,
        choices=[("", "—"), *((str(r), r.label) for r in REVIEWER_ROLES)],
    )


# One select per level, declared fields (so the admin's fieldsets may name them).
OrganizationForm = type("OrganizationForm", (_OrganizationFormBase,),
                        {name: _level_field(i) for i, name in enumerate(LEVELS, start=1)})


@admin.register(Organization)
class OrganizationAdmin(AuditedAdminMixin, admin.ModelAdmin):
    form = OrganizationForm
    list_display = ("name", "code", "kind", "slug", "parent")
    list_filter = ("kind",)
    search_fields = ("name", "code", "slug")
    readonly_fields = ("path",)
    fieldsets = (
        (None, {"fields": ("parent", "code", "name", "short_name", "kind", "slug", "path",
                           "address", "phone", "office_hours")}),
        (_("信息发布审核流程"), {"fields": LEVELS}),
    )

    def audited_fields(self, form) -> list[str]:
        return sorted(set(form.changed_data) - set(LEVELS))

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        data = form.cleaned_data
        org = services.create_organization(
            code=data["code"], name=data["name"], kind=data["kind"], slug=data["slug"], parent=data.get("parent"),
            short_name=data.get("short_name", ""), address=data.get("address", ""), phone=data.get("phone", ""),
            office_hours=data.get("office_hours", ""), chain=form.review_chain(), by=request.user,
        )
        obj.pk, obj.path = org.pk, org.path
        obj._state.adding, obj._state.db = False, org._state.db

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if change and form.review_chain() != form.instance.review_roles():
            services.set_review_chain(form.instance, form.review_chain(), by=request.user)


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    extra = 1


@admin.register(User)
class YangguangUserAdmin(AuditedAdminMixin, UserAdmin):
    list_display = ("username", "display_name", "org", "is_active")
    list_filter = ("is_active", "org__kind")
    search_fields = ("username", "display_name", "org__name")
    fieldsets = UserAdmin.fieldsets + ((_("机构"), {"fields": ("org", "display_name")}),)
    inlines = [RoleGrantInline]

    def user_change_password(self, request, id, form_url=""):
        """The password form saves outside save_model: its change is audited here, in one transaction."""
        with transaction.atomic():
            before = self.get_object(request, unquote(id))
            response = super().user_change_password(request, id, form_url)
            user = self.get_object(request, unquote(id))
            if before is not None and user is not None and user.password != before.password:
                audit.record("admin.password_change", user, actor=request.user, org_id=user.org_id,
                             data={"usable": user.has_usable_password()})
        return response
