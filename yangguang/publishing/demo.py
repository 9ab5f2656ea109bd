"""Demo data: the fictional city 明溪市 (`yangguang load-demo`).

About 30 organizations (city, departments, three counties/districts with their
departments and townships/streets), their staff, and a few hundred published documents.
Everything goes through the services (create_organization, create_user, create_draft,
submit, approve …), so each document has a genuine audit trail; only the publication
timestamps are moved into the past afterwards, for demo realism. 明溪市教育局 also gets
one or more documents in every workflow state, for the workbench.
"""

from __future__ import annotations

import io
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from yangguang.core import screening
from yangguang.orgs.codes import make_credit_code, org_code_check_char
from yangguang.orgs.models import Organization, User
from yangguang.orgs.roles import Role
from yangguang.orgs.services import create_organization, create_user

from . import demo_texts as T
from . import services
from .models import Column, Document, Edition
from .services.attachments import stored_path
from .taxonomy import Genre, InterpretationForm, Validity

DEMO_PASSWORD = "Demo@2026"
REVIEW_CHAIN = [Role.SECTION_HEAD, Role.SECRECY, Role.DEPUTY, Role.PRINCIPAL]
DAYS_BACK = 540  # documents are spread over the past 18 months

KEY_USERS = T.KEY_USERS


@dataclass
class Plan:
    """One document to publish: where, what, and when."""

    row: T.OrgRow
    column: str
    fields: dict
    attach: str = ""  # "docx" or "xlsx"
    interprets: Plan | None = None
    doc: Document | None = None


@dataclass
class Demo:
    progress: Callable[[str], None]
    rng: random.Random = field(default_factory=lambda: random.Random(2026))
    today: date = field(default_factory=timezone.localdate)
    orgs: dict[str, Organization] = field(default_factory=dict)
    clerks: dict[str, User] = field(default_factory=dict)
    chains: dict[str, list[User]] = field(default_factory=dict)
    users: list[User] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    numbers: dict[str, int] = field(default_factory=dict)
    names: list[str] = field(default_factory=list)


@dataclass
class Summary:
    accounts: list[tuple[str, str, str, str]]
    organizations: int
    public_documents: int


def load_demo(progress: Callable[[str], None] = lambda msg: None) -> Summary:
    """Create the demo city in one transaction; attachment files are removed again on failure."""
    demo = Demo(progress=progress)
    try:
        with transaction.atomic():
            _organizations(demo)
            _users(demo)
            plans = _plan_all(demo)
            _publish_all(demo, plans)
            _showcase(demo, plans)
    except BaseException:
        for path in demo.files:
            path.unlink(missing_ok=True)
        raise
    accounts = [(u.username, u.display_name, u.org.name if u.org else "",
                 "、".join(str(label) for r, label in Role.choices if r in u.role_set())) for u in demo.users]
    return Summary(accounts, len(demo.orgs), Document.objects.public().count())


# --- organizations and people ------------------------------------------------------------


def _place(row: T.OrgRow) -> str:
    if row.kind in ("city", "county", "district", "township", "street"):
        return row.ref
    return _place(next(r for r in T.ORGS if r.slug == row.parent))


def _organizations(demo: Demo) -> None:
    for i, row in enumerate(T.ORGS):
        org8 = f"MB{1200 + i * 37:06d}"
        code = make_credit_code("11" + row.region + org8 + org_code_check_char(org8))
        parent = demo.orgs[row.parent] if row.parent else None
        org = create_organization(code=code, name=row.name, kind=row.kind, slug=row.slug, parent=parent)
        # Contact details shown on the org pages; there is no service for them yet.
        Organization.objects.filter(pk=org.pk).update(
            address=f"{_place(row)}{demo.rng.choice(T.STREETS)}{demo.rng.randint(1, 199)}号",
            phone=f"0598-{demo.rng.randint(2000000, 8999999)}", office_hours="工作日 8:30—12:00，14:30—17:30",
        )
        demo.orgs[row.slug] = org
    demo.progress(f"已创建{len(demo.orgs)}个机构及其公开目录栏目、默认四级审核流程")


def _name(demo: Demo) -> str:
    if not demo.names:
        taken = {u[1] for u in KEY_USERS}
        demo.names = [s + g for s in T.SURNAMES for g in T.GIVEN_NAMES if s + g not in taken]
        demo.rng.shuffle(demo.names)
    return demo.names.pop()


