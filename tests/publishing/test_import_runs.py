"""Imports that do not hold the write lock (issue #15 items 1, 7, 10): strict headers and keys,
batches recorded in an ImportRun that can be resumed or rolled back, one audit event per document,
imported documents in the publication register."""

import io
from datetime import date, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook
from test_import_documents import PAST, row, write_csv, write_jsonl

from yangguang.core import audit
from yangguang.core.errors import InvalidInput
from yangguang.core.models import AuditEvent, ImportRun
from yangguang.publishing import import_runs
from yangguang.publishing.importer import FIELDS, import_documents
from yangguang.publishing.models import Document, Edition

pytestmark = pytest.mark.django_db


def write_raw_csv(path, header: list[str], rows: list[list[str]]):
    import csv

    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


# --- headers and keys -------------------------------------------------------------------------


def test_duplicated_and_unknown_csv_columns_are_errors_naming_the_column(tmp_path, org_a):
    good = row(org_a)
    header = [*FIELDS, "title", "titel"]
    path = write_raw_csv(tmp_path / "dup.csv", header, [[good[f] for f in FIELDS] + ["第二个标题", "x"]])
    with pytest.raises(InvalidInput) as exc:
        import_documents(path)
    assert exc.value.message.startswith("CSV表头有误，未导入任何数据")
    title_at = FIELDS.index("title") + 1
    assert f"第1行（表头）：列“title”重复出现（第{title_at}、{len(FIELDS) + 1}列）" in exc.value.details
    assert any(d.startswith(f"第1行（表头）第{len(FIELDS) + 2}列：未知列“titel”") for d in exc.value.details)
    assert Document.objects.count() == 0


def test_csv_row_with_more_fields_than_the_header_is_an_error(tmp_path, org_a):
    good = row(org_a)
    path = write_raw_csv(tmp_path / "extra.csv", FIELDS, [[good[f] for f in FIELDS] + ["多出来的"]])
    with pytest.raises(InvalidInput) as exc:
        import_documents(path)
    assert exc.value.details == ["第2行：比表头多出1列"]


def test_duplicated_and_unknown_json_keys_are_errors_of_their_line(tmp_path, org_a):
    path = write_jsonl(tmp_path / "a.jsonl", [row(org_a, title="好")])
    with path.open("a", encoding="utf-8") as fh:
        code = f'"org_code": "{org_a.code}"'
        fh.write("{" + code + ', "title": "一", "title": "二"}\n')
        fh.write("{" + code + ', "titel": "拼错"}\n')
    with pytest.raises(InvalidInput) as exc:
        import_documents(path)
    assert "第2行：键“title”重复出现" in exc.value.details
    assert any(d.startswith("第3行：未知键“titel”") for d in exc.value.details)
    assert Document.objects.count() == 0


def test_application_and_org_importers_check_headers_the_same_way(tmp_path):
    from yangguang.disclosure.importer import COLUMNS as APP_COLUMNS
    from yangguang.disclosure.importer import import_applications
    from yangguang.orgs.importer import COLUMNS as ORG_COLUMNS
    from yangguang.orgs.importer import import_orgs

    path = write_raw_csv(tmp_path / "apps.csv", [*APP_COLUMNS, "number"], [])
    with pytest.raises(InvalidInput) as exc:
        import_applications(path)
    assert any("列“number”重复出现" in d for d in exc.value.details)
    path = write_raw_csv(tmp_path / "orgs.csv", [*ORG_COLUMNS, "remark"], [])
    with pytest.raises(InvalidInput) as exc:
        import_orgs(path.read_text(encoding="utf-8"))
    assert any("未知列“remark”" in d for d in exc.value.details)


# --- batches, resume, rollback ----------------------------------------------------------------


def archive(tmp_path, org, n=9):
    rows = [row(org, title=f"文件{i}", published=(date(PAST, 12, 31) - timedelta(days=i)).isoformat())
            for i in range(n)]
    return write_csv(tmp_path / "archive.csv", rows)


def serials():
    return {d.live_edition.title: d.index_number for d in Document.objects.select_related("live_edition")}


class Interrupted(Exception):
    pass


def fail_on_batch(monkeypatch, n: int):
    """The n-th batch (1-based) fails as a crash or a lost database would."""
    real, calls = import_runs.write_batch, []

    def write_batch(*args, **kwargs):
        calls.append(1)
        if len(calls) == n:
            raise Interrupted("断电")
        return real(*args, **kwargs)

    monkeypatch.setattr(import_runs, "write_batch", write_batch)


