"""The 答复书 carries the handler's text, names the 行政复议机关 and the time limits, and addresses a
natural person as 你 and an organisation as 你单位 (issue #14 "The reply is hollow")."""

from datetime import date

import pytest
from django.test import Client
from helpers import new_org, new_user

from yangguang.core.errors import InvalidInput
from yangguang.disclosure import law, services
from yangguang.disclosure.models import Letter

pytestmark = pytest.mark.django_db
ON = date(2025, 10, 20)


@pytest.fixture(autouse=True)
def _private(settings, tmp_path):
    settings.PRIVATE_STORAGE_DIR = tmp_path


@pytest.fixture
def tree(db):
    gov = new_org("临川市人民政府", "lc", "city")
    county = new_org("青山县人民政府", "lc-qs", "county", parent=gov)
    district = new_org("河东区人民政府", "lc-hd", "district", parent=gov)
    return {
        "gov": gov, "county": county, "district": district,
        "dept": new_org("临川市教育局", "lc-jyj", parent=gov),
        "county_dept": new_org("青山县民政局", "lc-qs-mzj", parent=county),
        "township": new_org("青山县城关镇人民政府", "lc-qs-cgz", "township", parent=county),
        "street": new_org("河东区东城街道办事处", "lc-hd-dc", "street", parent=district),
        "tax": new_org("临川市税务局", "lc-sw", parent=gov),
    }


def test_reconsideration_body_follows_the_org_tree(tree):
    from yangguang.disclosure.models import ReconsiderationSetting
    from yangguang.disclosure.reconsideration import body_for

    t = tree
    assert body_for(t["dept"]).name == "临川市人民政府"  # 部门 → 本级人民政府 (第24条第一款第（一）项)
    assert "第二十四条第一款第（一）项" in body_for(t["dept"]).basis
    assert body_for(t["county_dept"]).name == "青山县人民政府"
    assert body_for(t["county"]).name == "临川市人民政府"  # 下一级人民政府 → 上一级 (第（二）项)
    assert "第（二）项" in body_for(t["county"]).basis
    assert body_for(t["township"]).name == "青山县人民政府"
    assert body_for(t["street"]).name == "河东区人民政府"  # 派出机关 → 设立它的政府 (第（三）项)
    top = body_for(t["gov"])  # no government above it in the tree: described, and flagged
    assert not top.named and "上一级人民政府" in top.name and "复议机关设置" in top.problem
    ReconsiderationSetting.objects.create(org=t["tax"], vertically_managed=True)
    tax = body_for(t["tax"])  # 垂直领导 / 税务 → 上一级主管部门 (第27条), not the city
    assert "上一级主管部门" in tax.name and "第二十七条" in tax.basis and not tax.named
    ReconsiderationSetting.objects.filter(org=t["tax"]).update(body_name="国家税务总局某省税务局")
    assert body_for(t["tax"]).name == "国家税务总局某省税务局" and body_for(t["tax"]).configured


def _app(org, office, applicant_type="natural", name="张小三"):
    a = services.register(org, {
        "applicant_type": applicant_type, "applicant_name": name, "contact_phone": "13812345678",
        "description": "某项信息", "channel": "online", "received_date": date(2025, 9, 26),
    })
    return services.accept(a, office)


def _letter(app) -> str:
    return app.letters.get(kind__in=[Letter.Kind.REPLY, Letter.Kind.REFUSE_TO_HANDLE]).text


def test_reply_letter_names_body_limits_and_carries_the_reason(tree):
    office = new_user("rl_gkb", tree["dept"], "supervisor")
    app = _app(tree["dept"], office)
    app = services.reply(app, office, reply_type="disclose", outcome="1", on=ON,
                         reason="请于2025年10月27日起到本局政务服务窗口领取纸质件", backdate_reason="补录")
    text = _letter(app)
    assert "现告知获取该信息的方式、途径和时间：请于2025年10月27日起到本局政务服务窗口领取纸质件。" in text
    assert f"{law.RECONSIDERATION_DAYS}日内向临川市人民政府申请行政复议" in text
    assert f"{law.LITIGATION_MONTHS}个月内依法向人民法院提起行政诉讼" in text
    assert law.RECONSIDERATION_DAYS_BASIS in text and law.LITIGATION_MONTHS_BASIS in text
    assert "你于2025年9月26日" in text and "你（单位）" not in text and "你单位" not in text
    assert app.reply_reason == "请于2025年10月27日起到本局政务服务窗口领取纸质件"


