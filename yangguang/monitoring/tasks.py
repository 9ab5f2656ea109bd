"""Background task of monitoring, run by the django-tasks worker (enqueued daily by `yangguang clock`)."""

from datetime import date

from django_tasks import task

from .models import MonitoringRun


def daily_run(today: date | None = None, *, force: bool = False) -> MonitoringRun | None:
    """The day's full run over all orgs; None when one already finished today (a second clock or a
    restart must not measure twice or open duplicate rectifications)."""
    from django.utils import timezone

    from . import engine

    today = today or timezone.localdate()
    done = MonitoringRun.objects.filter(trigger=MonitoringRun.Trigger.DAILY, as_of=today,
                                        finished_at__isnull=False, scope_org__isnull=True)
    if done.exists() and not force:
        return None
    return engine.run(trigger=MonitoringRun.Trigger.DAILY, today=today)


@task()
def run_daily_monitoring(today: str | None = None) -> dict:
    """Daily: measure every active indicator for every org, update rectification items.
    Safe to run twice: a second call on the same day does nothing."""
    result = daily_run(date.fromisoformat(today) if today else None)
    if result is None:
        return {"skipped": True}
    return {"run": result.pk, "orgs": result.orgs, "failed": result.failed,
            "rectifications": result.stats.get("rectifications", {})}