def test_batched_import_interrupted_then_resumed_numbers_as_one_run(tmp_path, org_a, monkeypatch):
    path = archive(tmp_path, org_a)
    # What one uninterrupted run gives, to compare with.
    whole = import_documents(path, batch_rows=None)
    expected = serials()
    import_runs.rollback_import(whole.run)
    assert Document.objects.count() == 0

    fail_on_batch(monkeypatch, 3)
    with pytest.raises(Interrupted):
        import_documents(path, batch_rows=4)
    run = ImportRun.objects.exclude(pk=whole.run).get()
    assert (run.state, run.rows_done, run.rows_total) == ("failed", 8, 9) and run.error == "断电"
    assert Document.objects.count() == 8  # two committed batches stay, recorded in the run
    assert sorted(run.ids()) == sorted(Document.objects.values_list("pk", flat=True))
    monkeypatch.undo()

    result = import_documents(resume=run.pk, batch_rows=4)
    run.refresh_from_db()
    assert result.run == run.pk and result.count == 9 and run.state == "done"
    got = serials()
    first_run_numbers = expected
    # Serials continue after the first run's reservation, in the same order.
    offset = int(got["文件8"].rsplit("-", 1)[1]) - int(first_run_numbers["文件8"].rsplit("-", 1)[1])
    assert offset == 9
    for title, number in first_run_numbers.items():
        head, serial = number.rsplit("-", 1)
        assert got[title] == f"{head}-{int(serial) + offset:0{len(serial)}d}"
    publishes = AuditEvent.objects.filter(action="edition.publish", data__import_run=run.pk)
    assert publishes.count() == 9  # one per document, none twice
    assert audit.verify()[1] is None


def test_resume_refuses_a_changed_file_and_a_finished_run(tmp_path, org_a, monkeypatch):
    path = archive(tmp_path, org_a, n=5)
    fail_on_batch(monkeypatch, 2)
    with pytest.raises(Interrupted):
        import_documents(path, batch_rows=2)
    monkeypatch.undo()
    run = ImportRun.objects.get()
    path.write_text(path.read_text(encoding="utf-8").replace("文件4", "文件四"), encoding="utf-8")
    with pytest.raises(InvalidInput, match="SHA-256不符"):
        import_documents(resume=run.pk)
    done = import_documents(write_csv(tmp_path / "one.csv", [row(org_a, title="单独")]))
    with pytest.raises(InvalidInput, match="只有中断的导入可以续导"):
        import_documents(resume=done.run)


def test_rollback_removes_what_a_run_wrote_and_records_it(tmp_path, org_a, staff_a, capsys):
    path = archive(tmp_path, org_a, n=5)
    call_command("import_documents", str(path), "--batch-rows", "2")
    run = ImportRun.objects.get()
    assert f"导入记录{run.pk}" in capsys.readouterr().out
    kept = staff_a.publish(staff_a.draft(title="工作台发布"))
    call_command("import_documents", "--rollback", str(run.pk))
    assert f"已撤销导入记录{run.pk}：删除5条" in capsys.readouterr().out
    assert list(Document.objects.values_list("pk", flat=True)) == [kept.document_id]
    assert Edition.objects.count() == 1
    run.refresh_from_db()
    assert run.state == "rolled_back"
    assert AuditEvent.objects.filter(action="document.import_remove", data__import_run=run.pk).count() == 5
    assert AuditEvent.objects.filter(action="document.import_rollback", object_id=str(run.pk)).count() == 1
    with pytest.raises(CommandError, match="没有可撤销的内容"):
        call_command("import_documents", "--rollback", str(run.pk))
    assert audit.verify()[1] is None


def test_imported_documents_are_in_the_publication_register(tmp_path, staff_a):
    import_documents(write_csv(tmp_path / "a.csv", [row(staff_a.org, title="迁移来的通知")]))
    c = Client()
    c.force_login(staff_a.clerk)
    today = timezone.localdate().isoformat()
    r = c.get("/workbench/register/", {"start": today, "end": today, "format": "xlsx"})
    assert r.status_code == 200
    titles = [ws_row[3] for ws_row in load_workbook(io.BytesIO(r.content)).active.iter_rows(min_row=3, values_only=True)]
    assert titles == ["迁移来的通知"]
