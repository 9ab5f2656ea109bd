"""Background tasks of 主动公开, run by the django-tasks worker."""

from django_tasks import task

from .services import publish_due


@task()
def publish_due_task() -> int:
    """Publish scheduled editions whose time has come (enqueued every minute by `yangguang clock`)."""
    return publish_due()
