"""Enqueueing civgrid's tasks (Django's Tasks API), and running the database worker in-process.

`enqueue(task, *args)` is the one way civgrid enqueues: with the database backend the task row
is written in the caller's transaction (it commits or rolls back with the row it is about, so a
job is never lost nor run on a row that does not exist); with a backend outside the database
(RQ on Redis) the task is sent once the transaction has committed, so a worker never looks for
a row it cannot see yet. The immediate backend (tests) runs it at once.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django_tasks import task
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks.base import Task
from django_tasks_db.backend import DatabaseBackend


def enqueue(task: Task[Any, Any], *args: Any) -> None:
    backend = task.get_backend()
    if isinstance(backend, DatabaseBackend | ImmediateBackend):
        task.enqueue(*args)
    else:
        transaction.on_commit(lambda: task.enqueue(*args), robust=True)


@task()
def ping(n: int) -> int:
    """A task that does nothing: is the worker running? (`ping.enqueue(1)`), and bench/tasks.py."""
    return n


def run_database_worker(*, max_tasks: int | None = None) -> None:
    """Run what the database queue holds, then return: `civgrid db_worker --batch` in this
    process (tests, benchmarks), without its signal handlers."""
    from django_tasks_db.management.commands.db_worker import Worker

    Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=max_tasks,
        worker_id="in-process",
        excluded_queue_names=[],
    ).run()
