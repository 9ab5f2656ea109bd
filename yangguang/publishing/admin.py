from django.contrib import admin

from yangguang.core.admin_audit import AuditedAdminMixin

from .models import Column


@admin.register(Column)
class ColumnAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "org", "slug", "update_class", "stale_after_days")
    list_filter = ("update_class",)
    search_fields = ("name", "org__name")
