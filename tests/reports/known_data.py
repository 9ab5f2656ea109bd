"""Known records for org_a in 2025, with every expected cell written out in the tests."""

from datetime import date, datetime
from itertools import count

from django.utils import timezone

from yangguang.disclosure.law import OUTCOMES, ApplicantType
from yangguang.disclosure.models import Application, Remedy
from yangguang.publishing.models import Column, Document, Edition

TYPES = list(ApplicantType.values)  # natural, business, research, nonprofit, legal, other
_num = count(1)


def doc(org, genre, written, validity="valid", validity_date=None, *, withdrawn=False):
    """A public document whose live edition carries the metadata (as the importer stores it)."""
    column = Column.objects.filter(org=org).first()
    published = timezone.make_aware(datetime(written.year, written.month, written.day, 10))
    d = Document.objects.create(org=org, column=column, first_published_at=published, last_published_at=published,
                                withdrawn_at=published if withdrawn else None)
    e = Edition.objects.create(document=d, state="published", title=f"文件{d.pk}", genre=genre, written_date=written,
                               published_date=written, validity=validity, validity_date=validity_date,
                               abolished_by="某文件" if validity == "abolished" else "", published_at=published)
    d.live_edition = e
    d.save(update_fields=["live_edition"])
    return d


def app(org, applicant_type, received, closed=None, outcome="", **extra):
    return Application.objects.create(
        org=org, number=f"T-{next(_num):05d}", applicant_type=applicant_type, applicant_name="申请人",
        description="某信息", channel="online", received_date=received, closed_date=closed, outcome=outcome,
        state="closed" if closed else "assigned", **extra)


def remedy(application, kind, filed, result="pending", result_date=None):
    return Remedy.objects.create(application=application, kind=kind, filed_date=filed, result=result,
                                 result_date=result_date)


def load(org_a, org_b):
    # --- table 二 -----------------------------------------------------------------------------
    doc(org_a, "rule", date(2025, 3, 1))  # 制发, 现行有效
    doc(org_a, "rule", date(2024, 5, 1), "abolished", date(2025, 6, 1))  # 废止 in 2025
    doc(org_a, "rule", date(2023, 1, 1))  # 现行有效
    doc(org_a, "rule", date(2025, 2, 1), "abolished", date(2026, 1, 10))  # 制发; still valid at year end
    doc(org_a, "normative", date(2025, 4, 1))  # 制发, 现行有效
    doc(org_a, "normative", date(2024, 1, 1), "expired", date(2025, 5, 1))  # 失效: neither 废止 nor 有效
    doc(org_a, "normative", date(2026, 1, 5))  # next year: nothing
    doc(org_a, "normative", date(2025, 7, 1), "abolished", date(2025, 12, 31))  # 制发 and 废止 in 2025
    doc(org_a, "normative", date(2025, 8, 1), withdrawn=True)  # withdrawn: not public, not counted
    doc(org_a, "notice", date(2025, 8, 1))  # other genre
    doc(org_b, "rule", date(2025, 8, 1))  # other org
    # --- table 三: every applicant type × every outcome, closed in 2025 ----------------------------
    apps = []
    for t, kind in enumerate(TYPES):
        for k, code in enumerate(OUTCOMES):
            received = date(2024, 11, 3) if (t + k) % 3 == 0 else date(2025, 3, 3)  # 7 of 21 carried in
            apps.append(app(org_a, kind, received, date(2025, 6, 1), code))
        for _ in range(t + 1):  # open at the year end, received in 2025
            app(org_a, kind, date(2025, 10, 9))
        app(org_a, kind, date(2024, 6, 1))  # received 2024, still open: 上年结转 and 结转下年度
        app(org_a, kind, date(2024, 3, 1), date(2024, 12, 31), "1")  # all in 2024: not counted
    # boundaries
    app(org_a, "natural", date(2024, 12, 31), date(2025, 1, 1), "1", assigned_org=org_b)  # counts for org_a
    app(org_a, "business", date(2025, 12, 31), date(2026, 1, 2), "2")  # new, then carried out
    app(org_a, "legal", date(2026, 1, 2))  # next year
    other = app(org_b, "natural", date(2025, 5, 5), date(2025, 5, 6), "1")  # other org
    remedy(other, "reconsideration", date(2025, 6, 1))  # other org
    # --- table 四 -------------------------------------------------------------------------------
    for i, kind in enumerate(("reconsideration", "litigation_direct", "litigation_after")):
        a = apps[i]
        for _ in range(i + 1):
            remedy(a, kind, date(2025, 2, 1), "upheld", date(2025, 5, 1))
        remedy(a, kind, date(2024, 12, 1), "corrected", date(2025, 1, 1))
        remedy(a, kind, date(2025, 2, 1), "other", date(2025, 12, 31))
        remedy(a, kind, date(2025, 3, 1))
        remedy(a, kind, date(2024, 3, 1))  # pending since 2024
        remedy(a, kind, date(2025, 9, 1), "upheld", date(2026, 2, 1))  # decided next year: pending at year end
        remedy(a, kind, date(2024, 1, 1), "corrected", date(2024, 6, 1))  # all in 2024
        remedy(a, kind, date(2026, 1, 5))  # filed next year
    return apps
