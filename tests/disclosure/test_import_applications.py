from datetime import date, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from yangguang.core.models import AuditEvent
from yangguang.disclosure import services
from yangguang.disclosure.importer import APPLICANT_NAME, DESCRIPTION, import_applications
from yangguang.disclosure.models import Application, ApplicationCounter
from yangguang.disclosure.workflow import State

pytestmark = pytest.mark.django_db

HEADER = "org_code,number,applicant_type,channel,received_date,closed_date,outcome\n"


def write(tmp_path, text, name="history.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def counts():
    return Application.objects.count(), AuditEvent.objects.count()


def test_good_file_imported_with_one_audit_event(tmp_path, city, org_a, capsys):
    path = write(tmp_path, HEADER + (
        f"{city.code},GK-2023-001,natural,online,2023-03-01,2023-03-20,1\n"
        f"{city.code},GK-2023-002,business,当面提交,2023/04/03,2023/05/06,3.4\n"
        f"{org_a.code.lower()},2024-00007,legal,邮寄,2024年12月2日,,\n"
        f"{org_a.code},2024-00003,research,互联网（在线申请/电子邮件）,2024-11-29,2025-01-10,6.1\n"
        # the same number in another org is fine
        f"{city.code},2024-00007,nonprofit,fax,2024-05-05,2024-05-06,5.2\n"
    ))
    before = counts()
    call_command("import_applications", path)
    assert counts() == (before[0] + 5, before[1] + 1)
    assert "5件申请（已办结4件，办理中1件）" in capsys.readouterr().out

    a = Application.objects.get(org=city, number="GK-2023-002")
    assert (a.state, a.outcome, a.closed_date) == (State.CLOSED, "3.4", date(2023, 5, 6))
    assert (a.channel, a.applicant_type, a.received_date) == ("in_person", "business", date(2023, 4, 3))
    assert a.applicant_name == APPLICANT_NAME and a.description == DESCRIPTION and a.registered_by is None
    assert len(a.tracking_code) == 16

    still_open = Application.objects.get(org=org_a, number="2024-00007")
    assert (still_open.state, still_open.outcome, still_open.closed_date) == (State.ACCEPTED, "", None)
    assert still_open.channel == "registered_mail"
    assert services.clock_of(still_open).due is not None  # joins the statutory clock

    event = AuditEvent.objects.latest("id")
    assert event.action == "application.import" and event.object_id == "import"
    assert event.data["count"] == 5 and event.data["open"] == 1
    assert event.data["orgs"] == {city.code: 3, org_a.code: 2}
    # Numbers in our own format move the counter, so the next registration cannot collide.
    assert ApplicationCounter.objects.get(org=org_a, year=2024).last_serial == 7
    assert ApplicationCounter.objects.get(org=city, year=2024).last_serial == 7


def test_many_bad_rows_each_reported_nothing_written(tmp_path, city, org_a):
    Application.objects.create(org=city, number="OLD-1", applicant_type="natural", applicant_name="张三",
                               description="x", channel="online", received_date=date(2024, 1, 2))
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    rows = [
        f"{city.code},GK-1,natural,online,2024-01-05,2024-01-20,1",  # 2: good
        f"{city.code},GK-1,natural,online,2024-01-06,2024-01-21,1",  # 3: duplicate of line 2
        f"{city.code},OLD-1,natural,online,2024-01-06,2024-01-21,1",  # 4: exists in the database
        "99999999999999999X,GK-2,natural,online,2024-01-06,,",  # 5: unknown org
        f"{city.code},,alien,pigeon,2024-01-06,,",  # 6: no number, bad type, bad channel
        f"{city.code},GK-3,natural,online,2024-02-30,,",  # 7: no such date
        f"{city.code},GK-4,natural,online,{future},,",  # 8: future
        f"{city.code},GK-5,natural,online,2024-03-10,2024-03-01,1",  # 9: closed before received
        f"{city.code},GK-6,natural,online,2024-03-10,2024-03-20,",  # 10: closed without outcome
        f"{city.code},GK-7,natural,online,2024-03-10,,2",  # 11: outcome while open
        f"{city.code},GK-8,natural,online,2024-03-10,2024-03-20,3.9",  # 12: unknown outcome
        f"{org_a.code},GK-1,natural,online,,,",  # 13: no received date (GK-1 in another org is fine)
        f"{city.code},GK-9,natural,online,2024-03-10,2024-03-20,1,extra",  # 14: too many columns
    ]
    path = write(tmp_path, HEADER + "\n".join(rows) + "\n")
    before = counts()
    with pytest.raises(CommandError) as exc:
        call_command("import_applications", path)
    text = str(exc.value)
    assert "未导入任何申请" in text
    for expected in (
        "第3行：申请编号GK-1与第2行重复",
        "第4行：申请编号OLD-1在该机构已存在",
        "第5行：机构代码99999999999999999X不存在",
        "第6行：申请编号为空", "第6行：申请人类型“alien”不正确", "第6行：申请渠道“pigeon”不正确",
        "第7行：收到申请之日“2024-02-30”不是有效日期",
        f"第8行：收到申请之日“{future}”晚于今天",
        "第9行：办结日期“2024-03-01”早于收到申请之日",
        "第10行：已填办结日期，但办理结果为空",
        "第11行：已填办理结果，但办结日期为空",
        "第12行：办理结果代码“3.9”不正确",
        "第13行：收到申请之日为空",
        "第14行：列数多于表头",
    ):
        assert expected in text, expected
    assert "\n第2行" not in text and "共14处错误" in text
    assert counts() == before
    assert not ApplicationCounter.objects.exists()


def test_header_and_empty_file(tmp_path, city):
    with pytest.raises(CommandError, match="缺少列：closed_date, outcome"):
        call_command("import_applications", write(tmp_path, "org_code,number,applicant_type,channel,received_date\n"))
    with pytest.raises(CommandError, match="没有申请数据"):
        call_command("import_applications", write(tmp_path, HEADER))
    with pytest.raises(CommandError, match="找不到文件"):
        call_command("import_applications", str(tmp_path / "missing.csv"))
    path = tmp_path / "gbk.csv"
    path.write_bytes((HEADER + f"{city.code},1,natural,当面提交,2024-01-01,,\n").encode("gbk"))
    with pytest.raises(CommandError, match="UTF-8"):
        call_command("import_applications", str(path))


def test_bulk_import_is_one_pass(tmp_path, city, django_assert_max_num_queries):
    lines = [f"{city.code},H-{i:05d},natural,online,2024-06-{1 + i % 28:02d},2024-07-15,1" for i in range(5000)]
    path = write(tmp_path, HEADER + "\n".join(lines) + "\n")
    with django_assert_max_num_queries(200):  # batched inserts, no query per row
        result = import_applications(path)
    assert result.count == 5000 and Application.objects.filter(org=city).count() == 5000
