"""公开指南: generated default; an edit is a revision that is screened like a document and
published only when a leader of the same org approves it (issue #15, item 4)."""

import hashlib

import pytest
from django.test import Client
from django.urls import reverse
from helpers import new_user, valid_id

from yangguang.core.errors import IllegalTransition, InvalidInput, NotAllowed, ServiceError
from yangguang.core.models import AuditEvent, Notification
from yangguang.orgs.models import Organization
from yangguang.portal import services
from yangguang.portal.guide import blocks
from yangguang.portal.models import GuideAction, GuideRevision, GuideState, next_state

pytestmark = pytest.mark.django_db

GUIDE = "一、本机构的指南\n（一）受理\n请到人民路1号办理。"


def login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def public_html(slug: str = "jyj") -> str:
    return Client().get(reverse("portal:guide", args=[slug])).content.decode()


def edit_url(slug: str = "jyj") -> str:
    return reverse("portal:guide_edit", args=[slug])


def revision_url(revision) -> str:
    return reverse("portal:guide_revision", args=[revision.org.slug, revision.number])


def luhn_card(prefix: str, length: int = 19) -> str:
    """A card number that passes ISO/IEC 7812 (Luhn), computed here, not by the product."""
    body = prefix + "0" * (length - 1 - len(prefix))
    total = 0
    for i, c in enumerate(reversed(body)):
        n = int(c) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return body + str((10 - total % 10) % 10)


# --- the generated guide ------------------------------------------------------------------------

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


def test_blocks_parse_headings():
    assert [b.kind for b in blocks("一、总则\n（一）范围\n正文一\n\n正文二")] == ["h2", "h3", "p", "p"]


# --- who may do what ---------------------------------------------------------------------------

def test_edit_permissions(site, outsider, supervisor):
    url = edit_url()
    resp = Client().get(url)
    assert resp.status_code == 302 and "/login/" in resp["Location"]
    for user in (outsider, supervisor):
        c = login(user)
        assert c.get(url).status_code == 403
        assert c.post(url, {"text": "篡改", "submit": ""}).status_code == 403
    assert not GuideRevision.objects.exists()
    with pytest.raises(NotAllowed):
        services.submit(site.staff.org, supervisor, "篡改")
    with pytest.raises(NotAllowed):
        services.save_draft(site.staff.org, outsider, "篡改")


def test_clerk_cannot_publish_directly(site):
    """The clerk's edit waits for a leader; the public page keeps the generated guide."""
    clerk = site.staff.clerk
    c = login(clerk)
    assert "一、主动公开" in c.get(edit_url()).content.decode()  # the form starts from the generated guide
    resp = c.post(edit_url(), {"text": GUIDE, "submit": ""})
    revision = GuideRevision.objects.get(org=site.staff.org)
    assert resp.status_code == 302 and resp["Location"] == revision_url(revision)
    assert revision.state == GuideState.SUBMITTED and revision.submitted_by == clerk
    html = public_html()
    assert "请到人民路1号办理" not in html and "自动生成" in html
    # Neither the service nor the page lets the clerk approve it.
    with pytest.raises(NotAllowed):
        services.approve(revision, clerk)
    assert c.post(revision_url(revision), {"approve": ""}).status_code == 403
    for reviewer in (site.staff.section_head, site.staff.secrecy):  # reviewers below the leaders
        with pytest.raises(NotAllowed):
            services.approve(revision, reviewer)
    revision.refresh_from_db()
    assert revision.state == GuideState.SUBMITTED and "请到人民路1号办理" not in public_html()


def test_draft_is_not_public(site):
    c = login(site.staff.clerk)
    resp = c.post(edit_url(), {"text": GUIDE, "save": ""})
    assert resp.status_code == 302
    draft = GuideRevision.objects.get(org=site.staff.org)
    assert draft.state == GuideState.DRAFT and "请到人民路1号办理" not in public_html()
    assert "请到人民路1号办理" in c.get(edit_url()).content.decode()  # the writer continues from the draft


