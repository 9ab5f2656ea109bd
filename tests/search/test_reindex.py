"""The bulk import indexes in its own transaction; `search-reindex` rebuilds the index."""

import json
import time
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection

from yangguang.core.search import search
from yangguang.core.search.models import SearchEntry
from yangguang.core.search.reindex import reindex
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
    assert not SearchEntry.objects.exists()


def test_reindex_rebuilds_and_drops_stale_rows(tmp_path, publish, staff_a, capsys):
    docs = [publish("jyj", f"关于义务教育招生工作的通知（第{i}号）", "免试就近入学。") for i in range(5)]
    withdrawn = docs[0]
    services.withdraw(withdrawn, staff_a.principal, "内容有误，予以撤回。")
    with connection.cursor() as cursor:  # damage the index: drop a live row, re-add a withdrawn one
        cursor.execute("DELETE FROM core_searchentry WHERE document_id = %s", [docs[1].pk])
    from yangguang.core.search.indexer import IndexItem, index_items

    index_items([IndexItem(withdrawn.pk, withdrawn.org_id, "x", "11", "notice", "valid", date(2026, 1, 1),
                           "义务教育招生", "")])
    assert search("义务教育 招生").total == 4  # 3 right, 1 stale; 1 missing
    result = reindex(batch_size=2, workers=1)
    assert (result.count, result.removed) == (4, 1)
    assert {h.document.pk for h in search("义务教育 招生", per_page=50).hits} == {d.pk for d in docs[1:]}
    # the command, with forked segmentation workers and --clear, prints progress and a summary
    call_command("search_reindex", "--batch-size", "3", "--workers", "2", "--clear")
    out, err = capsys.readouterr()
    assert "索引重建完成：4篇" in out and "已索引 4/4 篇" in err and "每秒" in err and "预计还需" in err
    assert search("义务教育 招生").total == 4
    if connection.vendor == "postgresql":  # dropped for the rebuild, built again at its end
        assert len(_text_indexes()) == 3
    # after a rebuild from empty (SQLite builds FTS5 in one pass) publication is indexed at once again
    later = publish("jyj", "关于义务教育招生工作的补充通知", "补充说明。")
    assert later.pk in {h.document.pk for h in search("义务教育 招生", per_page=50).hits}


def test_reindex_of_nothing_empties_the_index(publish, supervisor):
    doc = publish("mzj", "关于调整城乡低保标准的通知")
    services.remove_document(doc, supervisor, "测试下架")
    index_row = SearchEntry.objects.count()
    assert index_row == 0
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO core_searchentry (document_id, org_id, topic, genre, validity, year, "
                       "published_date, title_seg, meta_seg, body_seg) VALUES (%s, 1, '17', 'notice', 'valid', "
                       "2026, '2026-01-01', '低保', '', '')", [doc.pk])
    assert reindex(workers=1).removed == 1
    assert not SearchEntry.objects.exists()


def _text_indexes() -> set[str]:
    from yangguang.core.search.backends import PG_TEXT_INDEXES

    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes")
        return {name for (name,) in cursor.fetchall()} & {name for name, _create in PG_TEXT_INDEXES}


def test_an_interrupted_build_is_finished_by_the_next_run(publish):
    """`--clear` sets the text index aside until its one-pass build at the end (SQLite: the FTS5
    insert trigger; PostgreSQL: the GIN indexes); if the process dies before that, the next
    `search-reindex` (also `--if-needed`, run by `make run`) finishes the build."""
    doc = publish("jyj", "关于校园食品安全检查的通知", "检查结果。")
    with connection.cursor() as cursor:  # the state a killed rebuild leaves: rows, no text index
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER core_searchentry_ai")
            cursor.execute("INSERT INTO core_search_fts (core_search_fts) VALUES ('delete-all')")
        else:
            assert len(_text_indexes()) == 3
            cursor.execute("DROP INDEX core_searchentry_vector")
            cursor.execute("DROP INDEX core_search_sample_vector")
    if connection.vendor == "sqlite":
        assert search("食品安全").total == 0
    else:
        assert _text_indexes() == {"core_searchentry_title"}
    call_command("search_reindex", "--if-needed")
    if connection.vendor == "postgresql":
        assert len(_text_indexes()) == 3
    assert search("食品安全").total == 1
    later = publish("jyj", "关于食品安全宣传周的通知", "宣传。")
    assert {h.document.pk for h in search("食品安全").hits} == {doc.pk, later.pk}


