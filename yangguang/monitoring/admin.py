from django import forms
from django.contrib import admin

from .measures import REGISTRY
from .models import AssessmentPeriod, Indicator, IndicatorResult, MonitoringRun, Rectification


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = ["code", "name", "legal_basis", "level", "measure", "threshold", "points", "per_item", "cap",
                  "params", "rectify_working_days", "description", "active", "position"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].help_text = "已注册的测量函数：" + "、".join(sorted(REGISTRY))

    def clean_measure(self):
        value = self.cleaned_data["measure"]
        if value not in REGISTRY:
            raise forms.ValidationError(f"未注册的测量方法：{value}")
        return value


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ("position", "code", "name", "level", "measure", "threshold", "points", "per_item", "cap", "active")
    list_display_links = ("code", "name")
    list_filter = ("level", "active")
    search_fields = ("code", "name", "legal_basis")

    form = IndicatorForm


@admin.register(MonitoringRun)
class MonitoringRunAdmin(admin.ModelAdmin):
    list_display = ("id", "as_of", "trigger", "scope_org", "indicator", "orgs", "failed", "started_at", "finished_at")
    list_filter = ("trigger",)
    readonly_fields = [f.name for f in MonitoringRun._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(IndicatorResult)
class IndicatorResultAdmin(admin.ModelAdmin):
    list_display = ("run", "org", "indicator", "value", "passed", "points")
    list_filter = ("passed", "indicator")
    raw_id_fields = ("run", "org")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Rectification)
class RectificationAdmin(admin.ModelAdmin):
    # Read-only: state changes go through the services (and closing only through a measurement).
    list_display = ("org", "indicator", "state", "deadline", "false_claims", "opened_at", "closed_at")
    list_filter = ("state", "indicator")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


admin.site.register(AssessmentPeriod)