def _users(demo: Demo) -> None:
    def add(username: str, display: str, slug: str, roles: list[str]) -> User:
        # password=None: one Argon2 hash (≈0.2 s) is computed below and shared by all demo
        # accounts, which have the same password anyway; 70 separate hashes would take 15 s.
        user = create_user(username=username, password=None, org=demo.orgs[slug], roles=[str(r) for r in roles],
                           display_name=display, is_superuser=username == "admin")
        demo.users.append(user)
        return user

    by_name = {u[0]: add(*u) for u in KEY_USERS}
    for row in T.ORGS:
        prefix = row.slug.replace("-", "_")
        clerk = f"{prefix}_clerk"
        demo.clerks[row.slug] = by_name.get(clerk) or add(clerk, _name(demo), row.slug, [Role.CLERK])
        if row.slug in ("jyj", "mzj"):
            demo.chains[row.slug] = [by_name[f"{prefix}_{s}"] for s in ("kz", "bm", "fg", "zy")]
        else:  # one reviewer holding every level of the chain, so the org can publish
            demo.chains[row.slug] = [add(f"{prefix}_sh", _name(demo), row.slug, REVIEW_CHAIN)] * 4
    User.objects.filter(pk__in=[u.pk for u in demo.users]).update(password=make_password(DEMO_PASSWORD))
    demo.progress(f"已创建{len(demo.users)}个演示账号")


# --- texts -------------------------------------------------------------------------------


def _ctx(row: T.OrgRow, day: date) -> dict:
    place = _place(row)
    unit = "街道" if place.endswith("街道") else place[-1]
    return {"org": row.name, "ref": row.ref, "place": place, "unit": unit, "year": day.year,
            "month": f"{day.month}月", "day": day.day}


def _clean(lines: list[str]) -> list[str]:
    return [s for s in lines if not screening.screen_text(s)]


def _paragraphs(demo: Demo, row: T.OrgRow, day: date, opener: str, closing: str = "") -> list[str]:
    """opener, 1–4 sentences of the org's domain, 0–4 general ones, and a closing of the kind."""
    rng, domain = demo.rng, _clean(T.DOMAINS[row.domain]["sentences"])
    general = _clean(T.GENERAL)
    picked = rng.sample(domain, rng.randint(1, min(4, len(domain)))) + rng.sample(general, rng.randint(0, 4))
    paras = [opener, *picked] + ([rng.choice(T.CLOSINGS[closing])] if closing else [])
    if len(paras) < 3:
        paras.insert(-1, rng.choice(general))
    ctx = _ctx(row, day)
    return [p.format_map(ctx) for p in paras]


def _day(demo: Demo, lo: int = 1, hi: int = DAYS_BACK) -> date:
    return demo.today - timedelta(days=demo.rng.randint(lo, hi))


def _recent(demo: Demo, month: int, first: int, last: int) -> date:  # latest such date not in the future
    day = date(demo.today.year, month, demo.rng.randint(first, last))
    return day if day <= demo.today else day.replace(year=day.year - 1)


def _fields(demo: Demo, row: T.OrgRow, title: str, genre: str, day: date, paras: list[str], **extra) -> dict:
    written = max(day - timedelta(days=demo.rng.randint(0, 6)), demo.today - timedelta(days=DAYS_BACK + 10))
    if genre == Genre.NOTICE and demo.rng.random() < 0.05:
        written = day - timedelta(days=35)  # a few late ones, for the 20-working-day monitoring
    return {"title": title, "genre": str(genre), "topic": T.DOMAINS[row.domain]["topic"], "validity": Validity.VALID,
            "written_date": written, "info_date": written, "published_date": day, "body": "\n".join(paras), **extra}


def _doc_number(demo: Demo, row: T.OrgRow, year: int) -> str:
    key = f"{row.slug}/{year}"
    demo.numbers[key] = demo.numbers.get(key, 0) + demo.rng.randint(1, 6)
    return f"{row.abbr}发〔{year}〕{demo.numbers[key]}号"


# --- the plan: which documents each organization publishes --------------------------------


