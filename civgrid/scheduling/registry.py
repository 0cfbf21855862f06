"""Periodic jobs (定时任务), registered from one place: each app's `schedule.py`.

The API (what an app writes in its `civgrid/<app>/schedule.py`, imported at start-up by
civgrid.scheduling's AppConfig.ready):

    from civgrid.scheduling.registry import register

    register("cases.overdue", func="civgrid.cases.schedule.overdue_summary", at="08:30")
    register("bulletins.stale_exports", func="civgrid.bulletins.jobs.check_stale", every=5)
    register("reports.monthly", func="civgrid.reports.schedule.month", at="07:00", monthly_on=1)

- `name`: unique, "<app>.<what>"; it is the key of every run (ScheduledRun.job), so renaming a
  job starts its history afresh.
- `func`: the dotted path of a function `f(slot: datetime) -> str | None`. `slot` is the
  moment the run stands for (UTC; e.g. today 08:30 Asia/Shanghai), not when it happens to run;
  the string it returns is kept as the run's result and shown to the office. Raising
  `Attention("…")` marks the run "needs attention" (listed to the office with the failures);
  any other exception marks it failed with its message. It runs on the task queue's worker.
- the schedule, exactly one of: `every=N` minutes (N divides a day: 1, 5, 15, 60, …; slots
  from local midnight), `at="HH:MM"` daily, or `at="HH:MM", monthly_on=D` (day D, or the last
  day of a shorter month). Times are Asia/Shanghai (settings.TIME_ZONE).
- `enabled=False` registers it but never runs it; the setting CIVGRID_SCHEDULE_OFF (names,
  comma-separated) turns jobs off without a code change.

The scheduler (`civgrid scheduler`, civgrid/scheduling/runner.py) enqueues each job's latest
slot exactly once: a ScheduledRun row unique on (job, slot) is inserted before the task is
enqueued. See docs/operations.md, "Scheduled jobs".
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.conf import settings

MINUTES_PER_DAY = 24 * 60


class Attention(Exception):  # noqa: N818 (a finding, not an error)
    """Raised by a job that ran well and found something the office must act on."""


@dataclass(frozen=True)
class Job:
    name: str
    func: str
    every: int | None = None  # minutes
    at: dt.time | None = None  # local time of day
    monthly_on: int | None = None  # day of month
    enabled: bool = True

    @property
    def is_on(self) -> bool:
        off = {n.strip() for n in getattr(settings, "CIVGRID_SCHEDULE_OFF", "").split(",")}
        return self.enabled and self.name not in off


_JOBS: dict[str, Job] = {}


def _parse_at(at: str) -> dt.time:
    match = re.fullmatch(r"([01]\d|2[0-3]):([0-5]\d)", at)
    if not match:
        raise ValueError(f"at={at!r}: write the local time as HH:MM")
    return dt.time(int(match[1]), int(match[2]))


def register(
    name: str,
    *,
    func: str,
    every: int | None = None,
    at: str | None = None,
    monthly_on: int | None = None,
    enabled: bool = True,
) -> Job:
    """Add a periodic job (see the module's docstring); registering a name twice is an error."""
    if name in _JOBS:
        raise ValueError(f"scheduled job {name!r} is registered twice")
    if (every is None) == (at is None):
        raise ValueError(f"{name}: give either every=N (minutes) or at='HH:MM'")
    if every is not None and (every <= 0 or MINUTES_PER_DAY % every):
        raise ValueError(f"{name}: every={every} must divide a day (1440 minutes)")
    if monthly_on is not None and (at is None or not 1 <= monthly_on <= 31):
        raise ValueError(f"{name}: monthly_on needs at='HH:MM' and a day 1-31")
    job = Job(name, func, every, _parse_at(at) if at else None, monthly_on, enabled)
    _JOBS[name] = job
    return job


def unregister(name: str) -> None:
    """Remove a job (tests that register their own)."""
    _JOBS.pop(name, None)


def jobs() -> list[Job]:
    return sorted(_JOBS.values(), key=lambda job: job.name)


def get(name: str) -> Job | None:
    return _JOBS.get(name)
