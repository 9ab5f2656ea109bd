"""`yangguang import-documents`: archive migration, all-or-nothing, 索引号 in date order."""

import csv
import json
from datetime import date, datetime, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from helpers import new_org, valid_id

from yangguang.core import audit
from yangguang.core.models import AuditEvent, ImportRun
from yangguang.publishing.importer import FIELDS, ImportFailed, import_documents
from yangguang.publishing.models import Document, Edition, IndexCounter
from yangguang.publishing.workflow import State

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
PAST = TODAY.year - 2  # a whole past year: every date in it is before today


def row(org, column="tzgg", title="关于开展安全生产大检查的通知", published=f"{PAST}-03-01", **extra):
    base = {
        "org_code": org.code, "column": column, "title": title, "doc_number": "", "written_date": "",
        "published_date": published, "topic": "综合政务", "genre": "notice", "validity": "", "body": "正文。",
    }
    return {**base, **extra}


def write_csv(path, rows):
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=FIELDS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_jsonl(path, rows):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def docs_by_title():
    return {d.live_edition.title: d for d in Document.objects.select_related("live_edition")}


def test_csv_import_numbers_in_date_order_and_continues_counters(tmp_path, staff_a, org_b):
    org_a = staff_a.org
    before = Document.objects.get(pk=staff_a.publish(staff_a.draft(title="导入前发布")).document_id)
    assert before.index_serial == 1 and before.index_year == TODAY.year
    events_before = AuditEvent.objects.count()
    path = write_csv(tmp_path / "archive.csv", [
        row(org_a, title="C", published=f"{PAST}-03-05", body="<p>第一段</p><script>alert(1)</script>"),
        row(org_a, column="通知公告", title="A", published=f"{PAST}/01/02", written_date=f"{PAST}-01-01"),
        row(org_a, column="gzdt", title="B", published=f"{PAST}年2月1日", topic="02", genre="工作动态"),
        row(org_b, title="X", published=f"{PAST}-01-01", doc_number="测教发〔2024〕3号"),
        row(org_a, title="D", published=TODAY.isoformat(), body="第一行\n第二行"),
        row(org_a, title="E", published=TODAY.isoformat()),
        row(org_a, title="old", published=f"{PAST - 1}-12-31", validity="有效"),
    ])

    result = import_documents(path)

    assert result.count == 7 and result.orgs == {org_a.code: 6, org_b.code: 1}
    docs = docs_by_title()
    numbers = {t: d.index_number for t, d in docs.items()}
    assert numbers["A"] == f"{org_a.code}/{PAST}-00001"
    assert numbers["B"] == f"{org_a.code}/{PAST}-00002"
    assert numbers["C"] == f"{org_a.code}/{PAST}-00003"
    assert numbers["X"] == f"{org_b.code}/{PAST}-00001"
    assert numbers["old"] == f"{org_a.code}/{PAST - 1}-00001"
    # After the publication made before the import; equal dates keep file order.
    assert numbers["D"] == f"{org_a.code}/{TODAY.year}-00002"
    assert numbers["E"] == f"{org_a.code}/{TODAY.year}-00003"
    assert IndexCounter.objects.get(org=org_a, year=TODAY.year).last_serial == 3
    assert IndexCounter.objects.get(org=org_a, year=PAST).last_serial == 3

    a = docs["A"]
    edition = a.live_edition
    assert a.is_public and edition.state == State.PUBLISHED and edition.number == 1
    assert edition.published_date == date(PAST, 1, 2) and edition.written_date == date(PAST, 1, 1)
    nine = timezone.make_aware(datetime(PAST, 1, 2, 9, 0))
    assert edition.published_at == nine and a.first_published_at == nine and a.last_published_at == nine
    assert a.column.slug == "tzgg" and docs["B"].column.slug == "gzdt"
    assert (edition.topic, edition.validity, docs["B"].live_edition.genre) == ("02", "valid", "news")
    assert docs["X"].live_edition.doc_number == "测教发〔2024〕3号"
    assert "script" not in docs["C"].live_edition.body and docs["C"].live_edition.body_text == "第一段"
    assert docs["D"].live_edition.body == "<p>第一行</p><p>第二行</p>"
    assert len(edition.content_hash) == 64
    assert Edition.objects.count() == Document.objects.count() == 8

    events = list(AuditEvent.objects.order_by("id")[events_before:])
    # One publication event per document (the 发布登记簿 reads them), then one for the file.
    assert [e.action for e in events] == ["edition.publish"] * 7 + ["document.import"]
    published = {e.data["title"]: e for e in events[:7]}
    assert published["A"].object_id == str(edition.pk) and published["A"].org_id == org_a.pk
    assert published["A"].data["index_number"] == numbers["A"] and published["A"].data["imported"] is True
    summary = events[-1]
    assert summary.data["count"] == 7 and summary.data["orgs"] == {org_a.code: 6, org_b.code: 1}
    assert summary.data["file"] == "archive.csv" and summary.data["run"] == result.run
    assert audit.verify()[1] is None  # the bulk-written events continue the hash chain
    run = ImportRun.objects.get(pk=result.run)
    assert (run.state, run.rows_total, run.rows_done, run.kind) == ("done", 7, 7, "documents")
    assert sorted(run.ids()) == sorted(d.pk for t, d in docs.items() if t != "导入前发布")

    # A normal publication after the import takes the next serial, never one the import used.
    after = Document.objects.get(pk=staff_a.publish(staff_a.draft(title="导入后发布")).document_id)
    assert after.index_number == f"{org_a.code}/{TODAY.year}-00004"


