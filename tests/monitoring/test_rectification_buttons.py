"""The rectification page offers 提交整改情况 and 立即复测 to exactly those the services let do it
(#16: the view asks the same permission questions as rectify.answer and rectify.remeasure)."""

import pytest
from conftest import bare_org, col, pub
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from helpers import new_user

from yangguang.core.errors import NotAllowed
from yangguang.monitoring import engine, rectify
from yangguang.monitoring.models import Rectification
from yangguang.orgs.models import User

pytestmark = pytest.mark.django_db


def allowed(fn) -> bool:
    sid = transaction.savepoint()
    try:
        fn()
        return True
    except NotAllowed:
        return False
    finally:
        transaction.savepoint_rollback(sid)


def test_page_buttons_agree_with_the_services(client, region):
    org = bare_org("按钮测试局", "btn-csj", parent=region)
    sibling = bare_org("按钮兄弟局", "btn-xd", parent=region)
    other_region = bare_org("按钮他县", "btn-tx", kind="county")
    pub(col(org, "gzdt", "news"), 30, today=timezone.localdate())  # home not updated → a rectification
    engine.run(trigger="command", scope_org=org, only_org=True)
    rect = Rectification.objects.get(org=org, indicator__code="home_not_updated")
    people = {
        "the org's clerk": new_user("btn_clerk", org, "clerk"),
        "the org's own 政务公开办": new_user("btn_own_gkb", org, "supervisor"),
        "the region's 政务公开办": new_user("btn_gkb", region, "supervisor"),
        "a sibling org's 政务公开办": new_user("btn_sib_gkb", sibling, "supervisor"),
        "another region's 政务公开办": new_user("btn_other_gkb", other_region, "supervisor"),
        "a system administrator": User.objects.create_superuser("btn_root", password=None),
    }
    seen = {}
    for label, user in people.items():
        client.force_login(user)
        response = client.get(reverse("monitoring:rectification", args=[rect.pk]))
        if response.status_code == 404:
            seen[label] = None
            assert not allowed(lambda u=user: rectify.remeasure(rect, u)), label
            assert not allowed(lambda u=user: rectify.answer(rect, u, "已安排整改。")), label
            continue
        page = response.content.decode()
        offers_answer = reverse("monitoring:answer", args=[rect.pk]) in page
        offers_remeasure = reverse("monitoring:remeasure", args=[rect.pk]) in page
        seen[label] = (offers_answer, offers_remeasure)
        assert offers_answer == allowed(lambda u=user: rectify.answer(rect, u, "已安排整改。")), label
        assert offers_remeasure == allowed(lambda u=user: rectify.remeasure(rect, u)), label
    # Both kinds of answers occur, so the comparison above is not vacuous.
    assert seen["the org's clerk"] == (True, True)
    assert seen["the region's 政务公开办"] == (False, True)
    assert seen["a sibling org's 政务公开办"] is None and seen["another region's 政务公开办"] is None
