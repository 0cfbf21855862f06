"""Sign-up, check-in/out, confirmation and the hours credited (civgrid/volunteers/attendance.py)."""

import datetime as dt
from decimal import Decimal

import pytest

from civgrid.cases.errors import InvalidInput, NotAllowed
from civgrid.cases.models import ImmutableError
from civgrid.notices.models import Notice
from civgrid.volunteers import actions, attendance
from civgrid.volunteers.models import HoursCredit, Participation, VolunteerEvent
from civgrid.volunteers.tests.factories import START, make_activity, make_volunteer

pytestmark = pytest.mark.django_db
HERE = {"longitude": 114.605, "latitude": 33.605}
FAR = {"longitude": 114.70, "latitude": 33.605}  # about 9 km east


def minutes(n: int) -> dt.datetime:
    return START + dt.timedelta(minutes=n)


@pytest.fixture
def w(world):
    world.activity = make_activity(world.grid_a, by=world.office.user, places=2)
    world.vol = make_volunteer(world.grid_a, by=world.office.user, name="李秀英")
    actions.sign_up(actor=world.vol.user, activity=world.activity, now=minutes(-600))
    return world


def scan_in(w, at, **kw):
    kw.setdefault("now", at)
    return attendance.check_in(actor=w.vol.user, code=w.activity.code, at=at, **{**HERE, **kw})


def scan_out(w, at, **kw):
    kw.setdefault("now", at)
    return attendance.check_out(actor=w.vol.user, code=w.activity.code, at=at, **{**HERE, **kw})


def confirm(w, **kw):
    participation = w.activity.participations.get(volunteer=w.vol)
    return attendance.confirm_attendance(
        actor=w.office.user, participation=participation, now=minutes(400), **kw
    )


def test_hours_are_credited_from_the_confirmed_check_in_and_out(w):
    scan_in(w, minutes(-10))
    scan_out(w, minutes(125))
    assert HoursCredit.objects.count() == 0  # not before the organiser confirms
    credit = confirm(w)
    assert credit.hours == Decimal("2.00")  # 125 minutes inside the window, down to half hours
    assert credit.credited_by == w.office.user and credit.credited_at == minutes(400)
    assert attendance.total_hours(w.vol) == Decimal("2.00")
    actions_logged = list(w.activity.events.values_list("action", flat=True))
    assert actions_logged == ["publish", "sign_up", "check_in", "check_out", "confirm"]
    notice = Notice.objects.get(event="volunteer_hours", user=w.vol.user)
    assert notice.data["hours"] == "2.00"


def test_the_per_activity_cap_limits_the_credit(world):
    activity = make_activity(world.grid_a, by=world.office.user, hours=4, max_hours=2.5)
    vol = make_volunteer(world.grid_a, by=world.office.user)
    actions.sign_up(actor=vol.user, activity=activity, now=minutes(-600))
    attendance.check_in(actor=vol.user, code=activity.code, at=minutes(0), now=minutes(0), **HERE)
    attendance.check_out(
        actor=vol.user, code=activity.code, at=minutes(240), now=minutes(240), **HERE
    )
    participation = activity.participations.get()
    credit = attendance.confirm_attendance(
        actor=world.office.user, participation=participation, now=minutes(300)
    )
    assert credit.hours == Decimal("2.50")


def test_overlapping_activities_are_not_credited_twice_to_one_person(w):
    other = make_activity(w.grid_a, by=w.office.user, starts_at=minutes(60), hours=3)
    actions.sign_up(actor=w.vol.user, activity=other, now=minutes(-600))
    scan_in(w, minutes(0))
    scan_out(w, minutes(180))
    attendance.check_in(actor=w.vol.user, code=other.code, at=minutes(60), now=minutes(60), **HERE)
    attendance.check_out(
        actor=w.vol.user, code=other.code, at=minutes(240), now=minutes(240), **HERE
    )
    assert confirm(w).hours == Decimal("3.00")
    second = attendance.confirm_attendance(
        actor=w.office.user, participation=other.participations.get(), now=minutes(400)
    )
    assert second.hours == Decimal("1.00")  # 60 of its 180 minutes were not credited before
    assert attendance.total_hours(w.vol) == Decimal("4.00")


def test_a_check_in_twice_for_the_same_activity_is_refused(w):
    scan_in(w, minutes(0))
    with pytest.raises(InvalidInput, match="Already checked in"):
        scan_in(w, minutes(5))


def test_an_offline_check_in_sent_twice_with_its_key_is_recorded_once(w):
    first, created = scan_in(w, minutes(0), client_key="k1", now=minutes(90))
    again, created_again = scan_in(w, minutes(0), client_key="k1", now=minutes(95))
    assert created and not created_again and again.pk == first.pk
    assert again.checked_in_at == minutes(0)  # the time the phone scanned, not the arrival
    assert VolunteerEvent.objects.filter(action="check_in").count() == 1


def test_check_ins_outside_the_window_are_refused(w):
    with pytest.raises(InvalidInput, match="Check-in is open"):
        scan_in(w, minutes(-31))
    with pytest.raises(InvalidInput, match="Check-in is open"):
        scan_in(w, minutes(181))
    scan_in(w, minutes(0))
    with pytest.raises(InvalidInput, match="Check-out closes"):
        scan_out(w, minutes(180 + 121))


def test_a_scan_without_a_valid_activity_code_is_refused(w):
    for code in ("", "not-a-code"):
        with pytest.raises(InvalidInput, match="not the code of an activity"):
            attendance.check_in(actor=w.vol.user, code=code, now=minutes(0))


