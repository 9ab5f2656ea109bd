import json
from datetime import date

import pytest
from django.test import Client
from helpers import new_user

from yangguang.disclosure import services

pytestmark = pytest.mark.django_db


def test_staff_api_scoped_and_masked(city, org_a, org_b):
    office = new_user("api_gkb", city, "supervisor")
    app = services.register(city, {
        "applicant_type": "natural", "applicant_name": "张三", "id_number": "110101199003071233",
        "contact_phone": "13812345678", "description": "某信息", "channel": "online", "received_date": date(2025, 9, 26),
    })
    app = services.assign(services.accept(app, office), office, org_a)
    c = Client()
    c.force_login(office)
    rows = c.get("/api/v1/staff/disclosure/applications").json()
    assert [r["number"] for r in rows] == [app.number]
    assert rows[0]["due_date"] == "2025-10-30" and rows[0]["id_number_masked"] == "110***********1233"
    assert "110101199003071233" not in json.dumps(rows)
    outsider = Client()
    outsider.force_login(new_user("api_b", org_b, "handler"))
    assert outsider.get("/api/v1/staff/disclosure/applications").json() == []
    assert outsider.get(f"/api/v1/staff/disclosure/applications/{app.pk}").status_code == 404
    handler = Client()
    handler.force_login(new_user("api_a", org_a, "handler"))
    bad = handler.post(f"/api/v1/staff/disclosure/applications/{app.pk}/reply",
                       data=json.dumps({"reply_type": "published", "outcome": "3.1", "on": "2025-10-10"}),
                       content_type="application/json")
    assert bad.status_code == 400 and "不一致" in bad.json()["detail"]
    ok = handler.post(f"/api/v1/staff/disclosure/applications/{app.pk}/reply",
                      data=json.dumps({"reply_type": "disclose", "outcome": "1", "on": "2025-10-10",
                                       "reason": "请于工作日到本机关领取。", "backdate_reason": "补录"}),
                      content_type="application/json")
    assert ok.status_code == 200 and ok.json()["state"] == "closed"


def test_staff_api_workflow_actions(city, org_a):
    office = new_user("api_gkb2", city, "supervisor")
    app = services.register(city, {
        "applicant_type": "natural", "applicant_name": "李四", "contact_phone": "13812345678",
        "description": "某信息", "channel": "online", "received_date": date(2025, 9, 26),
    })
    c = Client()
    c.force_login(office)

    def act(action, **body):
        return c.post(f"/api/v1/staff/disclosure/applications/{app.pk}/actions/{action}", data=json.dumps(body),
                      content_type="application/json")

    assert act("accept").json()["state"] == "accepted"
    assert act("assign", department=org_a.slug).json()["state"] == "assigned"
    assert act("extend", days=10, reason="需调取档案", on="2025-10-20", backdate_reason="补录纸质审批单").json()["due_date"] == "2025-11-13"
    over = act("extend", days=11, reason="还要延", on="2025-10-21", backdate_reason="补录")
    assert over.status_code == 400 and "20个工作日" in over.json()["detail"]
    assert act("fly").status_code == 404
    assert act("accept").status_code == 409


def test_staff_api_reply_files_and_reply_with_reason(city, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from yangguang.disclosure.models import Letter

    settings.PRIVATE_STORAGE_DIR = tmp_path
    office = new_user("api_gkb3", city, "supervisor")
    app = services.accept(services.register(city, {
        "applicant_type": "business", "applicant_name": "某某有限公司", "contact_phone": "13812345678",
        "description": "某信息", "channel": "online", "received_date": date(2025, 9, 26),
    }), office)
    c = Client()
    c.force_login(office)
    base = f"/api/v1/staff/disclosure/applications/{app.pk}"
    refused = c.post(f"{base}/reply-files", {"file": SimpleUploadedFile("名单.txt", "身份证 110101199003071233".encode())})
    assert refused.status_code == 400 and "不得公开" in refused.json()["detail"]
    ok = c.post(f"{base}/reply-files", {"file": SimpleUploadedFile("数据.txt", "2025年数据：120件".encode())})
    assert ok.status_code == 200 and ok.json()["state"] == "ready" and ok.json()["name"] == "数据.txt"
    assert [f["name"] for f in c.get(f"{base}/reply-files").json()] == ["数据.txt"]
    r = c.post(f"{base}/reply", data=json.dumps({"reply_type": "disclose", "outcome": "1", "on": "2025-10-10"}),
               content_type="application/json")
    assert r.status_code == 400 and "补录理由" in json.dumps(r.json(), ensure_ascii=False)  # a past date needs its reason
    r = c.post(f"{base}/reply", data=json.dumps({"reply_type": "disclose", "outcome": "1", "on": "2025-10-10",
                                                 "backdate_reason": "纸质答复已于当日送达，今日补录"}),
               content_type="application/json")
    assert r.status_code == 200 and r.json()["state"] == "closed"
    text = app.letters.get(kind=Letter.Kind.REPLY).text
    assert "附件：1. 数据.txt" in text and "你单位" in text
    gone = c.delete(f"{base}/reply-files/{ok.json()['id']}")
    assert gone.status_code == 409  # fixed once the reply is given
