from dataclasses import dataclass
from datetime import date

import pytest

from yangguang.publishing import services
from yangguang.publishing.models import Document


@dataclass
class World:
    policy: Document
    interpretation: Document
    notice: Document
    news: Document
    withdrawn: Document
    draft_edition_id: int


def doc_of(edition) -> Document:
    return Document.objects.select_related("org", "column", "live_edition").get(pk=edition.document_id)


@pytest.fixture
def world(staff_a, staff_b) -> World:
    """Org A: a policy with an attachment and its interpretation, a notice, a withdrawn notice, a draft;
    org B: one news item."""
    policy_ed = staff_a.draft(title="关于进一步规范义务教育招生入学工作的实施意见", column="zcwj", genre="normative",
                              topic="11", doc_number="测教发〔2025〕3号", written_date=date(2025, 3, 1),
                              published_date=date(2025, 3, 5), keywords="义务教育 招生",
                              body="<p>为规范义务教育招生入学工作，现提出如下意见。</p>")
    services.add_attachment(policy_ed, staff_a.clerk, "实施意见.txt", "附件：招生片区划分表".encode())
    policy = doc_of(staff_a.publish(policy_ed))
    interp_ed = staff_a.draft(title="《关于进一步规范义务教育招生入学工作的实施意见》政策解读", column="zcjd",
                              genre="interpretation", body="<p>一、起草背景。</p>")
    interpretation = doc_of(staff_a.publish(interp_ed))
    services.link_interpretation(interpretation, policy, "text", staff_a.clerk)
    notice = doc_of(staff_a.publish(staff_a.draft(title="关于开展2026年教师资格认定工作的通知", validity="valid")))
    withdrawn = doc_of(staff_a.publish(staff_a.draft(title="关于已撤回事项的通知", body="<p>撤回前的正文。</p>")))
    services.withdraw(withdrawn, staff_a.principal, "该通知内容有误，已撤回。")
    draft = staff_a.draft(title="尚未送审的草稿通知")
    news = doc_of(staff_b.publish(staff_b.draft(title="民政局开展走访慰问困难群众活动", column="gzdt", genre="news",
                                                topic="17")))
    return World(policy=Document.objects.get(pk=policy.pk), interpretation=Document.objects.get(pk=interpretation.pk),
                 notice=notice, news=news, withdrawn=withdrawn, draft_edition_id=draft.pk)
