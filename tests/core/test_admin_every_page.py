"""Every admin page is read-only or a client of an audited service (issue #16), the libraries'
pages included (core/admin_thirdparty.py)."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import RequestFactory
from helpers import new_user

from yangguang.core.admin_audit import AuditedAdminMixin
from yangguang.monitoring.admin import ServiceAdmin

pytestmark = pytest.mark.django_db


def test_every_registered_admin_is_audited_or_read_only(city):
    root = new_user("root_admin", city)
    root.is_superuser = root.is_staff = True
    root.save()
    request = RequestFactory().get("/admin/")
    request.user = root
    writable = []
    for model, model_admin in admin.site._registry.items():
        if isinstance(model_admin, AuditedAdminMixin | ServiceAdmin):
            continue
        rights = (model_admin.has_add_permission(request), model_admin.has_change_permission(request),
                  model_admin.has_delete_permission(request))
        if any(rights):
            writable.append((model._meta.label, rights))
    assert writable == []
    assert not admin.site.is_registered(Group)  # roles are RoleGrant rows; Django groups are unused


def test_a_superuser_cannot_delete_a_login_attempt_through_the_admin(city, client):
    from axes.models import AccessAttempt

    root = new_user("root_admin2", city)
    root.is_superuser = root.is_staff = True
    root.save()
    attempt = AccessAttempt.objects.create(username="someone", ip_address="10.0.0.1", failures_since_start=3,
                                           get_data="", post_data="", http_accept="", path_info="/login/")
    client.force_login(root)
    assert client.get(f"/admin/axes/accessattempt/{attempt.pk}/change/").status_code == 200  # still visible
    r = client.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    assert r.status_code == 403
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()