def test_a_check_in_without_signing_up_is_refused(w):
    other = make_volunteer(w.grid_a, by=w.office.user)
    with pytest.raises(InvalidInput, match="Sign up"):
        attendance.check_in(actor=other.user, code=w.activity.code, now=minutes(0))


def test_a_check_in_far_from_the_place_is_flagged_not_silently_accepted(w):
    participation, _ = scan_in(w, minutes(0), **FAR)
    assert participation.flags == ["check_in_far"]
    participation, _ = scan_out(w, minutes(60), longitude=None, latitude=None)
    assert participation.flags == ["check_in_far", "check_out_no_gps"]


def test_the_organiser_checks_in_a_volunteer_without_a_phone(w):
    elder = make_volunteer(w.grid_a, by=w.office.user, account=False)
    Participation.objects.create(activity=w.activity, volunteer=elder, signed_up_at=minutes(-60))
    p, _ = attendance.check_in(
        actor=w.office.user, code=w.activity.code, volunteer=elder, now=minutes(0)
    )
    assert p.flags == ["check_in_by_organiser"]
    with pytest.raises(NotAllowed):
        attendance.check_in(actor=w.vol.user, code=w.activity.code, volunteer=elder, now=minutes(0))


def test_a_sign_up_beyond_the_places_is_refused(w):
    second = make_volunteer(w.grid_a, by=w.office.user)
    actions.sign_up(actor=second.user, activity=w.activity, now=minutes(-600))
    third = make_volunteer(w.grid_a, by=w.office.user)
    with pytest.raises(InvalidInput, match="All 2 places"):
        actions.sign_up(actor=third.user, activity=w.activity, now=minutes(-600))
    _, created = actions.sign_up(actor=w.vol.user, activity=w.activity, now=minutes(-600))
    assert not created  # signing up again is not an error


def test_only_the_organiser_confirms_and_only_once(w):
    scan_in(w, minutes(0))
    scan_out(w, minutes(60))
    participation = w.activity.participations.get()
    with pytest.raises(NotAllowed):
        attendance.confirm_attendance(
            actor=w.vol.user, participation=participation, now=minutes(400)
        )
    confirm(w)
    with pytest.raises(InvalidInput, match="already confirmed"):
        confirm(w)


def test_the_organiser_corrects_a_forgotten_check_out_and_the_change_is_recorded(w):
    scan_in(w, minutes(0))
    credit = confirm(w, checked_out_at=minutes(90), note="忘记签退")
    assert credit.hours == Decimal("1.50")
    event = VolunteerEvent.objects.get(action="confirm")
    assert event.data["changes"]["checked_out_at"] == [None, minutes(90).isoformat()]
    assert event.actor == w.office.user


def test_credits_are_immutable_and_corrections_are_new_rows(w):
    scan_in(w, minutes(0))
    scan_out(w, minutes(180))
    credit = confirm(w)
    with pytest.raises(ImmutableError):
        credit.save()
    with pytest.raises(ImmutableError):
        credit.delete()
    attendance.correct_hours(
        actor=w.office.user, volunteer=w.vol, activity=w.activity, hours="-1", reason="提前离开"
    )
    assert attendance.total_hours(w.vol) == Decimal("2.00")
    with pytest.raises(InvalidInput, match="below zero"):
        attendance.correct_hours(
            actor=w.office.user, volunteer=w.vol, activity=w.activity, hours="-3", reason="x"
        )
    with pytest.raises(InvalidInput, match="At most"):
        attendance.correct_hours(
            actor=w.office.user, volunteer=w.vol, activity=w.activity, hours="2", reason="x"
        )
    with pytest.raises(NotAllowed):
        attendance.correct_hours(
            actor=w.worker_a.user, volunteer=w.vol, activity=w.activity, hours="1", reason="x"
        )


def test_reaching_a_star_level_notifies_the_volunteer(w, settings):
    settings.CIVGRID_VOLUNTEER_STARS = (3, 6)
    scan_in(w, minutes(0))
    scan_out(w, minutes(180))
    confirm(w)
    notice = Notice.objects.get(event="volunteer_star", user=w.vol.user)
    assert notice.data["level"] == 1


def test_the_organiser_cancels_an_activity_and_those_signed_up_are_told(w):
    with pytest.raises(NotAllowed):
        actions.cancel_activity(
            actor=w.vol.user, activity=w.activity, reason="下雨", now=minutes(-60)
        )
    actions.cancel_activity(
        actor=w.office.user, activity=w.activity, reason="暴雨预警", now=minutes(-60)
    )
    assert (
        Notice.objects.get(event="volunteer_cancelled", user=w.vol.user).data["reason"]
        == "暴雨预警"
    )
    with pytest.raises(InvalidInput, match="cancelled"):
        scan_in(w, minutes(0))


def test_those_signed_up_are_reminded_the_evening_before_once(w):
    from civgrid.volunteers.schedule import remind_tomorrow

    evening = dt.datetime(2026, 5, 8, 10, 0, tzinfo=dt.UTC)  # 18:00 in Beijing, the day before
    assert remind_tomorrow(evening).startswith("1 reminder(s) for 1 activity")
    assert remind_tomorrow(evening).startswith("0 reminder(s)")
    notice = Notice.objects.get(event="volunteer_reminder", user=w.vol.user)
    assert notice.data["place"] == w.activity.place
    assert remind_tomorrow(evening - dt.timedelta(days=1)).startswith("0 reminder(s) for 0")
