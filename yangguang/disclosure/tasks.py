"""Background tasks of 依申请公开, run by the django-tasks worker."""

from datetime import date

from django_tasks import task

from .alerts import notify_due


@task()
def send_due_alerts(today: str | None = None) -> dict:
    """Daily: notify handlers of overdue / due-today / soon-due applications (in-app, and one summary
    e-mail per handler with an address). Safe to run twice: a second run the same day creates and
    sends nothing. `today` (YYYY-MM-DD) is for tests and catching up; default: the local date."""
    return notify_due(date.fromisoformat(today) if today else None).as_dict()


@task()
def read_reply_file_task(file_id: int) -> str:
    """Read a reply file the upload request could not read within its second (services/replies.py)."""
    from .services.replies import read_reply_file

    return read_reply_file(file_id)
