"""Background tasks of the shared kernel, run by the django-tasks worker."""

from django_tasks import task


@task()
def send_outbox() -> dict:
    """Send the queued outbound messages and retry the failed ones that are due (core/outbox.py).
    Enqueued after the commit of every action that queued a message, and every minute by
    `yangguang clock`. Safe to run twice at once: each message is claimed by one run only."""
    from .outbox import send_due

    return send_due()


@task()
def apply_search_outbox() -> dict:
    """Apply the pending index outbox to the search index (core/search/changes.py). Enqueued
    after the commit of every publication change; this worker is the index's single writer
    (runs take turns on Tantivy's writer lock)."""
    from .search.changes import apply

    return {"applied": apply()}
