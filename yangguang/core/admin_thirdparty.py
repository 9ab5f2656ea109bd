"""The admin pages of the libraries (auth, axes, django-tasks) as read-only views.

Every admin page is either read-only or a client of an audited service (issue #16). The project's
own admins are (core/admin_audit.py, monitoring/admin.py); the libraries register theirs with full
add/change/delete. Called from CoreConfig.ready(), after the admin's autodiscovery (django.contrib.admin
is first in INSTALLED_APPS), this replaces each of them by a read-only subclass:

- auth.Group is removed: roles are the project's RoleGrant rows (orgs), Django groups are unused;
- axes' login attempts and task results stay visible; a lockout is lifted with
  ``yangguang axes_reset_username USERNAME`` on the server, never by
  deleting rows in a page that leaves no audit event.
"""

from django.contrib import admin
from django.contrib.auth.models import Group

from .admin_audit import ReadOnlyAdminMixin

PROJECT_PREFIX = "yangguang."


def _read_only(cls: type[admin.ModelAdmin]) -> type[admin.ModelAdmin]:
    return type(f"ReadOnly{cls.__name__}", (ReadOnlyAdminMixin, cls), {"actions": [], "__module__": __name__})


def lock_third_party_admins(site: admin.AdminSite = admin.site) -> None:
    if site.is_registered(Group):
        site.unregister(Group)
    for model, model_admin in list(site._registry.items()):
        if type(model_admin).__module__.startswith(PROJECT_PREFIX):
            continue
        site.unregister(model)
        site.register(model, _read_only(type(model_admin)))
