"""The one text hygiene (core/text.py) applied by every service that stores typed text
(issue #15 items 3 and 10): an override in a name is not stored, controls are not stored."""

import pytest
from helpers import new_org, new_user

from yangguang.orgs.services import create_user
from yangguang.reports import services as reports

pytestmark = pytest.mark.django_db

RLO = "\u202e"


def test_org_and_user_names_are_cleaned():
    org = new_org(f"测试{RLO}局\x0b", "hygiene")
    assert org.name == "测试局"
    user = create_user(username="hy_user", password=None, org=org, roles=["clerk"], display_name=f"张{RLO}三\x00")
    assert user.display_name == "张三"


def test_annual_report_narrative_is_cleaned(city):
    writer = new_user("hy_writer", city, "clerk")
    year = 2025
    report = reports.save_narrative(city, year, writer, overview=f"第一段\x0b{RLO}。\r\n第二段\x00。")
    assert report.overview == "第一段。\n第二段。"
