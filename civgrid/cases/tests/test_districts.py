"""Two districts in one installation (一市多区): the ledger of one never shows in the other's,
the city office sees both and sends cases down to a district."""

from __future__ import annotations

import pytest

from civgrid.cases import actions
from civgrid.cases.models import CaseEvent
from civgrid.cases.queries import can_see, cases_for_user
from civgrid.cases.tests.api_support import act, api_as, detail, listed_ids
from civgrid.cases.workflow import Status
from civgrid.notices.models import Notice
from civgrid.testing import drive, make_unit, report

pytestmark = pytest.mark.django_db


def report_in_district2(city):
    return report(city, by=city.worker2, longitude=114.885, latitude=33.735)


def test_each_district_office_sees_only_its_districts_cases_and_the_city_both(city):
    one = report(city)
    two = report_in_district2(city)
    assert two.grid == city.grid2
    assert list(cases_for_user(city.office.user)) == [one]
    assert list(cases_for_user(city.inspector.user)) == [one]
    assert list(cases_for_user(city.office2.user)) == [two]
    assert list(cases_for_user(city.inspector2.user)) == [two]
    assert set(cases_for_user(city.city_office.user)) == {one, two}
    assert not can_see(city.office2.user, one) and can_see(city.city_office.user, one)


def test_another_districts_case_is_404_on_the_api_and_pages(city, client):
    one = report(city)
    assert detail(api_as(city.office2), one).status_code == 404
    assert api_as(city.office2).get(f"/api/v1/cases/by-code/{one.tracking_code}/").status_code == (
        404
    )
    assert listed_ids(api_as(city.office2).get("/api/v1/cases/")) == []
    assert detail(api_as(city.city_office), one).status_code == 200
    client.force_login(city.office2.user)
    assert client.get(f"/cases/{one.pk}/").status_code == 404
    page = client.get("/cases/")
    assert one.tracking_code not in page.content.decode()
    assert page.context["counts"]["open"] == 0
    client.force_login(city.city_office.user)
    assert one.tracking_code in client.get("/cases/").content.decode()


def test_a_district_office_cannot_act_on_another_districts_case(city):
    one = report(city)
    response = act(api_as(city.office2), one, "register", version=1)
    assert response.status_code == 404
    with pytest.raises(actions.NotAllowed):
        actions.register(one, actor=city.office2.user, expected_version=1)
    assert CaseEvent.objects.filter(case=one).count() == 1


def test_a_case_is_never_assigned_to_another_districts_unit(city):
    one = drive(report(city), city, "register")
    for actor in (city.office, city.city_office):
        with pytest.raises(actions.InvalidInput) as refused:
            actions.assign(one, actor=actor.user, expected_version=one.version, unit=city.unit2)
        assert refused.value.field == "unit"
    city_unit = make_unit(name="市住建局", code="SZJ", region=city.city)
    actions.assign(one, actor=city.office.user, expected_version=one.version, unit=city_unit)


def test_the_assign_form_offers_only_units_of_the_cases_district(city, client):
    one = drive(report(city), city, "register")
    client.force_login(city.city_office.user)
    form = client.get(f"/cases/{one.pk}/").context["action_forms"]
    assign = next(f for name, _t, f in form if name == "assign")
    assert set(assign.fields["unit"].queryset) == {city.unit, city.other_unit}


def test_a_district_office_cannot_move_a_case_into_another_district(city):
    one = report(city)
    with pytest.raises(actions.InvalidInput) as refused:
        actions.register(one, actor=city.office.user, expected_version=1, grid=city.grid2)
    assert refused.value.field == "grid"


def test_the_city_office_sends_a_case_down_and_the_district_office_assigns_it(city):
    one = report(city)
    case = actions.send_down(
        one,
        actor=city.city_office.user,
        expected_version=1,
        district=city.district2,
        grid=city.grid2,
        note="实际位置在淮阳区",
    )
    assert case.status == Status.REGISTERED and case.grid == city.grid2
    event = case.events.get(action="send_down")
    assert event.data["district"]["name"] == "淮阳区"
    assert Notice.objects.filter(event="case_sent_down", user=city.office2.user).exists()
    assert not Notice.objects.filter(event="case_sent_down", user=city.office.user).exists()
    assert not can_see(city.office.user, case)
    actions.assign(case, actor=city.office2.user, expected_version=case.version, unit=city.unit2)


def test_sending_down_to_another_district_needs_a_grid_there(city):
    one = report(city)
    with pytest.raises(actions.InvalidInput) as refused:
        actions.send_down(
            one, actor=city.city_office.user, expected_version=1, district=city.district2
        )
    assert refused.value.field == "grid"
    with pytest.raises(actions.InvalidInput):
        actions.send_down(
            one,
            actor=city.city_office.user,
            expected_version=1,
            district=city.district2,
            grid=city.grid_a,
        )
    same = actions.send_down(
        one, actor=city.city_office.user, expected_version=1, district=city.district
    )
    assert same.grid == city.grid_a


def test_only_the_city_office_sends_down(city):
    one = report(city)
    assert "send_down" in actions.available_actions(one, city.city_office.user)
    assert "send_down" not in actions.available_actions(one, city.office.user)
    with pytest.raises(actions.NotAllowed):
        actions.send_down(one, actor=city.office.user, expected_version=1, district=city.district)


def test_sending_down_through_the_api(city):
    one = report(city)
    response = act(
        api_as(city.city_office),
        one,
        "send_down",
        version=1,
        district=city.district2.code,
        grid=city.grid2.code,
    )
    assert response.status_code == 200, response.content
    assert detail(api_as(city.office2), one).status_code == 200


def test_a_one_district_installation_offers_no_send_down(world):
    one = report(world)
    assert "send_down" not in actions.available_actions(one, world.office.user)


def test_returned_notices_reach_only_the_districts_office(city):
    two = report_in_district2(city)
    actions.register(two, actor=city.office2.user, expected_version=1)
    two.refresh_from_db()
    actions.assign(two, actor=city.office2.user, expected_version=two.version, unit=city.unit2)
    two.refresh_from_db()
    actions.return_case(
        two, actor=city.clerk2_district.user, expected_version=two.version, reason="不是我们的"
    )
    hearing = set(Notice.objects.filter(event="returned").values_list("user", flat=True))
    assert city.office2.user.pk in hearing
    assert city.office.user.pk not in hearing


def test_two_districts_may_each_have_a_unit_of_the_same_name(city):
    make_unit(name="城市管理局", code="HY-CGJ2", region=city.district2)
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        make_unit(name="淮阳区城市管理局", code="HY-X", region=city.district2)


def test_a_district_office_reports_only_in_its_own_district(city):
    with pytest.raises(actions.InvalidInput) as refused:
        report(city, by=city.office2, longitude=114.605, latitude=33.605)
    assert refused.value.field == "grid"
    assert report(city, by=city.city_office).grid == city.grid_a
