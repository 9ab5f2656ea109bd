"""Review steps screen before their write transaction, and the search index reads bounded text.

On SQLite every transaction is BEGIN IMMEDIATE: whatever runs inside one holds the database's
only write lock. Screening a 36 MB .txt attachment took ~4 s per review step (measured), so it
must run before the transaction; the findings are stored inside it only if the content is
still the one screened.
"""

import pytest
from django.db import connection

from yangguang.core import screening
from yangguang.core.search.indexer import item_for
from yangguang.core.search.models import SearchChange
from yangguang.core.search.segment import MAX_INDEXED_CHARS
from yangguang.publishing import services
from yangguang.publishing.models import Document
from yangguang.publishing.services import screening as pub_screening

pytestmark = pytest.mark.django_db(transaction=True)

BIG = "附件正文" * 1000 + "尾部独有词语鲲鹏" + "。" * 10  # a marker past what the index keeps


@pytest.fixture
def spy(monkeypatch):
    """Records, for each screening of the attachment text, whether a transaction was open."""
    calls: list[bool] = []
    real = screening.screen_text

    def screen_text(text, extra_words=None):
        if text and text.startswith("附件正文"):
            calls.append(connection.in_atomic_block)
        return real(text, extra_words)

    monkeypatch.setattr(pub_screening.screening, "screen_text", screen_text)
    return calls


def test_submit_and_approvals_screen_outside_the_transaction(staff_a, settings, tmp_path, spy):
    settings.PRIVATE_STORAGE_DIR = tmp_path
    edition = staff_a.draft()
    services.add_attachment(edition, staff_a.clerk, "附件.txt", BIG.encode())
    spy.clear()  # the upload is the drafting service's business, not the review chain's
    services.submit(edition, staff_a.clerk)
    for reviewer in staff_a.chain:
        edition = services.approve(edition, reviewer, "同意")
    edition.refresh_from_db()
    assert edition.state == "published"
    assert len(spy) == 1 + len(staff_a.chain) and not any(spy), spy


def test_content_changed_between_screening_and_lock_is_screened_again(staff_a, settings, tmp_path, spy):
    """The findings made before the lock are only used for the exact content they were made from."""
    settings.PRIVATE_STORAGE_DIR = tmp_path
    edition = staff_a.draft()
    services.add_attachment(edition, staff_a.clerk, "附件.txt", BIG.encode())
    services.submit(edition, staff_a.clerk)
    from yangguang.publishing.services import review

    real = review.screen_before_lock

    def stale(ed):
        content_hash, findings = real(ed)
        return "0" * 64, findings  # as if the edition had changed after screening

    spy.clear()
    review.screen_before_lock = stale
    try:
        services.approve(edition, staff_a.chain[0], "同意")
    finally:
        review.screen_before_lock = real
    assert spy == [False, True]  # screened before, and again under the lock


def test_index_reads_only_the_head_of_attachment_text(staff_a, settings, tmp_path):
    """The index keeps the first MAX_INDEXED_CHARS of body + attachments; nothing more is read."""
    settings.PRIVATE_STORAGE_DIR = tmp_path
    edition = staff_a.draft(body="短正文。")
    services.add_attachment(edition, staff_a.clerk, "长附件.txt", ("甲" * (MAX_INDEXED_CHARS + 1000)).encode())
    edition = staff_a.publish(edition)
    document = Document.objects.select_related("live_edition", "org").get(pk=edition.document_id)
    item = item_for(document)
    assert len(item.attachment_text) == MAX_INDEXED_CHARS
    assert SearchChange.objects.filter(document_id=document.pk, op="index").exists()
