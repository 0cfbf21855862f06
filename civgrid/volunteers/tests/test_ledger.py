"""Problems volunteers find go on the ledger through civgrid.cases.reporting (source "volunteer")."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from civgrid.cases import reporting
from civgrid.cases.errors import InvalidInput
from civgrid.cases.models import Source, sources_for
from civgrid.cases.queries import cases_for_user
from civgrid.volunteers.models import Volunteer
from civgrid.volunteers.tests.factories import make_volunteer

pytestmark = pytest.mark.django_db


def file(world, user, source=Source.VOLUNTEER):
    return reporting.report_case(
        actor=user,
        source=source,
        category=world.category,
        description="河道边垃圾堆积",
        longitude=114.605,
        latitude=33.605,
    )


def test_a_volunteers_problem_is_a_ledger_case_with_source_volunteer_they_can_follow(world):
    vol = make_volunteer(world.grid_a, by=world.office.user)
    case, created = file(world, vol.user)
    assert created and case.source == Source.VOLUNTEER and case.reporter == vol.user
    assert case.status == "reported" and case.grid == world.grid_a
    assert list(cases_for_user(vol.user)) == [case]  # as a resident sees their own reports
    assert case in cases_for_user(world.office.user)


def test_only_an_approved_volunteer_may_file_as_a_volunteer(world):
    with pytest.raises(InvalidInput) as err:
        file(world, world.resident.user)
    assert err.value.field == "source"
    vol = make_volunteer(world.grid_a, by=world.office.user)
    Volunteer.objects.filter(pk=vol.pk).update(status=Volunteer.Status.LEFT)
    former = User.objects.get(pk=vol.user_id)
    with pytest.raises(InvalidInput):
        file(world, former)
    assert file(world, former, Source.RESIDENT)[0].source == Source.RESIDENT


def test_the_report_form_offers_a_volunteer_the_volunteer_source_first(client, world):
    vol = make_volunteer(world.grid_a, by=world.office.user)
    assert sources_for(vol.user) == (Source.VOLUNTEER, Source.RESIDENT)
    assert sources_for(world.resident.user) == (Source.RESIDENT,)
    client.force_login(vol.user)
    page = client.get(reverse("cases:report")).content.decode()
    assert 'value="volunteer" selected' in page
