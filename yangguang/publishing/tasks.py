"""Background tasks of 主动公开, run by the django-tasks worker."""

from django_tasks import task

from .services import publish_due


@task()
def publish_due_task() -> int:
    """Publish scheduled editions whose time has come (enqueued every minute by `yangguang clock`)."""
    return publish_due()


@task()
def read_attachment_task(attachment_id: int) -> str:
    """Read an attachment the upload request could not read within its second (services/attachments.py)."""
    from .services.attachments import read_pending

    return read_pending(attachment_id)