def _plan_all(demo: Demo) -> list[Plan]:
    plans = [p for row in T.ORGS for p in _plan_org(demo, row)]
    demo.progress(f"已编排{len(plans)}篇演示文件")
    return plans


def _plan_org(demo: Demo, row: T.OrgRow) -> list[Plan]:
    d, rng, out = T.DOMAINS[row.domain], demo.rng, []
    fmt = _ctx(row, demo.today)

    def plan(column: str, title: str, genre: str, day: date, paras: list[str], **kw) -> Plan:
        attach, interprets = kw.pop("attach", ""), kw.pop("interprets", None)
        p = Plan(row, column, _fields(demo, row, title, genre, day, paras, **kw), attach, interprets)
        out.append(p)
        return p

    day = _day(demo, 400, DAYS_BACK)
    functions = [f"（{i}）{f.format_map(fmt)}。" for i, f in enumerate(d["functions"], 1)]
    plan("jgzn", f"{row.name}主要职责和内设机构", Genre.OTHER, day,
         ["一、主要职责", *functions, "二、内设机构", "、".join(d["sections"]) + "。",
          "三、办公时间", "工作日上午8:30—12:00，下午14:30—17:30（法定节假日除外）。"])
    leaders = [_name(demo) for _ in range(3)] if row.slug != "jyj" else ["刘卫东", "张志强", "周文军"]
    plan("ldxx", f"{row.name}领导班子成员及分工", Genre.PERSONNEL, _day(demo, 60, 300),
         [f"{leaders[0]}：主持全面工作。", f"{leaders[1]}：负责{'、'.join(d['sections'][1:3])}方面工作。",
          f"{leaders[2]}：负责{'、'.join(d['sections'][3:])}方面工作。"])
    plan("gkzn", f"{row.name}政府信息公开指南", Genre.OTHER, _day(demo, 300, 500),
         [s.format_map(fmt) for s in T.GUIDE_SECTIONS])
    plan("ysqgk", f"{row.name}政府信息依申请公开办理指引", Genre.OTHER, _day(demo, 300, 500),
         [s.format_map(fmt) for s in T.APPLICATION_GUIDE])
    # No document is planned in 公开年报 (gknb): an annual report there is generated by the reports
    # module when a report is published (yangguang.reports.catalog), never typed separately — a
    # typed one said "收到申请14件" while the report module said 0 (issue #14).

    n_policies = 1 if row.kind in ("township", "street") else 2
    policies = []
    subjects = rng.sample(d["policies"], n_policies)
    if row.slug == "mingxi":  # a recent policy that abolishes its trial version (the portal's 废止 banner)
        subjects = [d["policies"][0], d["policies"][0] + "（试行）"]
    for i, subject in enumerate(subjects):
        subject = subject.format_map(fmt)
        day = _day(demo, *((30, 200), (420, DAYS_BACK))[i]) if row.slug == "mingxi" else _day(demo, 20, DAYS_BACK)
        normative = not subject.startswith("关于")
        title = f"{row.name}{subject}" if not normative else f"{row.name}关于印发《{subject}》的通知"
        paras = _paragraphs(demo, row, day, f"各有关单位：现将《{subject}》印发给你们，请认真贯彻执行。"
                            if normative else "各有关单位：", "policy" if normative else "notice")
        extra = {"doc_number": _doc_number(demo, row, day.year), "keywords": subject[-6:]}
        if day < demo.today - timedelta(days=400) and rng.random() < 0.25:
            extra |= {"validity": Validity.EXPIRED, "validity_date": day + timedelta(days=365)}
        if row.slug == "mingxi" and i == 1:
            first = policies[0][0].fields
            extra |= {"validity": Validity.ABOLISHED, "validity_date": first["published_date"],
                      "abolished_by": f"{first['title']}（{first['doc_number']}）"}
        p = plan("zcwj", title, Genre.NORMATIVE if normative else Genre.OTHER_DOC, day, paras,
                 attach="docx" if rng.random() < 0.3 else "", **extra)
        policies.append((p, subject))
    first, subject = policies[0]
    day = min(first.fields["published_date"] + timedelta(days=rng.randint(0, 3)), demo.today)
    main = rng.sample(_clean(d["sentences"]), 2)
    paras = [x for p in T.INTERPRETATION for x in ([p.format_map(fmt | {"subject": subject})] if p else main)]
    plan("zcjd", f"《{subject}》政策解读", Genre.INTERPRETATION, day, paras, interprets=first)

    for notice in rng.sample(d["notices"], rng.randint(2, 3)):
        day = _day(demo)
        subject = notice.format_map(_ctx(row, day))
        publicity = subject.endswith(("公示", "公告"))
        title = f"{row.ref}{subject}" if publicity else f"关于{subject}的通知"
        plan("tzgg", title, Genre.NOTICE, day, _paragraphs(
            demo, row, day, rng.choice(T.NOTICE_OPENERS), "publicity" if publicity else "notice"))
    for i, news in enumerate(rng.sample(d["news"], 3)):
        day = _day(demo, 0, 20) if i == 0 else _day(demo)
        plan("gzdt", f"{row.ref}{news.format_map(_ctx(row, day))}", Genre.NEWS, day,
             _paragraphs(demo, row, day, rng.choice(T.NEWS_OPENERS)))

    budget, final = _recent(demo, 2, 1, 20), _recent(demo, 8, 10, 28)
    for day, what, year in ((budget, "预算", budget.year), (final, "决算", final.year - 1)):
        what = ("部门" if row.kind == "department" else "财政") + what
        paras = [f"根据预决算公开有关规定，现将{row.name}{year}年{what}公开如下。",
                 f"一、{what}收支总体情况（详见附表）。", "二、“三公”经费支出情况说明。", "三、其他重要事项的情况说明。"]
        plan("czyjs", f"{row.name}{year}年{what}公开说明", Genre.FISCAL, day, paras,
             attach="xlsx" if rng.random() < 0.5 else "", topic="04")
    if row.kind != "department":
        for column, template, topic in rng.sample(T.LOCAL_ITEMS, 3):
            day = _day(demo, 5, 400)
            plan(column, template.format_map(_ctx(row, day)), Genre.NOTICE, day,
                 _paragraphs(demo, row, day, "根据有关规定，现将有关情况公示如下（详见附件）。", "publicity"),
                 attach="xlsx" if column == "shjz" else "", topic=topic)
    return out


