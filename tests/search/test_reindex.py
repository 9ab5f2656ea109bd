"""The bulk import indexes through the outbox; `search-reindex` rebuilds the index into a new
directory and switches to it; `--if-needed` repairs a stale index."""

import json
from datetime import date

import pytest
from django.core.management import call_command

from yangguang.core.search import health, indexer, reindex, search, tantivy_index
from yangguang.core.search.models import SearchChange
from yangguang.core.search.tantivy_index import Prepared
from yangguang.publishing import services
from yangguang.publishing.importer import ImportFailed, import_documents

pytestmark = pytest.mark.django_db


def _rows(org, n, **extra):
    return [{"org_code": org.code, "column": "tzgg", "title": f"关于社会救助资金发放情况的公示（第{i}批）",
             "doc_number": f"测民发〔2025〕{i}号", "written_date": "", "published_date": "2025-03-01",
             "topic": "17", "genre": "notice", "validity": "", "body": f"第{i}批社会救助资金已发放。", **extra}
            for i in range(1, n + 1)]


def _write(path, rows):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def test_import_indexes_every_document(tmp_path, staff_b):
    import_documents(_write(tmp_path / "a.jsonl", _rows(staff_b.org, 7)))
    res = search("社会救助 资金")
    assert res.total == 7 and res.facets["year"] == [("2025", "2025", 7)]
    assert search("测民发 2025 3号").total >= 1  # 发文字号 is indexed


def test_failed_import_indexes_nothing(tmp_path, staff_b):
    rows = _rows(staff_b.org, 3)
    rows[2]["published_date"] = "not a date"
    with pytest.raises(ImportFailed):
        import_documents(_write(tmp_path / "b.jsonl", rows))
    assert not SearchChange.objects.exists() and search("社会救助").total == 0


def _damage(keep_out: int, stale: int) -> None:
    """Take a public document out of the index and put a withdrawn one in, behind the outbox's back."""
    with tantivy_index.writing() as w:
        w.remove([keep_out])
        w.index([Prepared(stale, 1, "11", "notice", "valid", date(2026, 1, 1), "义务 教育 招生", "", "")])
        w.commit()


def test_reindex_rebuilds_into_a_new_directory(publish, staff_a, capsys):
    docs = [publish("jyj", f"关于义务教育招生工作的通知（第{i}号）", "免试就近入学。") for i in range(5)]
    withdrawn = docs[0]
    services.withdraw(withdrawn, staff_a.principal, "内容有误，予以撤回。")
    assert search("义务教育 招生").total == 4
    _damage(docs[1].pk, withdrawn.pk)
    assert tantivy_index.snapshot().documents == 4  # 3 right, 1 stale; 1 missing
    before = tantivy_index.current()
    result = reindex.rebuild(batch_size=2, workers=1)
    assert result.count == 4 and tantivy_index.current() != before and not before.exists()
    assert {h.document.pk for h in search("义务教育 招生", per_page=50).hits} == {d.pk for d in docs[1:]}
    assert health().ok
    # the command, with forked segmentation workers, prints progress and a summary
    call_command("search_reindex", "--batch-size", "3", "--workers", "2")
    out, err = capsys.readouterr()
    assert "索引重建完成：4篇" in out and "已索引 4/4 篇" in err and "每秒" in err and "预计还需" in err
    assert search("义务教育 招生").total == 4
    assert [p.name for p in tantivy_index.root().glob("index-*")] == [tantivy_index.current().name]
    later = publish("jyj", "关于义务教育招生工作的补充通知", "补充说明。")
    assert later.pk in {h.document.pk for h in search("义务教育 招生", per_page=50).hits}


def test_changes_applied_to_the_old_index_during_a_rebuild_reach_the_new_one(publish, monkeypatch):
    first = publish("jyj", "关于校园食品安全检查的通知", "检查结果。")
    assert search("食品安全").total == 1
    late = []

    def batches_then_a_publication(batch_size):
        yield from real(batch_size)
        # after the rebuild read every document: a publication, applied by the worker to the old index
        late.append(publish("jyj", "关于校园食品安全整改的通知", "整改结果。"))
        assert search("食品安全").total == 2

    real = indexer.batches
    monkeypatch.setattr(reindex, "batches", batches_then_a_publication)
    reindex.rebuild(workers=1)
    assert {h.document.pk for h in search("食品安全").hits} == {first.pk, late[0].pk}
    assert health().ok


def test_if_needed_applies_the_outbox_and_rebuilds_only_a_stale_index(publish, settings, capsys):
    doc = publish("mzj", "关于调整城乡低保标准的通知")
    call_command("search_reindex", "--if-needed")  # no index yet: built
    assert "索引重建完成：1篇" in capsys.readouterr().out
    call_command("search_reindex", "--if-needed")
    assert "已是最新" in capsys.readouterr().out
    settings.SEARCH_INDEX_SYNC = False
    publish("mzj", "关于调整城乡特困人员救助供养标准的通知")
    assert health().pending == 1
    call_command("search_reindex", "--if-needed")  # the worker was down: the outbox is applied, no rebuild
    out = capsys.readouterr().out
    assert "已写入1条" in out and "索引重建完成" not in out and health().ok
    with tantivy_index.writing() as w:  # an index restored from an older copy: a document missing
        w.remove([doc.pk])
        w.commit()
    call_command("search_reindex", "--if-needed")
    assert "索引重建完成：2篇" in capsys.readouterr().out and health().ok


def test_if_needed_rebuilds_an_index_restored_from_an_older_copy_with_equal_counts(publish, staff_b, capsys):
    """Counts alone cannot see it: the copy holds a withdrawn document in place of a newer one."""
    import shutil

    kept = publish("mzj", "关于调整城乡低保标准的通知")
    gone = publish("mzj", "关于调整城乡低保标准的补充通知")
    assert search("低保").total == 2  # applies the outbox (SEARCH_INDEX_SYNC)
    backup = tantivy_index.root() / "backup"
    shutil.copytree(tantivy_index.current(), backup)
    services.withdraw(gone, staff_b.principal, "内容有误，予以撤回。")
    new = publish("mzj", "关于城乡低保资金发放的公告")
    assert search("低保").total == 2 and health().ok
    live = tantivy_index.current()
    shutil.rmtree(live)
    shutil.copytree(backup, live)  # the index directory restored from the older copy
    state = health()
    assert (state.documents, state.public, state.pending) == (2, 2, 0) and state.behind and not state.ok
    call_command("search_reindex", "--if-needed")
    assert "索引重建完成：2篇" in capsys.readouterr().out
    assert {h.document.pk for h in search("低保").hits} == {kept.pk, new.pk}
    assert health().ok  # the rows the copy lacked were applied again (by search here, by the worker in service)
