"""Stored rows are repaired: the forbidden characters leave every text column of the mutable
models; case events (immutable in the database) and work-log entries keep theirs."""

import datetime as dt

import pytest
from django.apps import apps
from django.core.management import call_command

from civgrid.cases.models import Case, CaseEvent
from civgrid.lib.repair import strip_stored_text
from civgrid.org.models import Unit
from civgrid.testing import report
from civgrid.worklogs.actions import record_work
from civgrid.worklogs.models import ActivityKind, WorkLog

pytestmark = pytest.mark.django_db


def test_the_repair_strips_mutable_rows_and_leaves_append_only_records(world):
    case = report(world)
    Case.objects.filter(pk=case.pk).update(
        description="摆摊\x07占道\u202e", address="人民路\x1b1号"
    )
    Unit.objects.filter(pk=world.unit.pk).update(name="城管局\x9b")
    event = CaseEvent.objects.filter(case=case).first()
    entry = record_work(
        actor=world.clerk.user,
        unit=world.unit,
        worked_on=dt.date(2026, 3, 31),
        kind=ActivityKind.ENVIRONMENT,
        person_times=1,
        description="清理",
    )
    WorkLog.objects.filter(pk=entry.pk).update(description="清理\x07")
    clean_case = report(world)

    changed = strip_stored_text(apps)

    case.refresh_from_db()
    assert (case.description, case.address) == ("摆摊占道", "人民路1号")
    assert Unit.objects.get(pk=world.unit.pk).name == "城管局"
    assert WorkLog.objects.get(pk=entry.pk).description == "清理\x07"
    assert CaseEvent.objects.get(pk=event.pk).note == event.note
    assert changed["cases.case"] == 1 and changed["org.unit"] == 1
    assert Case.objects.get(pk=clean_case.pk).version == clean_case.version
    assert strip_stored_text(apps) == {}


def test_the_command_reports_what_it_repaired(world, capsys):
    Unit.objects.filter(pk=world.unit.pk).update(name="城管局\x07")
    call_command("strip-control-characters")
    assert "org.unit: 1" in capsys.readouterr().out
