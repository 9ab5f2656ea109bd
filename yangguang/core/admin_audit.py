"""Admin edits are state changes too: record them in the audit chain."""

from django.db import transaction

from . import audit


class AuditedAdminMixin:
    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            audit.record(
                f"admin.{'change' if change else 'add'}", obj, actor=request.user,
                org_id=getattr(obj, "org_id", None), data={"fields": sorted(form.changed_data)},
            )

    def delete_model(self, request, obj):
        with transaction.atomic():
            audit.record("admin.delete", obj, actor=request.user, org_id=getattr(obj, "org_id", None),
                         data={"repr": str(obj)})
            super().delete_model(request, obj)

    def save_formset(self, request, form, formset, change):
        with transaction.atomic():
            super().save_formset(request, form, formset, change)
            if formset.has_changed():
                audit.record("admin.inline_change", form.instance, actor=request.user,
                             org_id=getattr(form.instance, "org_id", None),
                             data={"inline": formset.model._meta.label_lower})
