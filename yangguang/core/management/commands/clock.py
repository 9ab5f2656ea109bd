"""`yangguang clock`: enqueues the periodic tasks for the worker.

Every-minute tasks are enqueued once a minute; daily tasks once per calendar day (at start-up
and after midnight). Each task is safe to run twice (publish_due locks and re-checks each
edition; the due-date alerts deduplicate per application, kind and day), so two clocks or a
restart cannot publish or notify anything twice.
"""

import time

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.module_loading import import_string

EVERY_MINUTE = ["yangguang.publishing.tasks.publish_due_task"]
DAILY = ["yangguang.disclosure.tasks.send_due_alerts", "yangguang.supervision.tasks.generate_monthly_bulletins",
         "yangguang.monitoring.tasks.run_daily_monitoring"]


class Command(BaseCommand):
    help = "定时任务时钟：每分钟放入定时发布任务，每天放入一次到期提醒任务。"

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=int, default=60, help="间隔秒数（默认60）")
        parser.add_argument("--once", action="store_true", help="只执行一轮后退出")

    def handle(self, *args, interval, once, **opts):
        minute = [import_string(p) for p in EVERY_MINUTE]
        daily = [import_string(p) for p in DAILY]
        last_day = None
        while True:
            for t in minute:
                t.enqueue()
            today = timezone.localdate()
            if today != last_day:
                for t in daily:
                    t.enqueue()
                last_day = today
            if once:
                return
            time.sleep(interval)