def test_leader_approves_and_public_page_shows_it(site):
    clerk, deputy, principal = site.staff.clerk, site.staff.deputy, site.staff.principal
    text = GUIDE + "\n<script>alert(1)</script>"
    revision = services.submit(site.staff.org, clerk, text)
    # The leaders are told, the submitter is not.
    notified = set(Notification.objects.filter(kind="guide_submitted").values_list("user_id", flat=True))
    assert notified == {deputy.pk, principal.pk}
    page = login(deputy).get(revision_url(revision)).content.decode()
    assert "批准发布" in page and "退回修改" in page
    resp = login(deputy).post(revision_url(revision), {"approve": "", "note": "同意公开"})
    assert resp.status_code == 302
    revision.refresh_from_db()
    assert revision.state == GuideState.APPROVED and revision.decided_by == deputy
    html = public_html()
    assert "<h2>一、本机构的指南</h2>" in html and "请到人民路1号办理。" in html
    assert "<script>alert(1)</script>" not in html and "本指南由本机构编写" in html
    assert Notification.objects.filter(kind="guide_approved", user=clerk).count() == 1
    # One audit event per state change, with the revision, the text's hash and the findings summary.
    digest = hashlib.sha256(text.encode()).hexdigest()
    submit_event = AuditEvent.objects.get(action="guide.submit")
    approve_event = AuditEvent.objects.get(action="guide.approve")
    for event, actor in ((submit_event, clerk), (approve_event, deputy)):
        assert event.actor_id == actor.pk and event.org_id == site.staff.org.pk
        assert event.data["revision"] == revision.pk and event.data["sha256"] == digest == revision.sha256
        assert event.data["findings"] == {"blocking": {}, "warnings": {}, "external_links": []}
    assert (submit_event.data["from"], submit_event.data["to"]) == ("draft", "submitted")
    assert (approve_event.data["from"], approve_event.data["to"]) == ("submitted", "approved")


def test_submitter_cannot_approve_own_revision(site):
    deputy, principal = site.staff.deputy, site.staff.principal
    revision = services.submit(site.staff.org, deputy, GUIDE)
    assert not Notification.objects.filter(kind="guide_submitted", user=deputy).exists()
    with pytest.raises(NotAllowed):
        services.approve(revision, deputy)
    page = login(deputy).get(revision_url(revision)).content.decode()
    assert "须由本机构其他主要领导或分管领导审核" in page and 'name="approve"' not in page
    services.approve(revision, principal)
    assert "请到人民路1号办理" in public_html()


def test_leader_of_another_org_cannot_approve(site, org_b):
    revision = services.submit(site.staff.org, site.staff.clerk, GUIDE)
    other = new_user("b_zy", org_b, "principal")
    with pytest.raises(NotAllowed):
        services.approve(revision, other)
    assert login(other).get(revision_url(revision)).status_code == 403


# --- screening: what was seen on /guide/<org>/ -------------------------------------------------

@pytest.mark.parametrize("name, bad, label", [
    ("id_card", lambda: "申请人身份证号" + valid_id("11010519900307123"), "居民身份证号"),
    ("bank_card", lambda: "缴费账户" + luhn_card("622202"), "银行卡号"),
    ("secret_mark", lambda: "绝密★10年", "密级标志"),
])
def test_blocking_findings_refuse_submission_and_name_the_finding(site, name, bad, label):
    text = GUIDE + "\n" + bad()
    resp = login(site.staff.clerk).post(edit_url(), {"text": text, "submit": ""})
    body = resp.content.decode()
    assert resp.status_code == 400 and "不得公开" in body and label in body and "第4行" in body
    if name != "secret_mark":  # the personal number itself is not echoed back in the message
        number = bad()[-16:]
        assert body.count(number) == 1  # only inside the textarea
    assert not GuideRevision.objects.exists() and not AuditEvent.objects.filter(action__startswith="guide.").exists()
    assert "请到人民路1号办理" not in public_html()
    with pytest.raises(InvalidInput) as err:
        services.submit(site.staff.org, site.staff.clerk, text)
    assert any(label in d for d in err.value.details)


def test_blocking_finding_refuses_approval(site):
    """A revision that reached review without screening (a guide saved before revisions existed,
    kept by migration portal 0002 as awaiting review) is screened again when approved."""
    text = GUIDE + "\n绝密★"
    revision = GuideRevision.objects.create(
        org=site.staff.org, number=1, text=text, sha256=hashlib.sha256(text.encode()).hexdigest(),
        state=GuideState.SUBMITTED, author=site.staff.clerk, submitted_by=site.staff.clerk)
    with pytest.raises(InvalidInput) as err:
        services.approve(revision, site.staff.principal, links_verified=True, warnings_checked=True)
    assert "密级标志" in str(err.value)
    revision.refresh_from_db()
    assert revision.state == GuideState.SUBMITTED and "绝密" not in public_html()


