"""The demo hook measures for real and shows one contradicted 已整改 claim."""

import pytest
from conftest import bare_org, col
from helpers import new_user

from yangguang.monitoring.demo import load_monitoring_demo
from yangguang.monitoring.models import AssessmentPeriod, MonitoringRun, Rectification

pytestmark = pytest.mark.django_db


def test_demo_runs_one_measurement(region):
    org = bare_org("明溪市教育局", "jyj", parent=region)
    col(org, "gzdt", "news")  # never published: 首页不更新 fails
    new_user("jyj_clerk", org, "clerk")
    new_user("gkb", region, "supervisor")
    text = load_monitoring_demo()
    assert MonitoringRun.objects.filter(trigger="daily").count() == 1
    assert Rectification.objects.filter(org=org, state="false").count() == 1 and "虚报整改" in text
    assert AssessmentPeriod.objects.filter(region=region, kind="quarter").count() == 1
