"""`yangguang clock`: enqueues the periodic tasks for the worker.

Every-minute tasks are enqueued once a minute; daily tasks once per calendar day (at start-up
and after midnight). Each task is safe to run twice (publish_due locks and re-checks each
edition; the due-date alerts deduplicate per application, kind and day), so two clocks or a
restart cannot publish or notify anything twice.

A database that is busy (SQLite's write lock held past busy_timeout by a long import) or away
(a lost PostgreSQL connection) does not stop the clock: the round is logged, the connections are
dropped, and the whole round is tried again after 1 s, 2 s, 4 s … (at most 30 s, never longer
than the interval). The daily tasks count as done for the day only once all were enqueued.
"""

import sys
import time

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from yangguang.core.registry import DAILY, EVERY_MINUTE
from yangguang.core.resilience import DATABASE_ERRORS, Backoff, close_connections, describe

# The rounds are the tasks the apps registered in their AppConfig.ready() (core/registry.py), e.g.
# core's send_outbox: e-mails and SMS queued by actions are enqueued after their commit; this round
# also retries the failed ones whose backoff has passed, and sends any whose enqueue was lost.
__all__ = ["DAILY", "EVERY_MINUTE", "Command"]


class Command(BaseCommand):
    help = "定时任务时钟：每分钟放入定时发布任务和对外消息发送（含失败重试）任务，每天放入一次到期提醒任务；数据库暂时不可用时等待后重试。"

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=int, default=60, help="间隔秒数（默认60）")
        parser.add_argument("--once", action="store_true", help="只执行一轮后退出（数据库不可用时重试到成功）")

    def handle(self, *args, interval, once, **opts):
        minute = [import_string(p) for p in EVERY_MINUTE]
        daily = [import_string(p) for p in DAILY]
        last_day = None
        backoff = Backoff(maximum=max(1, min(30, interval)))
        while True:
            try:
                for t in minute:
                    t.enqueue()
                today = timezone.localdate()
                if today != last_day:
                    for t in daily:
                        t.enqueue()
                    last_day = today
            except DATABASE_ERRORS as exc:
                close_connections()
                delay = backoff.failed()
                self.stderr.write(_("定时任务时钟：数据库暂时不可用（%(error)s），%(seconds)g 秒后重试。")
                                  % {"error": describe(exc), "seconds": delay})
                sys.stderr.flush()
                time.sleep(delay)
                continue
            backoff.reset()
            if once:
                return
            time.sleep(interval)
