"""Staff pages (own org acts, supervisor reads its region) and the portal (published versions only)."""

import io

import pytest
from django.urls import reverse
from docx import Document as Docx
from helpers import new_org, new_user

from yangguang.reports.models import ReportVersion

pytestmark = pytest.mark.django_db
YEAR = 2025


def login(client, user):
    client.force_login(user)
    return client


def _write_and_finalize(c, org):
    edit = reverse("reports:edit", args=[org.id, YEAR])
    c.post(reverse("reports:figures", args=[org.id, YEAR]),
           {"licensing": "4", "penalty": "0", "enforcement": "0", "fees": "0"})
    c.post(edit, {"overview": "本年度总体情况良好。", "problems": "问题。", "other": ""})
    return c.post(reverse("reports:finalize", args=[org.id, YEAR]), follow=True)


def test_staff_flow_and_portal(client, staff_a, org_a):
    c = login(client, staff_a.principal)
    home = c.get(reverse("reports:home"))
    assert home.status_code == 200 and f"{YEAR}年度" in home.content.decode()
    page = c.get(reverse("reports:edit", args=[org_a.id, YEAR])).content.decode()
    assert "勾稽关系检查通过" in page and "可引用的数据" in page and "（七）总计" in page
    assert "已定稿（第1版）" in _write_and_finalize(c, org_a).content.decode()
    public = reverse("reports_public:detail", args=[org_a.slug, YEAR])
    assert client.get(public).status_code == 404  # finalized is not published
    c.post(reverse("reports:publish", args=[org_a.id, YEAR]))
    c.logout()
    listing = client.get(reverse("reports_public:org", args=[org_a.slug])).content.decode()
    assert public in listing
    body = client.get(public).content.decode()
    assert "本年度总体情况良好。" in body and "四、结转下年度继续办理" in body and "第1版" in body
    docx = client.get(reverse("reports_public:download", args=[org_a.slug, YEAR, "docx"]))
    assert docx.status_code == 200 and len(Docx(io.BytesIO(docx.content)).tables) == 3
    assert client.get(reverse("reports_public:download", args=[org_a.slug, YEAR, "exe"])).status_code == 404

    # a correction: the old version stays viewable and is linked
    login(client, staff_a.deputy)
    client.post(reverse("reports:edit", args=[org_a.id, YEAR]), {"overview": "更正后的总体情况。", "problems": "", "other": ""})
    client.post(reverse("reports:correct", args=[org_a.id, YEAR]), {"reason": "修正总体情况表述。"})
    client.logout()
    body = client.get(public).content.decode()
    assert "更正后的总体情况。" in body and "修正总体情况表述。" in body and f"{public}?v=1" in body
    old = client.get(public + "?v=1").content.decode()
    assert "本年度总体情况良好。" in old and "已被更正的旧版本" in old
    assert client.get(public + "?v=9").status_code == 404


def test_other_org_staff_cannot_see_or_act(client, staff_a, staff_b, org_a):
    c = login(client, staff_b.clerk)
    assert c.get(reverse("reports:edit", args=[org_a.id, YEAR])).status_code == 404
    assert c.post(reverse("reports:finalize", args=[org_a.id, YEAR])).status_code == 404
    assert c.get(reverse("reports:region", args=[YEAR])).status_code == 404


def test_supervisor_reads_region_but_does_not_act(client, staff_a, org_a, supervisor, city):
    login(client, staff_a.principal)
    _write_and_finalize(client, org_a)
    client.logout()
    other_region = new_org("外市人民政府", "waishi", "city")
    c = login(client, supervisor)
    page = c.get(reverse("reports:edit", args=[org_a.id, YEAR]))
    assert page.status_code == 200 and "保存正文" not in page.content.decode()
    r = c.post(reverse("reports:publish", args=[org_a.id, YEAR]), follow=True)
    assert "只能办理本机关的年度报告" in r.content.decode()
    assert not ReportVersion.objects.filter(published_at__isnull=False).exists()
    assert c.get(reverse("reports:edit", args=[other_region.id, YEAR])).status_code == 404
    region = c.get(reverse("reports:region", args=[YEAR])).content.decode()
    assert org_a.name in region and "已定稿待发布" in region and "逾期未发布" in region and "全区域合计" in region
    version = ReportVersion.objects.get()
    assert c.get(reverse("reports:version", args=[version.pk])).status_code == 200
    assert c.get(reverse("reports:version_download", args=[version.pk, "xlsx"])).status_code == 200
    outsider = new_user("outsider", other_region, "supervisor")
    c.logout()
    login(client, outsider)
    assert client.get(reverse("reports:version", args=[version.pk])).status_code == 404


