"""Due-date alerts (spec/disclosure.md "The clock", Warnings): the clock of every open application,
computed in one pass, classified and grouped; and the daily notification of handlers.

`compute_all()` loads the open applications (one query) and all their clock events (one query
per chunk of ids) and classifies each with `timeliness.classify` — the one classification every
view uses — on ONE calendar and ONE `today`; the light is `Timeliness.light`:

- overdue: 已超期 — past the due date, or ever past it (a late extension does not undo it);
  red: due today; yellow: ≤ law.DUE_SOON_DAYS working days left;
- paused: the clock stands still — waiting for a correction (条例第30条), or a consultation
  (第32条) or a fee notice (国办函〔2020〕109号) still running today;
- green: everything else (counted, not listed).

`notify_due()` turns the overdue / red / yellow items into in-app notifications for their
handler (`core.Notification`, one per application, light and day: running twice on the same day
creates nothing new) and sends each handler with an e-mail address ONE summary e-mail of the
notifications created in this run — so a second run sends nothing.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from yangguang.core.models import Notification
from yangguang.core.workdays import Calendar
from yangguang.orgs.models import Organization, User

from . import clock, services, timeliness
from .models import Application
from .workflow import State

log = logging.getLogger(__name__)

OVERDUE, RED, YELLOW, PAUSED, GREEN = (timeliness.OVERDUE, timeliness.RED, timeliness.YELLOW, timeliness.PAUSED,
                                       timeliness.GREEN)
LISTED = (OVERDUE, RED, YELLOW, PAUSED)  # kept as lists in a Group; green is only counted
NOTIFIED = (OVERDUE, RED, YELLOW)
NOTIFY_BATCH = 1000


@dataclass(frozen=True, slots=True)
class Item:
    """One open application and where it stands today."""

    application_id: int
    number: str
    org_id: int  # the receiving org (受理机关)
    department_id: int  # the handling department: assigned_org, else the receiving org
    handler_id: int | None
    state: str
    light: str  # OVERDUE / RED / YELLOW / PAUSED / GREEN
    due: date | None  # None while waiting for a correction
    remaining: int | None  # working days left; negative = overdue by that many
    provisional: bool  # the due date lies in a year whose holidays are not loaded (暂定)


@dataclass
class Group:
    """The alerts of one handler, department or org."""

    overdue: list[Item] = field(default_factory=list)
    red: list[Item] = field(default_factory=list)
    yellow: list[Item] = field(default_factory=list)
    paused: list[Item] = field(default_factory=list)
    green: int = 0

    def add(self, item: Item) -> None:
        if item.light == GREEN:
            self.green += 1
        else:
            getattr(self, item.light).append(item)

    @property
    def total(self) -> int:
        return len(self.overdue) + len(self.red) + len(self.yellow) + len(self.paused) + self.green

    def counts(self) -> dict[str, int]:
        return {**{k: len(getattr(self, k)) for k in LISTED}, GREEN: self.green}


@dataclass
class DueReport:
    today: date
    items: list[Item]
    totals: Group
    by_handler: dict[int | None, Group]  # None: not assigned to a handler yet
    by_department: dict[int, Group]
    by_org: dict[int, Group]


def load_open(queryset=None) -> tuple[list[timeliness.Row], dict[int, list[clock.Event]]]:
    """The open applications (today's state) as `timeliness.Row`s and their clock events by id."""
    qs = Application.objects.all() if queryset is None else queryset
    return timeliness.load(qs.exclude(state=State.CLOSED))


def compute_all(today: date | None = None, *, calendar: Calendar | None = None, queryset=None,
                fee_pause: bool | None = None) -> DueReport:
    """The clock of every open application (optionally within `queryset`), in one pass."""
    today = today or timezone.localdate()
    pause = services.fee_pause_setting() if fee_pause is None else fee_pause
    cal = timeliness.memo(calendar)
    rows, events = load_open(queryset)
    report = DueReport(today, [], Group(), defaultdict(Group), defaultdict(Group), defaultdict(Group))
    no_events: list[clock.Event] = []
    for row in rows:
        t = timeliness.classify(row.received, events.get(row.id, no_events), cal, today, fee_pause=pause)
        item = Item(row.id, row.number, row.org_id, row.department_id, row.handler_id, row.state, t.light or GREEN,
                    t.due, t.remaining, t.provisional)
        report.items.append(item)
        report.totals.add(item)
        report.by_handler[row.handler_id].add(item)
        report.by_department[item.department_id].add(item)
        report.by_org[row.org_id].add(item)
    report.by_handler = dict(report.by_handler)
    report.by_department = dict(report.by_department)
    report.by_org = dict(report.by_org)
    return report


# --- notifications ---------------------------------------------------------------------------


@dataclass
class NotifyResult:
    today: date
    counts: dict[str, int]  # open applications by light
    candidates: int  # alerts that have a handler to notify
    without_handler: int  # overdue / red / yellow applications nobody is assigned to
    created: int  # notifications new in this run
    emails: int  # summary e-mails sent in this run
    email_failures: int = 0

    def as_dict(self) -> dict:
        return {"today": self.today.isoformat(), **self.counts, "candidates": self.candidates,
                "without_handler": self.without_handler, "created": self.created, "emails": self.emails,
                "email_failures": self.email_failures}


def dedupe_key(item: Item, today: date) -> str:
    return f"due:{item.application_id}:{item.light}:{today.isoformat()}"


def _url_pattern() -> str:
    return reverse("applications:detail", args=[0]).replace("/0/", "/{id}/")


def _texts(item: Item, org_name: str) -> tuple[str, str]:
    due = f"{item.due:%Y-%m-%d}" + ("（暂定）" if item.provisional else "")
    if item.light == OVERDUE:
        over = f"{-item.remaining}个工作日" if item.remaining is not None and item.remaining < 0 else ""
        title = f"申请{item.number}已超过答复期限{over}"
    elif item.light == RED:
        title = f"申请{item.number}今日到期"
    else:
        title = f"申请{item.number}将于{due}到期，剩余{item.remaining}个工作日"
    body = f"受理机关：{org_name}；答复期限：{due}（条例第33条）。请及时答复或依法办理延期。"
    return title, body


def _existing(keys: list[str]) -> set[str]:
    found: set[str] = set()
    step = timeliness.chunk_size()
    for start in range(0, len(keys), step):
        found.update(Notification.objects.filter(dedupe_key__in=keys[start:start + step])
                     .values_list("dedupe_key", flat=True))
    return found


def notify_due(today: date | None = None, report: DueReport | None = None) -> NotifyResult:
    """Notify every handler of their overdue / red / yellow applications. Safe to run twice."""
    report = report or compute_all(today)
    today = report.today
    alerts = [i for i in report.items if i.light in NOTIFIED]
    assigned = [i for i in alerts if i.handler_id is not None]
    keys = [dedupe_key(i, today) for i in assigned]
    already = _existing(keys)
    fresh = [(k, i) for k, i in zip(keys, assigned, strict=True) if k not in already]
    org_names = dict(Organization.objects.filter(id__in={i.org_id for _, i in fresh}).values_list("id", "name"))
    url = _url_pattern()
    now = timezone.now()
    rows = []
    for key, item in fresh:
        title, body = _texts(item, org_names.get(item.org_id, ""))
        rows.append(Notification(
            user_id=item.handler_id, kind=f"due_{item.light}", title=title, body=body,
            url=url.format(id=item.application_id), object_type="disclosure.application",
            object_id=str(item.application_id), dedupe_key=key, created_at=now))
    with transaction.atomic():
        for start in range(0, len(rows), NOTIFY_BATCH):
            Notification.objects.bulk_create(rows[start:start + NOTIFY_BATCH], ignore_conflicts=True)
    sent, failed = _email(rows, today)
    return NotifyResult(today, report.totals.counts(), len(assigned), len(alerts) - len(assigned),
                        len(rows), sent, failed)


def _email(rows: list[Notification], today: date) -> tuple[int, int]:
    """One summary e-mail per handler with an address, listing this run's new notifications."""
    by_user: dict[int, list[Notification]] = defaultdict(list)
    for n in rows:
        by_user[n.user_id].append(n)
    if not by_user:
        return 0, 0
    users = User.objects.filter(id__in=list(by_user), is_active=True).exclude(email="")
    sender = getattr(settings, "DEFAULT_FROM_EMAIL", None)
    sent = failed = 0
    for user_id, email, name in users.values_list("id", "email", "display_name"):
        mine = by_user[user_id]
        count = {k: sum(n.kind == f"due_{k}" for n in mine) for k in NOTIFIED}
        subject = (f"【依申请公开到期提醒】{today:%Y-%m-%d}：逾期{count[OVERDUE]}件、今日到期{count[RED]}件、"
                   f"即将到期{count[YELLOW]}件")
        lines = [f"{name or '您好'}：", "", "以下政府信息公开申请需要您关注：", ""]
        lines += [f"· {n.title}\n  {n.body}" for n in mine]
        lines += ["", "请登录阳光政务平台工作台办理。此邮件由系统自动发送，请勿回复。"]
        try:
            send_mail(subject, "\n".join(lines), sender, [email])
            sent += 1
        except Exception:  # a mail server problem must not undo the in-app notifications
            log.exception("到期提醒邮件发送失败：用户%s", user_id)
            failed += 1
    return sent, failed