def _fts_sql() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name LIKE 'core_search%fts'")
        return dict(cursor.fetchall())


def test_migration_0012_converts_an_older_sqlite_index(publish, staff_a):
    """Migration 0012 re-creates FTS5 tables of the first format (unicode61, positions stored) with
    the ascii tokenizer and detail=none from the rows already there: same search results, and the
    triggers keep indexing publications and withdrawals. On PostgreSQL the migration does nothing and
    the same searches give the same results."""
    import importlib
    from types import SimpleNamespace

    migration = importlib.import_module("yangguang.core.migrations.0012_search_fts5_detail_none")
    editor = SimpleNamespace(connection=connection)
    docs = [publish("jyj", f"关于义务教育招生工作的通知（第{i}号）", "免试就近入学，划片招生。") for i in range(3)]
    other = publish("mzj", "关于调整城乡低保标准的通知", "低保标准提高。")
    migration.backwards(None, editor)
    if connection.vendor == "sqlite":
        assert all("unicode61" in sql and "detail" not in sql for sql in _fts_sql().values()), _fts_sql()
    before = {q: [h.document.pk for h in search(q, per_page=50).hits] for q in ("义务教育 招生", "低保", "划片")}
    assert sorted(before["义务教育 招生"]) == sorted(d.pk for d in docs) and before["低保"] == [other.pk]
    migration.forwards(None, editor)
    if connection.vendor == "sqlite":
        sql = _fts_sql()
        assert len(sql) == 3 and all("tokenize='ascii', detail=none" in s for s in sql.values()), sql
    assert {q: [h.document.pk for h in search(q, per_page=50).hits] for q in before} == before
    later = publish("jyj", "关于义务教育招生的补充通知", "补充。")
    services.withdraw(docs[0], staff_a.principal, "内容有误，予以撤回。")
    assert {h.document.pk for h in search("义务教育 招生", per_page=50).hits} == {docs[1].pk, docs[2].pk, later.pk}


def _fts_integrity() -> None:
    """FTS5 checks each table's index against its content rows (raises when they disagree)."""
    from yangguang.core.search.backends import FTS5_TABLES

    with connection.cursor() as cursor:
        for fts in FTS5_TABLES:
            cursor.execute(f"INSERT INTO {fts.name} ({fts.name}, rank) VALUES ('integrity-check', 1)")


def _secure_delete() -> int | None:
    if connection.vendor != "sqlite":
        return None
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA secure_delete")
        return cursor.fetchone()[0]


def test_a_clear_rebuild_leaves_a_consistent_index(publish, capsys):
    """After `--clear` the index holds exactly the rows (SQLite: FTS5's own integrity check
    against the content), the rebuild's settings are undone and the insert triggers are back.
    On PostgreSQL the same searches give the same results."""
    docs = [publish("jyj", f"关于义务教育招生工作的通知（第{i}号）", "免试就近入学。") for i in range(5)]
    docs.append(publish("mzj", "关于调整城乡低保标准的通知", "低保标准提高。"))
    secure_delete = _secure_delete()
    call_command("search_reindex", "--batch-size", "2", "--workers", "1", "--clear")
    err = capsys.readouterr().err
    if connection.vendor == "sqlite":
        assert "FTS5 rebuild" in err, err
        _fts_integrity()
        assert _secure_delete() == secure_delete  # FAST for the rebuild only
        from yangguang.core.search.backends import FTS5_TABLES
        from yangguang.core.search.reindex import FTS5_DEFAULTS

        with connection.cursor() as cursor:  # the rebuild's FTS5 settings are undone
            for fts in FTS5_TABLES:
                cursor.execute(f"SELECT k, v FROM {fts.name}_config WHERE k IN ('hashsize', 'automerge', 'crisismerge')")
                assert dict(cursor.fetchall()) == dict(FTS5_DEFAULTS)
    assert {h.document.pk for h in search("义务教育 招生", per_page=50).hits} == {d.pk for d in docs[:5]}
    assert [h.document.pk for h in search("低保").hits] == [docs[5].pk]
    later = publish("jyj", "关于义务教育招生的补充通知", "补充。")
    assert later.pk in {h.document.pk for h in search("义务教育 招生", per_page=50).hits}
    if connection.vendor == "sqlite":
        _fts_integrity()


