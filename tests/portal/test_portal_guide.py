"""公开指南: generated default, edits only by the org's own staff, audit-logged."""

import pytest
from django.test import Client
from django.urls import reverse
from helpers import new_user

from yangguang.core.errors import NotAllowed
from yangguang.core.models import AuditEvent
from yangguang.orgs.models import Organization
from yangguang.portal import services
from yangguang.portal.guide import blocks
from yangguang.portal.models import OrgGuide

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_default_guide_is_generated_from_org_data(site):
    Organization.objects.filter(pk=site.staff.org.pk).update(
        address="测试市人民路1号", phone="0598-1234567", office_hours="工作日 9:00—17:00")
    resp = Client().get(reverse("portal:guide", args=["jyj"]))
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "测试市教育局政府信息公开指南" in html
    for text in ("测试市人民路1号", "0598-1234567", "工作日 9:00—17:00", "通知公告", "政策文件", "公开年报",
                 "20个工作日", "第三十三条", "第二十六条", "自动生成"):
        assert text in html, text
    assert 'href="http://testserver/apply/?org=jyj"' in html
    assert "<h2>一、主动公开</h2>" in html and "<h3>（三）答复期限</h3>" in html
    assert "编辑本机构公开指南" not in html  # anonymous


def test_government_guide_cites_article_21(site):
    html = Client().get(reverse("portal:guide", args=[site.county.slug])).content.decode()
    assert "第二十一条" in html and "基层政务公开（重大建设项目" in html


def test_edit_permissions(site, outsider, supervisor):
    url = reverse("portal:guide_edit", args=["jyj"])
    resp = Client().get(url)
    assert resp.status_code == 302 and "/login/" in resp["Location"]
    for user in (outsider, supervisor):
        c = login(user)
        assert c.get(url).status_code == 403
        assert c.post(url, {"text": "篡改", "save": ""}).status_code == 403
    assert not OrgGuide.objects.exists()
    with pytest.raises(NotAllowed):
        services.save_guide(site.staff.org, supervisor, "篡改")


def test_own_staff_edit_is_audited_and_reset(site):
    clerk = site.staff.clerk
    c = login(clerk)
    url = reverse("portal:guide_edit", args=["jyj"])
    page = c.get(url).content.decode()
    assert "一、主动公开" in page  # the form starts from the generated guide
    text = "一、本机构的指南\n（一）受理\n请到人民路1号办理。<script>alert(1)</script>"
    resp = c.post(url, {"text": text, "save": ""})
    assert resp.status_code == 302 and resp["Location"] == reverse("portal:guide", args=["jyj"])
    guide = OrgGuide.objects.get(org=site.staff.org)
    assert guide.updated_by == clerk
    event = AuditEvent.objects.filter(action="guide.update").get()
    assert event.actor_id == clerk.pk and event.org_id == site.staff.org.pk and event.data["chars"] == len(text)
    html = Client().get(reverse("portal:guide", args=["jyj"])).content.decode()
    assert "<h2>一、本机构的指南</h2>" in html and "请到人民路1号办理。" in html
    assert "<script>alert(1)</script>" not in html and "本指南由本机构编写" in html
    resp = c.post(url, {"text": "", "reset": ""})
    assert resp.status_code == 302 and not OrgGuide.objects.exists()
    assert AuditEvent.objects.filter(action="guide.reset", actor=clerk).count() == 1
    assert "自动生成" in Client().get(reverse("portal:guide", args=["jyj"])).content.decode()


def test_too_long_text_is_refused_in_chinese(site):
    c = login(site.staff.clerk)
    resp = c.post(reverse("portal:guide_edit", args=["jyj"]), {"text": "字" * (services.MAX_GUIDE_CHARS + 1)})
    assert resp.status_code == 400 and "不能超过" in resp.content.decode()
    assert not OrgGuide.objects.exists() and not AuditEvent.objects.filter(action="guide.update").exists()


def test_other_staff_of_same_org_can_edit_and_staff_sees_edit_link(site):
    reviewer = new_user("a_extra", site.staff.org, "section_head")
    services.save_guide(site.staff.org, reviewer, "一、说明\n正文")
    html = login(reviewer).get(reverse("portal:guide", args=["jyj"])).content.decode()
    assert "编辑本机构公开指南" in html


def test_blocks_parse_headings():
    assert [b.kind for b in blocks("一、总则\n（一）范围\n正文一\n\n正文二")] == ["h2", "h3", "p", "p"]
