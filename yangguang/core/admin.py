"""Admin for the official calendar: an administrator enters next year's State Council notice
(《国务院办公厅关于YYYY年部分节假日安排的通知》) as a year with its days off and 调休上班 days.
Every save is audited (AuditedAdminMixin) and bumps the year's `updated_at`, which is what
`workdays.Calendar.from_db()` watches to reload its cache in every worker."""

from django.contrib import admin
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from .admin_audit import AuditedAdminMixin
from .models_calendar import CalendarDay, CalendarYear


class CalendarDayInline(admin.TabularInline):
    model = CalendarDay
    extra = 3
    fields = ("date", "kind", "name")
    ordering = ("date",)


@admin.register(CalendarYear)
class CalendarYearAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("year", "source", "holiday_days", "makeup_days", "loaded_at", "updated_at")
    search_fields = ("year", "source", "note")
    readonly_fields = ("updated_at",)
    fields = ("year", "source", "loaded_at", "updated_at", "note")
    inlines = [CalendarDayInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            n_holiday=Count("days", filter=Q(days__kind=CalendarDay.HOLIDAY)),
            n_makeup=Count("days", filter=Q(days__kind=CalendarDay.MAKEUP_WORKDAY)),
        )

    @admin.display(description=_("放假天数"), ordering="n_holiday")
    def holiday_days(self, obj):
        return obj.n_holiday

    @admin.display(description=_("调休上班天数"), ordering="n_makeup")
    def makeup_days(self, obj):
        return obj.n_makeup

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.has_changed():
            form.instance.save(update_fields=["updated_at"])  # a new calendar version for every worker


from . import admin_outbox  # noqa: E402,F401 - registers the outbox (对外消息) admin
