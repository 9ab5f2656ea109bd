"""Background tasks of 通报, run by the django-tasks worker."""

from datetime import date

from django_tasks import task

from .services import generate_monthly


@task()
def generate_monthly_bulletins(today: str | None = None) -> dict:
    """Daily (`yangguang clock`): last month's bulletin draft for every supervised region, created
    only if missing — so on the 1st it appears, and a second run (or a later day) creates nothing.
    `today` (YYYY-MM-DD) is for tests and catching up; default: the local date."""
    return generate_monthly(date.fromisoformat(today) if today else None)