def test_mobile_number_is_held_for_the_approver(site):
    text = GUIDE + "\n联系人手机：13912345678"
    revision = services.submit(site.staff.org, site.staff.clerk, text)
    assert revision.state == GuideState.SUBMITTED
    page = login(site.staff.principal).get(revision_url(revision)).content.decode()
    assert "手机号码" in page and "审查警告已核实" in page
    resp = login(site.staff.principal).post(revision_url(revision), {"approve": ""})
    assert resp.status_code == 400 and "手机号码" in resp.content.decode()
    assert "13912345678" not in public_html()
    services.approve(revision, site.staff.principal, warnings_checked=True)
    revision.refresh_from_db()
    assert revision.warnings_checked and "13912345678" in public_html()
    event = AuditEvent.objects.get(action="guide.approve")
    assert event.data["findings"]["warnings"] == {"mobile": 1} and "13912345678" not in str(event.data)


def test_external_link_needs_explicit_approval(site, settings):
    settings.SITE_URL = "https://gk.mingxi.example"
    text = (GUIDE + "\n详见 https://www.gov.cn/zhengce/ 、https://gk.mingxi.example/orgs/ 和"
            " https://jyj.mingxi.gov.cn/xxgk/ 。\n下载表格：http://www.gov.cn@evil.example.net/form.exe")
    revision = services.submit(site.staff.org, site.staff.clerk, text)
    hosts = [f["host"] for f in revision.findings if f["kind"] == "external_link"]
    assert hosts == ["evil.example.net"]  # the address a browser follows, not the user-info before "@"
    page = login(site.staff.principal).get(revision_url(revision)).content.decode()
    assert "外部链接已核实" in page and "evil.example.net" in page
    with pytest.raises(ServiceError) as err:  # "www.gov.cn@evil…" also reads as an e-mail address: a warning
        services.approve(revision, site.staff.principal, warnings_checked=True)
    assert "外部链接已核实" in err.value.message and any("evil.example.net" in d for d in err.value.details)
    assert "evil.example.net" not in public_html()
    resp = login(site.staff.principal).post(revision_url(revision), {"approve": "", "links_verified": "1",
                                                                      "warnings_checked": "1"})
    assert resp.status_code == 302
    revision.refresh_from_db()
    assert revision.state == GuideState.APPROVED and revision.links_verified
    assert 'href="http://www.gov.cn@evil.example.net/form.exe"' in public_html()
    assert AuditEvent.objects.get(action="guide.approve").data["findings"]["external_links"] == ["evil.example.net"]


def test_government_and_own_site_links_need_no_check(site, settings):
    settings.SITE_URL = "https://gk.mingxi.example"
    text = GUIDE + "\n详见 https://www.gov.cn/zhengce/ 和 https://gk.mingxi.example/orgs/ 。"
    revision = services.submit(site.staff.org, site.staff.clerk, text)
    assert revision.findings == []
    services.approve(revision, site.staff.deputy)
    assert 'href="https://www.gov.cn/zhengce/"' in public_html()


# --- return, history, reset ----------------------------------------------------------------------

def test_return_keeps_the_text_and_tells_the_submitter(site):
    clerk, deputy = site.staff.clerk, site.staff.deputy
    revision = services.submit(site.staff.org, clerk, GUIDE)
    with pytest.raises(InvalidInput):
        services.return_revision(revision, deputy, "")
    resp = login(deputy).post(revision_url(revision), {"return": "", "note": "请补充办公时间"})
    assert resp.status_code == 302
    revision.refresh_from_db()
    assert revision.state == GuideState.RETURNED and revision.decision_note == "请补充办公时间"
    assert Notification.objects.get(kind="guide_returned", user=clerk).body == "请补充办公时间"
    assert AuditEvent.objects.get(action="guide.return").data["note"] == "请补充办公时间"
    page = login(clerk).get(edit_url()).content.decode()
    assert "请补充办公时间" in page and "请到人民路1号办理" in page  # the writer starts again from the returned text
    second = services.submit(site.staff.org, clerk, GUIDE + "\n办公时间：工作日")
    assert second.number == revision.number + 1
    revision.refresh_from_db()
    assert revision.text == GUIDE  # the returned revision keeps its full text