def test_an_organisation_is_addressed_as_you_unit_and_the_configured_body_is_named(tree):
    from yangguang.disclosure.models import ReconsiderationSetting

    ReconsiderationSetting.objects.create(org=tree["dept"], body_name="临川市人民政府行政复议办公室")
    office = new_user("rl_gkb2", tree["dept"], "supervisor")
    app = _app(tree["dept"], office, applicant_type="business", name="临川某物流有限公司")
    app = services.reply(app, office, reply_type="not_ours", outcome="4.1", on=ON,
                         reason="该信息由临川市交通运输局负责公开，联系电话0871-1234567。", backdate_reason="补录")
    text = _letter(app)
    assert "你单位于2025年9月26日" in text and "你单位申请的信息不属于本机关负责公开" in text
    assert "特此告知：该信息由临川市交通运输局负责公开，联系电话0871-1234567。" in text
    assert "向临川市人民政府行政复议办公室申请行政复议" in text and "你（单位）" not in text


@pytest.mark.parametrize("reply_type, outcome", [
    ("disclose", "1"), ("partial", "2"), ("refuse", "3.6"), ("not_ours", "4.1"),
])
def test_the_reasons_the_law_requires_are_required(tree, reply_type, outcome):
    office = new_user("rl_gkb3", tree["county"], "supervisor")
    app = _app(tree["county"], office)
    with pytest.raises(InvalidInput, match="条例第3[67]条"):
        services.reply(app, office, reply_type=reply_type, outcome=outcome, on=ON, backdate_reason="补录")
    app.refresh_from_db()
    assert app.state == "accepted" and not app.letters.exists()


def test_refusal_states_the_ground_and_the_reason_and_a_local_government_names_the_next_one(tree):
    office = new_user("rl_gkb4", tree["county"], "supervisor")
    app = _app(tree["county"], office)
    app = services.reply(app, office, reply_type="refuse", outcome="3.6", on=ON, reason="该材料为会议讨论记录，尚未形成正式文件。", backdate_reason="补录")
    text = _letter(app)
    assert "属于四类过程性信息（条例第16条第二款）" in text and "理由：该材料为会议讨论记录，尚未形成正式文件。" in text
    assert "向临川市人民政府申请行政复议" in text


def test_refuse_to_handle_issues_its_letter_with_the_remedies(tree):
    office = new_user("rl_gkb5", tree["street"], "supervisor")
    app = _app(tree["street"], office)
    app = services.reply(app, office, reply_type="refuse_to_handle", outcome="5.2", on=ON, backdate_reason="补录")
    text = app.letters.get(kind=Letter.Kind.REFUSE_TO_HANDLE).text
    assert "重复申请" in text and "如对本告知不服" in text and "向河东区人民政府申请行政复议" in text


def test_letter_files_say_the_same(tree):
    """The Word file the applicant downloads carries the same remedies sentence."""
    import io

    from django.urls import reverse
    from docx import Document as Docx

    office = new_user("rl_gkb6", tree["township"], "supervisor")
    app = services.reply(_app(tree["township"], office), office, reply_type="not_exist", outcome="4.1", on=ON, backdate_reason="补录")
    letter = app.letters.get(kind=Letter.Kind.REPLY)
    c = Client()
    c.force_login(office)
    r = c.get(reverse("applications:letter_file", args=[app.pk, letter.pk, "docx"]))
    body = "\n".join(p.text for p in Docx(io.BytesIO(b"".join(r.streaming_content))).paragraphs)
    assert "向青山县人民政府申请行政复议" in body and "经检索，本机关没有你申请的政府信息" in body


def test_the_body_is_set_in_the_admin_and_the_change_audited(tree):
    from yangguang.core.models import AuditEvent
    from yangguang.disclosure.models import ReconsiderationSetting
    from yangguang.orgs.models import User

    admin = User.objects.create_superuser("rl_admin", password="Admin@2026pass")
    c = Client()
    c.force_login(admin)
    url = "/admin/disclosure/reconsiderationsetting/add/"
    assert c.get(url).status_code == 200
    r = c.post(url, {"org": tree["tax"].pk, "vertically_managed": "on", "body_name": "国家税务总局某省税务局"})
    assert r.status_code == 302
    setting = ReconsiderationSetting.objects.get(org=tree["tax"])
    assert setting.vertically_managed and setting.body_name == "国家税务总局某省税务局"
    assert AuditEvent.objects.filter(action="admin.add", object_id=str(setting.pk)).exists()
    listing = c.get("/admin/disclosure/reconsiderationsetting/").content.decode()
    assert "国家税务总局某省税务局" in listing