@pytest.mark.parametrize("workers", [1, 2])
def test_jsonl_import_and_parallel_validation(tmp_path, org_a, workers):
    rows = [row(org_a, title=f"文件{i}", published=(date(PAST, 12, 31) - timedelta(days=i)).isoformat(),
                body=f"<h3>标题</h3><p>第{i}段。如有疑问请致电13812345678。</p>") for i in range(30)]
    path = write_jsonl(tmp_path / "archive.jsonl", rows)
    result = import_documents(path, workers=workers)
    assert result.count == 30 and result.warnings == 30  # a mobile number is a warning, not a refusal
    docs = docs_by_title()
    # The file runs newest first; serials run oldest first.
    assert docs["文件29"].index_serial == 1 and docs["文件0"].index_serial == 30
    assert docs["文件0"].live_edition.body_text.startswith("标题\n第0段")


def test_every_bad_row_reported_and_nothing_written(tmp_path, org_a):
    person_id = valid_id("53010219900307123")
    future = (TODAY + timedelta(days=3)).isoformat()
    rows = [
        row(org_a, title="好的一行"),  # line 2
        row(org_a, published="2026-02-30"),  # 3
        {**row(org_a), "org_code": "91530100MA6K00000X"},  # 4
        row(org_a, column="abc"),  # 5
        row(org_a, title="   "),  # 6
        row(org_a, published=future),  # 7
        row(org_a, topic="火星事务"),  # 8
        row(org_a, body=f"经核实，申请人身份证号{person_id}，现予公示。"),  # 9
        row(org_a, title="机密★1年 关于某事项的通知"),  # 10
        row(org_a, body="第一段\n第二段\n第三段"),  # 11–13: a quoted body over three lines
        row(org_a, published=f"{PAST}-05-01", written_date=f"{PAST}-06-01"),  # 14
        row(org_a, published="", genre=""),  # 15
        row(org_a, published="2025.13.01"),  # 16
    ]
    path = write_csv(tmp_path / "bad.csv", rows)
    counts = (Document.objects.count(), Edition.objects.count(), AuditEvent.objects.count(),
              IndexCounter.objects.count())

    with pytest.raises(ImportFailed) as exc:
        import_documents(path)

    errors = exc.value.details
    expected = [
        "第3行：发布日期“2026-02-30”不是有效日期",
        "第4行：机构代码91530100MA6K00000X不存在",
        "第5行：栏目“abc”在该机构中不存在",
        "第6行：标题为空",
        f"第7行：发布日期“{future}”晚于今天",
        "第8行：主题分类“火星事务”不正确",
        "第9行：正文含阻断性审查发现（居民身份证号）：530" + "*" * 11 + person_id[-4:],
        "第10行：标题含阻断性审查发现（密级标志）",
        f"第14行：成文日期“{PAST}-06-01”晚于发布日期“{PAST}-05-01”",
        "第15行：发布日期为空",
        "第15行：体裁为空",
        "第16行：发布日期“2025.13.01”不是有效日期",
    ]
    for message in expected:
        assert any(e.startswith(message) for e in errors), (message, errors)
    assert len(errors) == exc.value.total == len(expected)
    assert not any(person_id in e for e in errors)  # the error list does not repeat the ID number
    assert (Document.objects.count(), Edition.objects.count(), AuditEvent.objects.count(),
            IndexCounter.objects.count()) == counts


def test_command_lists_errors_capped_at_200(tmp_path, org_a):
    path = write_jsonl(tmp_path / "many.jsonl", [row(org_a, column="nope")] * 250)
    with open(path, "a", encoding="utf-8") as fh:
        fh.write("{not json\n")
    with pytest.raises(CommandError) as exc:
        call_command("import_documents", str(path))
    lines = str(exc.value).splitlines()
    assert lines[0].startswith("导入失败，共251处错误")
    assert lines[1] == "第1行：栏目“nope”在该机构中不存在"
    assert len(lines) == 1 + 200 + 1 and lines[-1] == "…另有51处错误"
    assert Document.objects.count() == 0


def test_command_success_summary_and_file_problems(tmp_path, org_a, capsys):
    path = write_csv(tmp_path / "ok.csv", [row(org_a, title="一"), row(org_a, title="二")])
    call_command("import_documents", str(path))
    assert "导入完成：2条，涉及1个机构" in capsys.readouterr().out
    header = tmp_path / "header.csv"
    header.write_text("org_code,title\nx,y\n", encoding="utf-8")
    with pytest.raises(CommandError, match="CSV表头缺少列"):
        call_command("import_documents", str(header))
    with pytest.raises(CommandError, match="找不到文件"):
        call_command("import_documents", str(tmp_path / "missing.csv"))
    assert Document.objects.count() == 2


def test_column_name_must_be_unambiguous(tmp_path):
    org = new_org("测试县", "cs", kind="county")
    extra = org.columns.get(slug="jy")
    extra.pk, extra.slug = None, "jy2"  # a second column with the same name "就业"
    extra.save()
    path = write_csv(tmp_path / "a.csv", [row(org, column="就业"), row(org, column="jy2", title="二")])
    with pytest.raises(ImportFailed) as exc:
        import_documents(path)
    assert exc.value.details == ["第2行：栏目“就业”在该机构中名称不唯一，请用网址标识"]
