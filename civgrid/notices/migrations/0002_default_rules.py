"""Sensible default rules (默认通知规则); the office changes them on the rules page."""

from django.db import migrations

ROBOTS = ["wecom", "dingtalk"]
DEFAULTS = [
    # (event, recipient, channels, after working days, urgent)
    ("assigned", "unit", ["inbox", *ROBOTS, "webpush"], 0, False),
    ("returned", "office", ["inbox"], 0, False),
    ("extension_requested", "office", ["inbox"], 0, False),
    ("extension_decided", "unit", ["inbox", *ROBOTS], 0, False),
    ("submitted", "office", ["inbox"], 0, False),
    ("rework", "unit", ["inbox", *ROBOTS, "webpush"], 0, False),
    ("closed", "unit", ["inbox"], 0, False),
    ("closed", "reporter", ["inbox"], 0, False),
    ("urged", "unit", ["inbox", *ROBOTS, "sms"], 0, False),
    ("due_soon", "unit", ["inbox", *ROBOTS], 0, False),
    ("overdue", "unit", ["inbox", *ROBOTS, "sms"], 0, False),
    ("escalated", "unit_leader", ["inbox", "sms"], 3, False),
    ("escalated", "grid_leader", ["inbox", "sms"], 3, False),
    ("answered", "resident", ["sms"], 0, False),
    ("answered", "reporter", ["inbox"], 0, False),
    ("bad_rating", "office", ["inbox"], 0, False),
    ("digest", "unit", ["inbox", "email"], 0, False),
    ("visit_due", "grid_worker", ["inbox", "webpush"], 0, False),
    ("export_ready", "actor", ["inbox"], 0, False),
]


def add_defaults(apps, schema_editor):
    NoticeRule = apps.get_model("notices", "NoticeRule")
    for event, recipient, channels, after, urgent in DEFAULTS:
        NoticeRule.objects.get_or_create(
            event=event,
            recipient=recipient,
            defaults={"channels": channels, "after_workdays": after, "urgent": urgent},
        )


class Migration(migrations.Migration):
    dependencies = [("notices", "0001_outbox_rules_deliveries_inbox")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
