"""Demo applications for `yangguang load-demo`: one in every stage of the clock, handled by the
demo users (gkb, the city's 政务公开办; jyj_cb, the 教育局's 承办人), through the services."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from yangguang.core.workdays import Calendar
from yangguang.orgs.models import Organization, User
from yangguang.publishing.models import Document

from . import letters, services
from .models import Letter

PEOPLE = [
    ("natural", "陈建国", "13512340001", "明溪大道拓宽工程的立项批复及征地补偿标准"),
    ("natural", "刘芳", "13512340002", "2025年本市义务教育阶段学校招生划片方案"),
    ("business", "明溪恒通物流有限公司", "0871-3300001", "城区货车通行证核发条件及2025年核发数量"),
    ("natural", "黄志强", "13512340004", "东风街道老旧小区改造项目清单及资金来源"),
    ("nonprofit", "明溪市绿源环保志愿者协会", "0871-3300005", "白石河流域2025年水质监测数据"),
    ("natural", "周敏", "13512340006", "2024年城乡居民最低生活保障标准调整文件"),
    ("legal", "明溪正衡律师事务所", "0871-3300007", "某建设项目环境影响评价批复"),
    ("natural", "吴海燕", "13512340008", "本市教师招聘考试成绩及录用名单"),
    ("research", "明溪学院城市治理研究中心", "0871-3300009", "近三年政务服务中心办件统计数据"),
]

# The released part of application 7 (名单 without the withheld personal information).
RELEASED = ("明溪市2025年教师招聘考试成绩及拟录用名单（公开部分）\n"
            "序号\t报考岗位\t笔试成绩\t面试成绩\t总成绩\t是否拟录用\n"
            "1\t初中语文\t78.5\t86.2\t82.35\t是\n2\t初中数学\t81.0\t84.6\t82.80\t是\n"
            "3\t小学英语\t75.5\t88.0\t81.75\t是\n")


def _working_days_ago(cal: Calendar, today: date, n: int) -> date:
    d = today
    while cal.count_working_days(d, today) < n:
        d -= timedelta(days=1)
    return d


def load_applications() -> int:
    city = Organization.objects.get(slug="mingxi")
    edu = Organization.objects.get(slug="jyj")
    office = User.objects.get(username="gkb")
    handler = User.objects.get(username="jyj_cb")
    cal, today = Calendar.from_db(), timezone.localdate()
    created = []
    for i, (kind, name, phone, what) in enumerate(PEOPLE):
        received = _working_days_ago(cal, today, [1, 3, 16, 25, 8, 12, 30, 28, 5][i])
        app = services.register(city, {
            "applicant_type": kind, "applicant_name": name, "contact_phone": phone, "description": what,
            "channel": "online" if i % 3 else "registered_mail", "received_date": received,
            "delivery_form": "electronic", "delivery_route": "online",
        }, by=office if i % 3 == 0 else None)
        letters.issue(app, office, Letter.Kind.RECEIPT)
        created.append(app)
    a = created
    # Demo cases are entered today with their historical dates: each such date carries its reason.
    late = "演示数据：按办理时的日期补录。"
    # 1: waiting for a correction
    services.request_correction(a[1], office, on=a[1].received_date + timedelta(days=1), until=today + timedelta(days=10),
                                items="请写明所在学区或学校名称。", backdate_reason=late)
    letters.issue(a[1], office, Letter.Kind.CORRECTION)
    # 2, 3, 5: assigned to the 教育局 (due soon, overdue, normal; 3 stays overdue)
    for i in (2, 3, 4, 5, 6, 7, 8):
        a[i] = services.assign(services.accept(a[i], office), office, edu, handler)
    # 4: consulting a third party
    services.start_consultation(a[4], handler, on=_working_days_ago(cal, today, 3), party="明溪市白石河水务有限公司",
                                backdate_reason=late)
    # 6: extension approved by the office within the reply period (条例第33条第二款): received 30
    # working days ago, approved on its 18th working day, so now due in 5 — the 延期告知书 comes with it
    services.approve_extension(a[6], office, days=15, reason="涉及多个部门，需调取历年档案。",
                               on=_working_days_ago(cal, today, 12), backdate_reason=late)
    # 5: the handler asks for an extension today; it waits for the office (gkb) to approve or refuse
    services.request_extension(a[5], handler, days=10, reason="需向市档案馆调取2024年标准调整的原始文件。")
    # 7: replied 部分公开 with the released list attached; the 答复书 is issued with the reply
    services.add_reply_file(a[7], handler, "教师招聘考试成绩及录用名单（公开部分）.txt", RELEASED.encode())
    services.reply(a[7], handler, reply_type="partial", outcome="2", on=_working_days_ago(cal, today, 10),
                   reason="考生身份证号、联系方式等个人信息不予公开（条例第十五条）。", backdate_reason=late)
    # 8: already published → link the document
    doc = Document.objects.public().filter(org=edu).order_by("-first_published_at").first()
    if doc is not None:
        services.reply(a[8], handler, reply_type="published", outcome="1", on=today, published_document=doc)
    return len(created)
