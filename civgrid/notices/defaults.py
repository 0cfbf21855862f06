"""The default notice rules (默认通知规则), written by migration notices/0002_default_rules and
restored by `restore_default_rules` (tests after a flush, or an office that wants them back)."""

from __future__ import annotations

from typing import Any

ROBOTS = ["wecom", "dingtalk"]
DEFAULT_RULES: list[tuple[str, str, list[str], int, bool]] = [
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


def restore_default_rules(rule_model: Any = None) -> int:
    """Create the default rules that are missing (existing rows are left as the office set
    them); returns how many were created. `rule_model` is the migration's historical model."""
    if rule_model is None:
        from civgrid.notices.models import NoticeRule

        rule_model = NoticeRule
    from civgrid.notices.eventtypes import default_rules

    made = 0
    for event, recipient, channels, after, urgent in [*DEFAULT_RULES, *default_rules()]:
        _rule, created = rule_model.objects.get_or_create(
            event=event,
            recipient=recipient,
            defaults={"channels": channels, "after_workdays": after, "urgent": urgent},
        )
        made += created
    return made
