"""This app's periodic jobs, discovered by the scheduler (see civgrid's queue docs)."""

JOBS = [
    {"name": "notices.deliver", "func": "civgrid.notices.jobs.deliver", "every_minutes": 1},
    {"name": "notices.remind", "func": "civgrid.notices.jobs.remind_due", "every_minutes": 15},
    {"name": "notices.escalate", "func": "civgrid.notices.jobs.escalate", "every_minutes": 60},
    {"name": "notices.digest", "func": "civgrid.notices.jobs.daily_digest", "daily_at": "08:30"},
    {"name": "notices.visits", "func": "civgrid.notices.jobs.visit_plans_due", "daily_at": "08:00"},
    {"name": "notices.exports", "func": "civgrid.notices.jobs.exports_ready", "every_minutes": 1},
]