def test_one_open_revision_at_a_time(site):
    services.submit(site.staff.org, site.staff.clerk, GUIDE)
    with pytest.raises(IllegalTransition):
        services.submit(site.staff.org, site.staff.section_head, GUIDE + "\n另一稿")
    with pytest.raises(IllegalTransition):
        services.save_draft(site.staff.org, site.staff.clerk, GUIDE + "\n另一稿")
    page = login(site.staff.clerk).get(edit_url()).content.decode()
    assert "正在等待审核" in page and 'name="submit"' not in page


def test_state_table():
    assert next_state(GuideState.DRAFT, GuideAction.SUBMIT) == GuideState.SUBMITTED
    for state in (GuideState.APPROVED, GuideState.RETURNED):
        for action in GuideAction:
            with pytest.raises(IllegalTransition):
                next_state(state, action)
    with pytest.raises(IllegalTransition):
        next_state(GuideState.SUBMITTED, GuideAction.SAVE)  # a submitted text is frozen


def test_history_shows_each_revision_with_a_diff(site, supervisor):
    clerk, deputy = site.staff.clerk, site.staff.deputy
    first = services.approve(services.submit(site.staff.org, clerk, GUIDE), deputy)
    changed = GUIDE.replace("人民路1号", "解放路8号") + "\n<b>新增一段</b>"
    second = services.submit(site.staff.org, clerk, changed)
    html = login(clerk).get(reverse("portal:guide_history", args=["jyj"])).content.decode()
    assert "第1号修订" in html and "第2号修订" in html and "当前公开" in html
    assert "<del>请到人民路1号办理。</del>" in html and "<ins>请到解放路8号办理。</ins>" in html
    assert "<ins>&lt;b&gt;新增一段&lt;/b&gt;</ins>" in html and "<b>新增一段</b>" not in html  # escaped
    assert "与此前公开的第1号修订相比" in html
    page = login(deputy).get(revision_url(second)).content.decode()
    assert "<ins>请到解放路8号办理。</ins>" in page
    # The region's 政务公开办 reads the history; another org's staff does not.
    assert login(supervisor).get(reverse("portal:guide_history", args=["jyj"])).status_code == 200
    outsider = new_user("b_x", Organization.objects.get(slug="cs-county-jyj"), "clerk")
    assert login(outsider).get(reverse("portal:guide_history", args=["jyj"])).status_code == 403
    assert first.number == 1


def test_reset_to_generated_guide_is_a_revision_too(site):
    clerk, deputy = site.staff.clerk, site.staff.deputy
    services.approve(services.submit(site.staff.org, clerk, GUIDE), deputy)
    resp = login(clerk).post(edit_url(), {"text": GUIDE, "reset": ""})
    assert resp.status_code == 302
    reset = GuideRevision.objects.get(org=site.staff.org, state=GuideState.SUBMITTED)
    assert reset.is_reset and "请到人民路1号办理" in public_html()  # still the approved text
    services.approve(reset, deputy)
    assert "自动生成" in public_html() and "请到人民路1号办理" not in public_html()
    with pytest.raises(InvalidInput):  # nothing to change
        services.submit(site.staff.org, clerk, "")


def test_too_long_text_is_refused_in_chinese(site):
    c = login(site.staff.clerk)
    resp = c.post(edit_url(), {"text": "字" * (services.MAX_GUIDE_CHARS + 1), "submit": ""})
    assert resp.status_code == 400 and "不能超过" in resp.content.decode()
    assert not GuideRevision.objects.exists() and not AuditEvent.objects.filter(action__startswith="guide.").exists()


def test_staff_sees_edit_and_history_links(site):
    reviewer = new_user("a_extra", site.staff.org, "section_head")
    html = login(reviewer).get(reverse("portal:guide", args=["jyj"])).content.decode()
    assert "编辑本机构公开指南" in html and reverse("portal:guide_history", args=["jyj"]) in html
