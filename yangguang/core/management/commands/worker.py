"""`yangguang worker`: django_tasks_db's `db_worker`, made to outlive a busy or lost database.

`db_worker` ignores "database is locked" only while it fetches the next task; on SQLite the
fetch starts with `BEGIN EXCLUSIVE` outside that guard, so a write lock held longer than
busy_timeout (10 s) made it exit, and any lost PostgreSQL connection did too. Here a database
error ends nothing: the worker logs it, drops its connections, waits (1 s doubling to 30 s,
from the start again after a minute of good running) and goes on. A task whose result could
not be recorded because of the outage (it stays "running" otherwise, never to be picked up)
is recorded as failed, with that error, once the database answers again.
"""

import sys
import time

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand
from django_tasks_db.management.commands.db_worker import Worker

from yangguang.core.resilience import DATABASE_ERRORS, Backoff, close_connections, describe


class ResilientWorker(Worker):
    def __init__(self, *, log, **kwargs):
        super().__init__(**kwargs)
        self.log = log
        self.unrecorded = []  # (DBTaskResult, error) whose final state is still to be saved

    def run_task(self, db_task_result) -> None:
        try:
            super().run_task(db_task_result)
        except DATABASE_ERRORS as exc:
            # The task ran (or failed) but neither its success nor its failure could be saved.
            self.unrecorded.append((db_task_result, exc))
            raise

    def record_unrecorded(self) -> None:
        while self.unrecorded:
            db_task_result, exc = self.unrecorded[0]
            db_task_result.set_failed(exc)
            self.unrecorded.pop(0)
            self.log(_("后台任务 %(id)s 因数据库不可用未能记录结果，已记为失败。") % {"id": db_task_result.id})

    def run(self) -> None:
        backoff = Backoff()
        while self.running:
            started = time.monotonic()
            try:
                self.record_unrecorded()
                super().run()
                return  # stopped by a signal, or --batch / --max-tasks done
            except DATABASE_ERRORS as exc:
                if not self.running:
                    return
                close_connections()
                delay = backoff.failed(time.monotonic() - started)
                self.log(_("后台任务进程：数据库暂时不可用（%(error)s），%(seconds)g 秒后重试。")
                         % {"error": describe(exc), "seconds": delay})
                time.sleep(delay)


class Command(DbWorkerCommand):
    help = "后台任务进程：执行排队的任务；数据库被占用或连接中断时等待后重试，不退出。"

    def handle(self, *, verbosity, queue_name, interval, batch, backend_name, startup_delay, max_tasks,
               worker_id, exclude_queues, **options) -> None:
        self.configure_logging(verbosity)
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise CommandError(_("--exclude-queues 只能与 --queue-name='*' 一起使用。"))

        def log(message: str) -> None:
            self.stderr.write(message)
            sys.stderr.flush()

        worker = ResilientWorker(log=log, queue_names=queue_names, interval=interval, batch=batch,
                                 backend_name=backend_name, startup_delay=startup_delay, max_tasks=max_tasks,
                                 worker_id=worker_id, excluded_queue_names=excluded)
        worker.configure_signals()
        worker.run()
