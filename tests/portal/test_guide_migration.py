"""Migration portal 0002: a guide saved before revisions existed (published with no review and no
screening) is kept as revision 1 awaiting review; the public page shows the generated guide
until a leader approves it."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse
from helpers import Staff

from yangguang.core.errors import InvalidInput
from yangguang.portal import services
from yangguang.portal.models import GuideRevision, GuideState

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE, AFTER = ("portal", "0001_initial"), ("portal", "0002_guiderevision")


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])
    return executor.loader.project_state([target]).apps


def test_existing_guide_becomes_a_revision_awaiting_review(org_a):
    staff = Staff(org_a, "m")
    try:
        old_apps = migrate(BEFORE)
        OrgGuide = old_apps.get_model("portal", "OrgGuide")
        OrgGuide.objects.create(org_id=org_a.pk, text="一、旧指南\n绝密★ 直接公开的内容", updated_by_id=staff.clerk.pk)
    finally:
        migrate(AFTER)
    revision = GuideRevision.objects.get(org=org_a)
    assert (revision.number, revision.state) == (1, GuideState.SUBMITTED)
    assert revision.submitted_by == staff.clerk and revision.text.startswith("一、旧指南")
    html = Client().get(reverse("portal:guide", args=[org_a.slug])).content.decode()
    assert "直接公开的内容" not in html and "自动生成" in html
    with pytest.raises(InvalidInput, match="密级标志"):  # screened when a leader looks at it
        services.approve(revision, staff.principal)
