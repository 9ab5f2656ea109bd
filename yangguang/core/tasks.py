"""Background tasks of the shared kernel, run by the django-tasks worker."""

from django_tasks import task


@task()
def send_outbox() -> dict:
    """Send the queued outbound messages and retry the failed ones that are due (core/outbox.py).
    Enqueued after the commit of every action that queued a message, and every minute by
    `yangguang clock`. Safe to run twice at once: each message is claimed by one run only."""
    from .outbox import send_due

    return send_due()
