"""The index outbox: applied by the worker, never needed for nothing to leak (issue #17)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from yangguang.core.search import health, search, tantivy_index
from yangguang.core.search.models import SearchChange
from yangguang.publishing import services


@pytest.fixture
def worker_mode(settings):
    """As deployed: searches never write; only apply_outbox (the worker) does."""
    settings.SEARCH_INDEX_SYNC = False


def _counts(res) -> dict[str, dict[str, int]]:
    return {name: {v: n for v, _label, n in values} for name, values in res.facets.items()}


@pytest.mark.django_db
def test_a_publication_is_found_once_the_worker_applied_it(worker_mode, publish, apply_outbox):
    doc = publish("jyj", "关于举办2026年全市中小学生科技创新大赛的通知")
    assert search("科技创新大赛").total == 0  # not applied yet: readers do not write
    assert SearchChange.objects.filter(document_id=doc.pk, applied_in__isnull=True).exists()
    assert apply_outbox() >= 1
    res = search("科技创新大赛")
    assert res.total == 1 and [h.document.pk for h in res.hits] == [doc.pk]
    assert not SearchChange.objects.filter(applied_in__isnull=True).exists()


@pytest.mark.django_db
def test_a_withdrawal_not_yet_applied_is_absent_from_results_and_counts(worker_mode, publish, apply_outbox,
                                                                        staff_b):
    docs = [publish("mzj", f"关于做好社会救助资金发放工作的通知（第{i}号）", "社会救助。", topic="17") for i in range(3)]
    docs.append(publish("jyj", "关于学生资助与社会救助衔接的通知", "社会救助。", topic="11"))
    apply_outbox()
    before = search("社会救助")
    assert before.total == 4 and _counts(before)["org"] == {"mzj": 3, "jyj": 1}

    services.withdraw(docs[0], staff_b.principal, "内容有误，撤回后重新发布。")
    snap = tantivy_index.snapshot()
    assert snap.documents == 4  # the index still holds it: the outbox row is pending
    res = search("社会救助", per_page=2)
    assert res.total == 3 and res.pages == 2
    seen = [h.document.pk for p in (1, 2) for h in search("社会救助", per_page=2, page=p).hits]
    assert sorted(seen) == sorted(d.pk for d in docs[1:])
    counts = _counts(res)
    assert counts["org"] == {"mzj": 2, "jyj": 1} and counts["topic"] == {"17": 2, "11": 1}
    assert sum(counts["year"].values()) == 3 and sum(counts["validity"].values()) == 3
    filtered = search("社会救助", org="mzj")
    assert filtered.total == 2 and _counts(filtered)["org"] == {"mzj": 2, "jyj": 1}

    apply_outbox()  # the worker catches up: the same answer, now from the index itself
    assert tantivy_index.snapshot().documents == 3
    assert search("社会救助").total == 3 and _counts(search("社会救助")) == counts


@pytest.mark.django_db
def test_a_removal_not_yet_applied_is_absent(worker_mode, publish, apply_outbox, supervisor):
    doc = publish("jyj", "明溪市中小学校课后服务管理办法", "课后服务坚持自愿原则。")
    apply_outbox()
    services.remove_document(doc, supervisor, "含有不应公开的内容")
    assert search("课后服务").total == 0 and tantivy_index.snapshot().documents == 1
    apply_outbox()
    assert search("课后服务").total == 0 and tantivy_index.snapshot().documents == 0


def _database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


KILLED_WORKER = """
import os, signal
import django
django.setup()
from yangguang.core.search.changes import apply
apply(before_commit=lambda: os.kill(os.getpid(), signal.SIGKILL))
"""


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_apply_converges_on_restart(worker_mode, publish, apply_outbox, settings):
    docs = [publish("jyj", f"关于义务教育招生工作的通知（第{i}号）", "免试就近入学。") for i in range(3)]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "yangguang.settings", "YANGGUANG_DATABASE_URL": _database_url(),
           "YANGGUANG_SEARCH_INDEX_DIR": str(settings.SEARCH_INDEX_DIR)}
    root = Path(__file__).resolve().parents[2]
    killed = subprocess.run([sys.executable, "-c", KILLED_WORKER], env=env, cwd=root, capture_output=True, timeout=120)
    assert killed.returncode == -9, killed.stderr.decode()[-2000:]  # SIGKILL: documents added, no commit
    state = health()
    assert (state.documents, state.pending) == (0, len(docs))  # nothing committed, nothing lost
    assert search("义务教育 招生").total == 0
    restarted = subprocess.run([sys.executable, "-c", KILLED_WORKER.replace("before_commit=lambda: "
                                "os.kill(os.getpid(), signal.SIGKILL)", "")],
                               env=env, cwd=root, capture_output=True, timeout=120)
    assert restarted.returncode == 0, restarted.stderr.decode()[-2000:]
    state = health()
    assert state.ok and state.documents == len(docs)
    assert {h.document.pk for h in search("义务教育 招生").hits} == {d.pk for d in docs}
