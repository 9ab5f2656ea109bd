"""Admin edits are state changes too: who may make them, and their record in the audit chain.

Only who may change the system's settings (the permission module's ``can_change_settings``,
registered in core/registry.py) adds, changes or deletes through an audited admin, whatever
Django model permissions a staff account holds; everyone else gets 403. Each saved object, each
changed inline set and each deleted object (also by the bulk "delete selected" action) is one
audit event, written inside the admin's transaction: the change and its record commit or roll back
together.
"""

from django.db import transaction

from . import audit, registry


class AuditedAdminMixin:
    def _may_change(self, request) -> bool:
        return registry.may_change_settings(request.user)

    def has_add_permission(self, request, *args):
        return self._may_change(request) and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return self._may_change(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._may_change(request) and super().has_delete_permission(request, obj)

    def audited_fields(self, form) -> list[str]:
        """The changed fields named in the event (an admin may leave out fields it audits otherwise)."""
        return sorted(form.changed_data)

    def save_model(self, request, obj, form, change):
        fields = self.audited_fields(form)
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            if fields or not change:  # saving an unchanged form (e.g. for its inlines) changes nothing
                audit.record(f"admin.{'change' if change else 'add'}", obj, actor=request.user,
                             org_id=getattr(obj, "org_id", None), data={"fields": fields})

    def delete_model(self, request, obj):
        with transaction.atomic():
            audit.record("admin.delete", obj, actor=request.user, org_id=getattr(obj, "org_id", None),
                         data={"repr": str(obj)})
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                audit.record("admin.delete", obj, actor=request.user, org_id=getattr(obj, "org_id", None),
                             data={"repr": str(obj)})
            super().delete_queryset(request, queryset)

    def save_formset(self, request, form, formset, change):
        with transaction.atomic():
            super().save_formset(request, form, formset, change)
            if formset.has_changed():
                audit.record("admin.inline_change", form.instance, actor=request.user,
                             org_id=getattr(form.instance, "org_id", None),
                             data={"inline": formset.model._meta.label_lower})


class ReadOnlyAdminMixin:
    """Derived, logged or legal records: shown, never added, changed or deleted by hand."""

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
