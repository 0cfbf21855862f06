"""The pages: each role sees its part (404 outside), numbers masked in HTML, a full number only
after a logged POST, decisions and checks through the forms."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from civgrid.assistance.models import Beneficiary, BeneficiaryEvent, CheckVisit
from civgrid.assistance.tests.factories import enrol
from civgrid.testing import PASSWORD

pytestmark = pytest.mark.django_db


def client_for(client, person):
    client.login(username=person.user.username, password=PASSWORD)
    return client


@pytest.fixture
def roll(rolls):
    rolls.b = enrol(rolls, name="张秀兰", persons=2)
    rolls.b2 = enrol(rolls, programme=rolls.dibao2, household=rolls.home2, name="淮阳某")
    return rolls


def test_the_roll_page_shows_each_role_its_part_with_numbers_masked(client, roll):
    page = client_for(client, roll.office).get(reverse("assistance:roll")).content.decode()
    assert "张秀兰" in page and "淮阳某" not in page
    assert roll.b.id_number not in page and roll.b.masked_id in page
    assert "6230520460001234567" not in page and roll.b.masked_account in page
    client.logout()
    page = client_for(client, roll.community).get(reverse("assistance:roll")).content.decode()
    assert "张秀兰" in page and roll.b.masked_account not in page  # no accounts for communities
    client.logout()
    page = client_for(client, roll.clerk).get(reverse("assistance:roll")).content.decode()
    assert "张秀兰" not in page


def test_a_beneficiary_outside_ones_district_is_a_404(client, roll):
    url = reverse("assistance:beneficiary", args=[roll.b.pk])
    for persona in ("office2", "mz2", "community2", "worker_a", "clerk"):
        assert client_for(client, getattr(roll, persona)).get(url).status_code == 404
        client.logout()
    assert client_for(client, roll.city_office).get(url).status_code == 200


def test_civil_affairs_sees_a_full_number_only_through_a_logged_post(client, roll):
    url = reverse("assistance:beneficiary", args=[roll.b.pk])
    c = client_for(client, roll.mz)
    assert roll.b.id_number not in c.get(url).content.decode()
    response = c.post(url, {"action": "id_number"})
    assert roll.b.id_number in response.content.decode()
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    assert roll.b.events.filter(kind="viewed_id", by=roll.mz.user).count() == 1
    client.logout()
    office = client_for(client, roll.office).post(url, {"action": "id_number"})
    assert office.status_code == 403 and roll.b.id_number not in office.content.decode()


def test_a_proposal_made_on_the_page_is_approved_on_the_page(client, roll):
    from civgrid.assistance.tests.factories import id_number

    c = client_for(client, roll.community)
    response = c.post(
        reverse("assistance:propose"),
        {
            "programme": roll.dibao.pk,
            "household": "GH-001",
            "name": "新申报",
            "id_number": id_number(dt.date(1966, 6, 6)),
            "persons": 1,
            "applied_on": "2026-02-03",
            "bank_account": "",
        },
    )
    b = Beneficiary.objects.get(name="新申报")
    assert response.status_code == 302 and b.status == "proposed"
    client.logout()
    c = client_for(client, roll.mz)
    c.post(reverse("assistance:beneficiary", args=[b.pk]), {"action": "approve", "note": "同意"})
    b.refresh_from_db()
    assert b.status == "active" and b.events.last().note == "同意"


def test_a_bad_proposal_shows_its_error_and_writes_nothing(client, roll):
    c = client_for(client, roll.community)
    response = c.post(
        reverse("assistance:propose"),
        {
            "programme": roll.dibao.pk,
            "household": "GH-001",
            "name": "错号",
            "id_number": "110105194912310021",
            "persons": 1,
            "applied_on": "2026-02-03",
        },
    )
    assert response.status_code == 400 and "check digit" in response.content.decode()
    assert not Beneficiary.objects.filter(name="错号").exists()


@time_machine.travel(dt.datetime(2026, 3, 20, 2, 0, tzinfo=dt.UTC), tick=False)
def test_a_grid_worker_records_a_check_on_the_checks_page_and_never_sees_amounts(client, rolls):
    b = enrol(rolls, programme=rolls.elderly, name="周桂花", birth=dt.date(1938, 5, 6))
    c = client_for(client, rolls.worker_a)
    page = c.get(reverse("assistance:checks")).content.decode()
    assert "周桂花" in page and "50.00" not in page and b.masked_id not in page
    response = c.post(
        reverse("assistance:checks"),
        {"beneficiary": b.pk, "client_key": "k1", "outcome": "present", "conditions": "身体好"},
    )
    assert response.status_code == 302
    assert CheckVisit.objects.get().outcome == "present"
    assert "周桂花" not in c.get(reverse("assistance:checks")).content.decode()
    assert c.get(reverse("assistance:roll")).status_code == 200
    assert "周桂花" not in c.get(reverse("assistance:roll")).content.decode()


def test_every_page_answers_each_role_without_error(client, roll):
    urls = [reverse(f"assistance:{n}") for n in ("roll", "runs")]
    for persona in ("office", "mz", "community", "clerk", "worker_a", "inspector", "resident"):
        c = client_for(client, getattr(roll, persona))
        for url in urls:
            assert c.get(url).status_code in (200, 403), (persona, url)
        client.logout()
    assert BeneficiaryEvent.objects.filter(kind__startswith="viewed").count() == 0


def test_the_start_page_shows_民政_its_decisions_and_a_worker_its_checks(rolls):
    from civgrid.assistance import todo

    now = dt.datetime(2026, 3, 20, 2, 0, tzinfo=dt.UTC)
    enrol(rolls, approve=False, name="待批")
    with time_machine.travel(now, tick=False):
        enrol(rolls, programme=rolls.elderly, name="周桂花", birth=dt.date(1938, 5, 6))
    panel = todo.decisions_waiting(rolls.mz.user, "unit_clerk", now)
    assert panel.count == 1 and panel.items[0].label.startswith("待批")
    assert todo.decisions_waiting(rolls.mz2.user, "unit_clerk", now).count == 0
    assert todo.decisions_waiting(rolls.clerk.user, "unit_clerk", now) is None
    checks_panel = todo.checks_due(rolls.worker_a.user, "grid_worker", now)
    assert checks_panel.count == 1 and "周桂花" in checks_panel.items[0].label
    assert todo.checks_due(rolls.worker_b.user, "grid_worker", now).count == 0
