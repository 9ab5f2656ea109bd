import io
from datetime import date

import pytest
from helpers import new_user
from helpers_sv import local, publish_at

from yangguang.core.errors import IllegalTransition, InvalidInput, NotAllowed
from yangguang.core.models import AuditEvent
from yangguang.supervision import export, services
from yangguang.supervision.models import Bulletin
from yangguang.supervision.months import Month
from yangguang.supervision.tasks import generate_monthly_bulletins

pytestmark = pytest.mark.django_db


def test_task_creates_last_months_draft_once(city, supervisor, staff_a):
    publish_at(staff_a, local(2025, 10, 9), title="十月的通知")
    first = generate_monthly_bulletins.call("2025-11-01")
    assert first == {"month": "2025-10", "created": [city.pk]}
    assert generate_monthly_bulletins.call("2025-11-01") == {"month": "2025-10", "created": []}
    assert generate_monthly_bulletins.call("2025-11-02")["created"] == []  # daily runs add nothing
    b = Bulletin.objects.get()
    assert (b.year, b.month, b.state, b.region) == (2025, 10, "draft", city)
    assert b.title == "关于2025年10月政府信息发布情况的通报"
    assert AuditEvent.objects.filter(action="bulletin.generate").count() == 1
    # The next month: a new draft on 1 December.
    assert generate_monthly_bulletins.call("2025-12-01")["created"] == [city.pk]


def test_draft_facts_are_computed_and_issue_freezes_them(city, supervisor, staff_a, staff_b):
    publish_at(staff_a, local(2025, 10, 9), title="教育局十月的通知")
    publish_at(staff_b, local(2025, 9, 9), title="民政局九月的通知")
    b, created = services.generate_draft(city, Month(2025, 10), supervisor, today=date(2025, 11, 3))
    assert created
    facts = services.facts_of(b, today=date(2025, 11, 3))
    assert facts["totals"]["published"] == 1
    blank = {x["name"]: x["run"] for x in facts["blank"]}
    assert blank[staff_b.org.name] == 1 and staff_a.org.name not in blank
    assert [x["name"] for x in facts["best"]] == []  # 1 item is below the default quota of 10
    assert {x["name"] for x in facts["below_quota"]} == {staff_a.org.name}
    # Data changes are reflected while a draft …
    publish_at(staff_a, local(2025, 10, 20), title="教育局十月的第二条通知")
    assert services.facts_of(b)["totals"]["published"] == 2
    services.update_narrative(b, supervisor, "（一）请各单位杜绝空白月。")
    b = services.issue(b, supervisor, Bulletin.Visibility.PUBLIC)
    assert b.is_public and b.facts["totals"]["published"] == 2
    # … but not once issued.
    publish_at(staff_b, local(2025, 10, 21), title="民政局补发的十月通知")
    b.refresh_from_db()
    assert services.facts_of(b)["totals"]["published"] == 2
    with pytest.raises(IllegalTransition):
        services.update_narrative(b, supervisor, "改写")
    with pytest.raises(IllegalTransition):
        services.issue(b, supervisor, Bulletin.Visibility.INTERNAL)
    actions = list(AuditEvent.objects.filter(object_type="supervision.bulletin").values_list("action", flat=True))
    assert actions == ["bulletin.generate", "bulletin.edit", "bulletin.issue"]
    issue_event = AuditEvent.objects.get(action="bulletin.issue")
    assert issue_event.actor == supervisor and issue_event.data["visibility"] == "public"


def test_permissions_and_inputs(city, supervisor, staff_a, org_b):
    with pytest.raises(NotAllowed):
        services.generate_draft(city, Month(2025, 10), staff_a.clerk, today=date(2025, 11, 1))
    county_sup = new_user("jyj_gkb", staff_a.org, "supervisor")
    with pytest.raises(NotAllowed):
        services.generate_draft(city, Month(2025, 10), county_sup, today=date(2025, 11, 1))
    with pytest.raises(InvalidInput):
        services.generate_draft(city, Month(2025, 11), supervisor, today=date(2025, 11, 20))
    b, _ = services.generate_draft(city, Month(2025, 10), supervisor, today=date(2025, 11, 1))
    with pytest.raises(NotAllowed):
        services.issue(b, county_sup, "public")
    with pytest.raises(InvalidInput):
        services.issue(b, supervisor, "everyone")


def test_docx_and_pdf_reopen_with_the_text(city, supervisor, staff_a):
    from docx import Document as Docx
    from pypdf import PdfReader

    publish_at(staff_a, local(2025, 10, 9), title="十月的通知")
    b, _ = services.generate_draft(city, Month(2025, 10), supervisor, today=date(2025, 11, 1))
    services.update_narrative(b, supervisor, "（一）杜绝空白月，完成月度任务。")
    b = services.issue(b, supervisor, Bulletin.Visibility.INTERNAL)
    blocks = services.document_blocks(b)
    doc = Docx(io.BytesIO(export.to_docx(blocks)))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert "关于2025年10月政府信息发布情况的通报" in text and "杜绝空白月，完成月度任务" in text
    assert "共发布各类政府信息1条" in text and f"{city.name}政务公开办公室" in text
    assert "通知公告" in cells  # the genre table
    pdf = PdfReader(io.BytesIO(export.to_pdf(blocks)))
    pdf_text = "".join(page.extract_text() for page in pdf.pages).replace(" ", "").replace("\n", "")
    assert "政府信息发布情况的通报" in pdf_text and "杜绝空白月" in pdf_text


def test_clock_enqueues_the_monthly_task_daily():
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    call_command("clock", "--once")
    path = "yangguang.supervision.tasks.generate_monthly_bulletins"
    assert DBTaskResult.objects.filter(task_path=path).count() == 1


def test_demo_hook_sets_the_quota_and_creates_last_months_draft(city, supervisor):
    from yangguang.supervision.demo import DEMO_MONTHLY_QUOTA, load_bulletins
    from yangguang.supervision.models import PublicationQuota

    assert load_bulletins() == 1
    assert PublicationQuota.objects.get(org=city).monthly == DEMO_MONTHLY_QUOTA
    assert Bulletin.objects.get().state == Bulletin.State.DRAFT
