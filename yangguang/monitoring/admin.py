"""The monitoring admin, a client of the services: indicators and assessment periods are changed
through ``monitoring.settings`` (permission, validation, one transaction, one audit event); runs,
results and rectifications are records of measurements and are read-only (rectifications change
state only through the services, and close only through a measurement)."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from yangguang.core.admin_audit import ReadOnlyAdminMixin
from yangguang.core.errors import NotAllowed, ServiceError
from yangguang.orgs import permissions

from . import settings as monitoring_settings
from .measures import REGISTRY
from .models import AssessmentPeriod, Indicator, IndicatorResult, MonitoringRun, Rectification


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Derived or legal records: shown, never added, changed or deleted by hand."""


class ServiceAdmin(admin.ModelAdmin):
    """Changes go through a settings service: only who may change settings may change (others with a
    view permission see the page read-only; a POST is 403), and nothing is deleted (an indicator is
    deactivated; a period stays with its self-assessments)."""

    def has_change_permission(self, request, obj=None):
        return permissions.can_change_settings(request.user)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_through_service(self, request, obj, call):
        try:
            saved = call()
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
        except ServiceError as exc:  # validated by the form first; only a concurrent change gets here
            self.message_user(request, str(exc), level="error")
            return
        obj.pk = saved.pk
        obj.refresh_from_db()


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = list(monitoring_settings.INDICATOR_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].help_text = _("已注册的测量函数：") + "、".join(sorted(REGISTRY))

    def clean(self):
        cleaned = super().clean()
        values = {name: cleaned[name] for name in monitoring_settings.INDICATOR_FIELDS
                  if name in cleaned and name not in self.errors}
        instance = self.instance if self.instance.pk else None
        for name, message in monitoring_settings.indicator_errors(values, instance).items():
            if name not in self.errors:
                self.add_error(name, message)
        return cleaned

    def validate_unique(self):
        """The code's uniqueness is checked in ``clean`` by the service's rules (one message, not two)."""


@admin.register(Indicator)
class IndicatorAdmin(ServiceAdmin):
    list_display = ("position", "code", "name", "level", "measure", "threshold", "points", "per_item", "cap", "active")
    list_display_links = ("code", "name")
    list_filter = ("level", "active")
    search_fields = ("code", "name", "legal_basis")

    form = IndicatorForm

    def has_add_permission(self, request):
        return permissions.can_change_settings(request.user)

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in monitoring_settings.INDICATOR_FIELDS}
        if change:
            self.save_through_service(request, obj, lambda: monitoring_settings.update_indicator(
                Indicator.objects.get(pk=obj.pk), request.user, **fields))
        else:
            self.save_through_service(request, obj, lambda: monitoring_settings.create_indicator(
                request.user, **fields))


@admin.register(AssessmentPeriod)
class AssessmentPeriodAdmin(ServiceAdmin):
    # Periods are set up by the region's 政务公开办 on the 考评 page (assessment.create_period); here a
    # system administrator renames one or stops / reopens its 自评.
    list_display = ("name", "region", "kind", "start", "end", "self_assessment_open", "created_by", "created_at")
    list_filter = ("kind", "self_assessment_open")
    fields = ("region", "kind", "name", "start", "end", "self_assessment_open", "created_by", "created_at")
    readonly_fields = ("region", "kind", "start", "end", "created_by", "created_at")

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in monitoring_settings.PERIOD_FIELDS}
        self.save_through_service(request, obj, lambda: monitoring_settings.update_period(
            AssessmentPeriod.objects.get(pk=obj.pk), request.user, **fields))


@admin.register(MonitoringRun)
class MonitoringRunAdmin(ReadOnlyAdmin):
    list_display = ("id", "as_of", "trigger", "scope_org", "indicator", "orgs", "failed", "started_at", "finished_at")
    list_filter = ("trigger",)


@admin.register(IndicatorResult)
class IndicatorResultAdmin(ReadOnlyAdmin):
    list_display = ("run", "org", "indicator", "value", "passed", "points")
    list_filter = ("passed", "indicator")
    raw_id_fields = ("run", "org")


@admin.register(Rectification)
class RectificationAdmin(ReadOnlyAdmin):
    list_display = ("org", "indicator", "state", "deadline", "false_claims", "opened_at", "closed_at")
    list_filter = ("state", "indicator")
