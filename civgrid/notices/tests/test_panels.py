import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from civgrid.cases import actions
from civgrid.notices import jobs, panels
from civgrid.notices.models import Delivery
from civgrid.notices.tests.test_residents import answered, public_case
from civgrid.org.models import Role
from civgrid.public import actions as public
from civgrid.testing import drive, make_person, report

pytestmark = pytest.mark.django_db
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def test_the_escalation_panel_shows_the_office_and_the_leader_their_escalations(world):
    with time_machine.travel(dt.datetime(2026, 3, 30, 10, tzinfo=SHANGHAI), tick=False):
        case = drive(report(world), world, "register")
        actions.assign(
            case,
            actor=world.office.user,
            expected_version=case.version,
            unit=world.unit,
            due_on=dt.date(2026, 4, 2),
        )
    now = dt.datetime(2026, 4, 8, 10, tzinfo=SHANGHAI)
    jobs.escalate(now)
    for person, role in ((world.office, "office"), (world.leader, "leader")):
        panel = panels.escalations(person.user, role, now)
        assert panel is not None
        assert (panel.count, panel.items[0].label) == (1, case.tracking_code)
    assert panels.escalations(world.clerk.user, "unit_clerk", now) is None
    other = make_person(Role.LEADER)
    assert panels.escalations(other.user, "leader", now).count == 0


def test_failed_deliveries_and_bad_ratings_panels_are_the_offices(world):
    now = timezone.now()
    done = public_case(world)
    case = answered(world, done)
    public.rate_report(done.report, token=done.token, score=1, expected_version=case.version)
    Delivery.objects.update(status="failed", last_error="gateway down")
    assert panels.failed_deliveries(world.office.user, "office", now).count >= 1
    assert panels.bad_ratings(world.office.user, "office", now).items[0].label == case.tracking_code
    assert panels.failed_deliveries(world.clerk.user, "unit_clerk", now) is None
    assert panels.bad_ratings(world.leader.user, "leader", now) is None
