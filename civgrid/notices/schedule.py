"""This app's periodic jobs (civgrid.scheduling.registry): reminders, escalation, digests,
visit plans falling due, exports ready, and the delivery safety net. Each is idempotent per
slot through the notices' unique keys."""

from __future__ import annotations

from civgrid.scheduling.registry import register

register("notices.deliver", func="civgrid.notices.jobs.deliver", every=1)
register("notices.remind", func="civgrid.notices.jobs.remind_due", every=15)
register("notices.escalate", func="civgrid.notices.jobs.escalate", every=60)
register("notices.digest", func="civgrid.notices.jobs.daily_digest", at="08:30")
register("notices.visits", func="civgrid.notices.jobs.visit_plans_due", at="08:00")
register("notices.exports", func="civgrid.notices.jobs.exports_ready", every=1)
