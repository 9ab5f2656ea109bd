"""`yangguang clock`: enqueues the periodic tasks for the worker, once a minute.

Enqueueing is idempotent in effect: each task is safe to run twice (publish_due locks
and re-checks each edition), so two clocks or a restart cannot publish anything twice.
"""

import time

from django.core.management.base import BaseCommand

PERIODIC = ["yangguang.publishing.tasks.publish_due_task"]


class Command(BaseCommand):
    help = "定时任务时钟：每分钟把周期任务（如定时发布）放入后台任务队列。"

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=int, default=60, help="间隔秒数（默认60）")
        parser.add_argument("--once", action="store_true", help="只执行一轮后退出")

    def handle(self, *args, interval, once, **opts):
        from django.utils.module_loading import import_string

        tasks = [import_string(p) for p in PERIODIC]
        while True:
            for t in tasks:
                t.enqueue()
            if once:
                return
            time.sleep(interval)