def test_invalid_figures_show_errors(client, staff_a, org_a):
    c = login(client, staff_a.clerk)
    r = c.post(reverse("reports:figures", args=[org_a.id, YEAR]),
               {"licensing": "-3", "penalty": "0", "enforcement": "0", "fees": "abc"})
    assert r.status_code == 200 and "errorlist" in r.content.decode()


def test_finalize_refusal_is_shown(client, staff_a, org_a):
    c = login(client, staff_a.principal)
    c.post(reverse("reports:edit", args=[org_a.id, YEAR]), {"overview": "", "problems": "", "other": ""})
    page = c.post(reverse("reports:finalize", args=[org_a.id, YEAR]), follow=True).content.decode()
    assert "本报告不能定稿" in page and "尚未录入" in page and "“一、总体情况”尚未填写" in page
    assert not ReportVersion.objects.exists()


SIGN_OFF_NOTE = "定稿、发布和更正须由本单位主要领导或分管领导办理"
SIGN_OFF_REFUSED = "只有本单位主要领导或分管领导可以定稿、发布或更正年度报告。"


def test_clerk_writes_but_gets_no_sign_off_buttons_and_is_refused(client, staff_a, org_a):
    c = login(client, staff_a.clerk)
    edit = reverse("reports:edit", args=[org_a.id, YEAR])
    r = _write_and_finalize(c, org_a)  # the clerk's figures and narrative are saved; the finalize POST is refused
    assert r.status_code == 200 and SIGN_OFF_REFUSED in r.content.decode()
    assert not ReportVersion.objects.exists()
    page = c.get(edit).content.decode()
    assert "本年度总体情况良好。" in page and "保存正文" in page and "保存录入数据" in page
    assert SIGN_OFF_NOTE in page
    for url in ("finalize", "publish", "correct"):
        assert reverse(f"reports:{url}", args=[org_a.id, YEAR]) not in page, url

    # a leader finalizes; the clerk still sees no publish button and a forged POST is refused
    login(client, staff_a.deputy)
    assert "已定稿（第1版）" in client.post(reverse("reports:finalize", args=[org_a.id, YEAR]), follow=True).content.decode()
    assert reverse("reports:publish", args=[org_a.id, YEAR]) in client.get(edit).content.decode()
    c = login(client, staff_a.clerk)
    assert reverse("reports:publish", args=[org_a.id, YEAR]) not in c.get(edit).content.decode()
    r = c.post(reverse("reports:publish", args=[org_a.id, YEAR]))
    assert r.status_code == 302 and r.url == edit
    assert SIGN_OFF_REFUSED in c.get(edit).content.decode()
    assert not ReportVersion.objects.filter(published_at__isnull=False).exists()

    login(client, staff_a.principal)
    client.post(reverse("reports:publish", args=[org_a.id, YEAR]))
    assert ReportVersion.objects.get().published_by == staff_a.principal
    c = login(client, staff_a.clerk)
    page = c.get(edit).content.decode()
    assert reverse("reports:correct", args=[org_a.id, YEAR]) not in page and SIGN_OFF_NOTE in page
    r = c.post(reverse("reports:correct", args=[org_a.id, YEAR]), {"reason": "修正。"}, follow=True)
    assert r.status_code == 200 and SIGN_OFF_REFUSED in r.content.decode()
    assert ReportVersion.objects.count() == 1


def test_leader_sees_sign_off_buttons(client, staff_a, org_a):
    for leader in (staff_a.principal, staff_a.deputy):
        page = login(client, leader).get(reverse("reports:edit", args=[org_a.id, YEAR])).content.decode()
        assert SIGN_OFF_NOTE not in page and "先保存报告正文，再定稿。" in page


def test_principal_of_another_org_cannot_finalize(client, staff_a, staff_b, org_a):
    login(client, staff_a.clerk)
    _write_and_finalize(client, org_a)
    c = login(client, staff_b.principal)
    assert c.post(reverse("reports:finalize", args=[org_a.id, YEAR])).status_code == 404
    assert not ReportVersion.objects.exists()
