"""Sensible default rules (默认通知规则, civgrid/notices/defaults.py); the office changes them
on the rules page."""

from django.db import migrations


def add_defaults(apps, schema_editor):
    from civgrid.notices.defaults import restore_default_rules

    restore_default_rules(apps.get_model("notices", "NoticeRule"))


class Migration(migrations.Migration):
    dependencies = [("notices", "0001_outbox_rules_deliveries_inbox")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
