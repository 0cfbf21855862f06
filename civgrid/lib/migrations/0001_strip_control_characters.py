"""Strip the control and bidi characters input now refuses from rows stored before
(civgrid/lib/repair.py). Case events and work-log entries are append-only and stay as they
are; exporters clean them on the way out. Nothing to undo: the characters were unreadable."""

from django.db import migrations


def strip(apps, schema_editor):
    from civgrid.lib.repair import strip_stored_text

    strip_stored_text(apps, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("territory", "0001_initial"),
        ("org", "0001_initial"),
        ("workcalendar", "0001_initial"),
        ("cases", "0003_indicator_indexes"),
        ("standards", "0001_initial"),
        ("inspections", "0002_check_answer_names"),
        ("visits", "0001_initial"),
        ("fieldwork", "0001_initial"),
        ("public", "0001_initial"),
        ("open311", "0001_initial"),
        ("worklogs", "0001_initial"),
        ("bulletins", "0001_initial"),
    ]

    operations = [migrations.RunPython(strip, migrations.RunPython.noop, elidable=True)]