# --- publishing ------------------------------------------------------------------------------


def _attach(demo: Demo, edition: Edition, clerk: User, kind: str) -> None:
    """A generated DOCX (the text itself) or XLSX (a table: budget lines, or figures per village)."""
    import docx
    import openpyxl

    buf, title = io.BytesIO(), edition.title
    if kind == "docx":
        document = docx.Document()
        document.add_heading(title, level=1)
        for line in edition.body_text.splitlines():
            document.add_paragraph(line)
        document.save(buf)
    else:
        wb = openpyxl.Workbook()
        wb.active.append([title])
        if "公示" in title:
            wb.active.append(["村（社区）", "户数", "人数", "金额（元）"])
            rows = [[f"{v}村", n, n * 2, n * 620] for v, n in zip("东南西北中", demo.rng.sample(range(8, 60), 5), strict=True)]
        else:
            wb.active.append(["项目", "金额（万元）"])
            rows = [[item, round(demo.rng.uniform(10, 3000), 2)] for item in T.BUDGET_LINES]
        for r in rows:
            wb.active.append(r)
        wb.save(buf)
    name = f"{title[:40]}.docx" if kind == "docx" else f"{title[:40]}附表.xlsx"
    att = services.add_attachment(edition, clerk, name, buf.getvalue())
    demo.files.append(stored_path(att))


def _draft(demo: Demo, slug: str, column: str, fields: dict, attach: str = "") -> Edition:
    clerk = demo.clerks[slug]
    edition = services.create_draft(clerk, Column.objects.get(org=demo.orgs[slug], slug=column), fields)
    if attach:
        _attach(demo, edition, clerk, attach)
    return edition


def _review(demo: Demo, slug: str, edition: Edition, levels: int = 4) -> Edition:
    for user, comment in list(zip(demo.chains[slug], T.LEVEL_COMMENTS, strict=True))[:levels]:
        edition = services.approve(edition, user, comment)
    return edition


def _backdate(document: Document, day: date, rng: random.Random) -> None:
    """Demo realism only: move the publication timestamps to the document's 发布日期.
    The audit log keeps the real times of the real service calls."""
    ts = timezone.make_aware(datetime.combine(day, time(rng.randint(8, 17), rng.randint(0, 59))))
    Document.objects.filter(pk=document.pk).update(first_published_at=ts, last_published_at=ts)
    Edition.objects.filter(pk=document.live_edition_id).update(published_at=ts)