def test_a_write_by_another_process_during_a_clear_rebuild_is_not_lost(publish, monkeypatch, capsys):
    """While a `--clear` rebuild runs, the FTS5 insert triggers are set aside; a document that
    another process re-indexes meanwhile (here: between two batches, in a range already done)
    is indexed by the one-pass build at the end. (The delete trigger is set aside too: with it,
    that re-indexing asked FTS5 to delete a row it never held, and failed as "database disk image
    is malformed".)"""
    from yangguang.core.search import reindex as module
    from yangguang.core.search.indexer import IndexItem, index_items

    docs = [publish("jyj", f"关于义务教育招生工作的通知（第{i}号）", "免试就近入学。") for i in range(5)]
    batches = module._batches

    def with_a_foreign_write(batch_size):
        for n, batch in enumerate(batches(batch_size)):
            if n == 2:  # batch 0 is written by now: re-index its first document as a publication would
                d = docs[0]
                index_items([IndexItem(d.pk, d.org_id, "教育局", "05", "notice", "valid", date(2026, 1, 1),
                                       "关于城市更新改造的通知", "老旧小区改造。")])
            yield batch

    monkeypatch.setattr(module, "_batches", with_a_foreign_write)
    result = reindex(batch_size=2, workers=1, clear=True, progress=print)
    assert result.count == 5
    out = capsys.readouterr().out
    if connection.vendor == "sqlite":
        assert "FTS5 rebuild" in out, out
        _fts_integrity()
    assert [h.document.pk for h in search("城市更新").hits] == [docs[0].pk]


@pytest.mark.django_db(transaction=True)
def test_a_rebuild_outside_a_transaction_writes_from_several_processes(publish, staff_a, monkeypatch):
    """Run as `search-reindex` runs (no enclosing transaction): on PostgreSQL each forked process
    segments and writes whole batches through its own connection; the result is the same index,
    stale rows are dropped, and the parent's connection still works afterwards."""
    from yangguang.core.search import reindex as module

    runs = []
    writers = module._reindex_writers
    monkeypatch.setattr(module, "_reindex_writers", lambda *a: runs.append(a[3]) or writers(*a))
    docs = [publish("jyj", f"关于义务教育招生工作的通知（第{i}号）", "免试就近入学。") for i in range(7)]
    services.withdraw(docs[3], staff_a.principal, "内容有误，予以撤回。")
    from yangguang.core.search.indexer import IndexItem, index_items

    d = docs[3]  # a stale row, as if the withdrawal had raced with an earlier rebuild
    index_items([IndexItem(d.pk, d.org_id, "x", "11", "notice", "valid", date(2026, 1, 1), "义务教育招生", "")])
    others = _other_backends()  # other tests may have left connections of their own
    result = reindex(batch_size=2, workers=3)
    assert (result.count, result.removed) == (6, 1)
    expected = {x.pk for x in docs} - {d.pk}
    assert {h.document.pk for h in search("义务教育 招生", per_page=50).hits} == expected
    result = reindex(batch_size=2, workers=3, clear=True)
    assert (result.count, result.removed) == (6, 0)
    assert {h.document.pk for h in search("义务教育 招生", per_page=50).hits} == expected
    assert runs == ([2, 2] if connection.vendor == "postgresql" else [])
    if connection.vendor == "postgresql":
        assert len(_text_indexes()) == 3
        # the writers' connections are closed (a server backend ends a moment after its client)
        deadline = time.monotonic() + 5
        while _other_backends() - others and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _other_backends() - others


def _other_backends() -> set[int]:
    if connection.vendor != "postgresql":
        return set()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
        return {pid for (pid,) in cursor.fetchall()}
