from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from yangguang.core.admin_audit import AuditedAdminMixin

from .models import Organization, ReviewLevel, RoleGrant, User


class ReviewLevelInline(admin.TabularInline):
    model = ReviewLevel
    extra = 0
    max_num = 5


@admin.register(Organization)
class OrganizationAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "code", "kind", "slug", "parent")
    list_filter = ("kind",)
    search_fields = ("name", "code", "slug")
    inlines = [ReviewLevelInline]
    readonly_fields = ("path",)


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    extra = 1


@admin.register(User)
class YangguangUserAdmin(AuditedAdminMixin, UserAdmin):
    list_display = ("username", "display_name", "org", "is_active")
    list_filter = ("is_active", "org__kind")
    search_fields = ("username", "display_name", "org__name")
    fieldsets = UserAdmin.fieldsets + (("机构", {"fields": ("org", "display_name")}),)
    inlines = [RoleGrantInline]