def _publish_all(demo: Demo, plans: list[Plan]) -> None:
    ordered = sorted(enumerate(plans), key=lambda ip: (ip[1].fields["published_date"], ip[0]))
    for n, (_, plan) in enumerate(ordered, 1):
        slug = plan.row.slug
        edition = _draft(demo, slug, plan.column, plan.fields, plan.attach)
        plan.doc = edition.document
        if plan.interprets is not None:
            form = demo.rng.choice([InterpretationForm.TEXT, InterpretationForm.GRAPHIC, InterpretationForm.LEADER])
            services.link_interpretation(plan.doc, plan.interprets.doc, form, demo.clerks[slug])
        services.submit(edition, demo.clerks[slug])
        _review(demo, slug, edition)
        plan.doc.refresh_from_db()
        _backdate(plan.doc, plan.fields["published_date"], demo.rng)
        if n % 50 == 0 or n == len(ordered):
            demo.progress(f"已发布 {n}/{len(ordered)} 篇（拟稿→送审→四级审核→发布）")


# --- 明溪市教育局: one or more documents in every workflow state --------------------------------


def _showcase(demo: Demo, plans: list[Plan]) -> None:
    row, today = next(r for r in T.ORGS if r.slug == "jyj"), demo.today
    clerk, kz, zy = demo.clerks["jyj"], demo.chains["jyj"][0], demo.chains["jyj"][3]

    def draft(key: str, column: str = "tzgg", attach: str = "", day: date = today, **extra) -> Edition:
        title, body = T.EDU_SHOWCASE[key]
        fields = _fields(demo, row, title, Genre.NOTICE, day, body.splitlines(), **extra)
        fields["written_date"] = fields["info_date"] = day
        fields["published_date"] = day if day < today else None  # None: the date it goes live
        return _draft(demo, "jyj", column, fields, attach)

    draft("draft_warn")  # 手机号、邮箱、联系人姓名: warnings highlighted in the workbench
    draft("draft_block", column="zcwj")  # 密级标志 "机密★1年": blocking
    returned = services.submit(draft("returned", attach="xlsx"), clerk)
    services.return_edition(returned, kz, "附表中的注册人数与人事科核定数据不一致，请核对后重新报送。")
    for key in ("level1a", "level1b"):
        services.submit(draft(key), clerk)
    _review(demo, "jyj", services.submit(draft("level3"), clerk), levels=2)  # now at 分管领导
    tomorrow_9 = timezone.make_aware(datetime.combine(today + timedelta(days=1), time(9, 0)))
    _review(demo, "jyj", services.submit(draft("scheduled", attach="docx", scheduled_at=tomorrow_9), clerk))
    services.urgent_publish(draft("urgent"), zy, "寒潮红色预警，须立即向社会公布停课安排，事后补办审核手续。")

    withdrawn = _review(demo, "jyj", services.submit(draft("withdrawn", day=today - timedelta(days=25)), clerk))
    withdrawn.document.refresh_from_db()
    _backdate(withdrawn.document, today - timedelta(days=25), demo.rng)
    ask = services.request_withdrawal(withdrawn.document, clerk, "原通知中的报名时间有误，已另行发布更正后的通知，原通知予以撤回。")
    services.approve_withdrawal(ask, zy, "同意撤回。")  # 撤回 needs a leader: the clerk asks, 主要领导 approves

    policy = next(p.doc for p in plans if p.row.slug == "jyj" and p.column == "zcwj")
    second = services.start_new_edition(policy, clerk)
    second = services.update_draft(second, clerk, {
        "body": second.body_text + "\n根据省教育厅最新文件精神，修订后的条款自2027年1月1日起施行。",
        "change_kind": Edition.ChangeKind.MAJOR, "change_note": "根据省教育厅最新文件精神，修改了适用条件和办理时限。"})
    _review(demo, "jyj", services.submit(second, clerk), levels=1)  # second edition waiting at 保密审查
    demo.progress("已为明溪市教育局准备各审核状态的示例文件（草稿、退回、待审、定时、紧急发布、撤回、新版本）")
