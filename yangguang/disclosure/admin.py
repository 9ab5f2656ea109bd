"""Admin of 依申请公开: the 复议机关 named on each org's replies (reconsideration.py)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from yangguang.core.admin_audit import AuditedAdminMixin

from .models import ReconsiderationSetting
from .reconsideration import body_for


@admin.register(ReconsiderationSetting)
class ReconsiderationSettingAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("org", "vertically_managed", "body_name", "named_on_letters")
    list_filter = ("vertically_managed",)
    search_fields = ("org__name", "body_name")
    autocomplete_fields = ("org",)

    @admin.display(description=_("答复书中的复议机关"))
    def named_on_letters(self, obj) -> str:
        return body_for(obj.org).name
