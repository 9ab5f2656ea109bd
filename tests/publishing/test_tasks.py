from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from yangguang.publishing.models import Document, Edition
from yangguang.publishing.tasks import publish_due_task
from yangguang.publishing.workflow import State

pytestmark = pytest.mark.django_db


def test_publish_due_task_publishes_past_schedules(staff_a):
    edition = staff_a.publish(staff_a.draft(scheduled_at=timezone.now() + timedelta(hours=1)))
    assert edition.state == State.SCHEDULED
    Edition.objects.filter(pk=edition.pk).update(scheduled_at=timezone.now() - timedelta(minutes=1))
    assert publish_due_task.call() == 1
    assert Document.objects.get(pk=edition.document_id).is_public


def test_clock_enqueues_into_the_task_table():
    from django_tasks_db.models import DBTaskResult

    call_command("clock", "--once")
    assert DBTaskResult.objects.filter(task_path="yangguang.publishing.tasks.publish_due_task").count() == 1
    assert DBTaskResult.objects.filter(task_path="yangguang.disclosure.tasks.send_due_alerts").count() == 1
