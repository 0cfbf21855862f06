"""Who sees the rolls: 民政 in full, the office masked, a community its own residents, nobody
else; district 2 never sees district 1; every full number read is an event."""

import datetime as dt

import pytest
from django.http import Http404

from civgrid.assistance import actions, queries
from civgrid.assistance.models import BeneficiaryEvent, EndReason
from civgrid.assistance.queries import Access
from civgrid.assistance.tests.factories import enrol
from civgrid.cases.errors import NotAllowed

pytestmark = pytest.mark.django_db


@pytest.fixture
def roll(rolls):
    rolls.b_a = enrol(rolls)  # grid A, 川汇区, proposed by the community
    rolls.b_b = enrol(rolls, household=rolls.home_b)  # grid B, 川汇区, another community's
    rolls.b_2 = enrol(rolls, programme=rolls.dibao2, household=rolls.home2)  # 淮阳区
    return rolls


def seen(w, persona):
    return set(
        queries.beneficiaries_for_user(getattr(w, persona).user).values_list("pk", flat=True)
    )


def test_each_role_sees_exactly_its_part_of_the_rolls(roll):
    a, b, two = roll.b_a.pk, roll.b_b.pk, roll.b_2.pk
    assert seen(roll, "city_office") == {a, b, two}
    assert seen(roll, "office") == {a, b}
    assert seen(roll, "office2") == {two}
    assert seen(roll, "mz") == {a, b}
    assert seen(roll, "mz2") == {two}
    assert seen(roll, "community") == {a}
    assert seen(roll, "community2") == {two}
    for nobody in ("inspector", "leader", "clerk", "worker_a", "worker2", "resident"):
        assert seen(roll, nobody) == set(), nobody


def test_district_two_gets_a_404_for_district_ones_enrolment(roll):
    for persona in ("office2", "mz2", "community2", "inspector2"):
        with pytest.raises(Http404):
            queries.get_beneficiary_for_user(getattr(roll, persona).user, roll.b_a.pk)
    assert queries.get_beneficiary_for_user(roll.city_office.user, roll.b_a.pk) == roll.b_a


def test_access_levels_decide_what_of_an_enrolment_is_shown(roll):
    assert queries.access_to(roll.mz.user, roll.b_a) == Access.CIVIL_AFFAIRS
    assert queries.access_to(roll.office.user, roll.b_a) == Access.OFFICE
    assert queries.access_to(roll.community.user, roll.b_a) == Access.COMMUNITY
    assert queries.access_to(roll.community.user, roll.b_b) == Access.NONE
    assert queries.access_to(roll.mz2.user, roll.b_a) == Access.NONE


def test_civil_affairs_of_district_two_cannot_decide_on_district_one(roll):
    b = actions.propose_end(
        roll.b_a, actor=roll.community.user, reason=EndReason.DIED, ends_on=dt.date(2026, 3, 3)
    )
    with pytest.raises(NotAllowed):
        actions.approve_end(b, actor=roll.mz2.user)
    with pytest.raises(NotAllowed):
        actions.approve_end(b, actor=roll.office.user)
    with pytest.raises(NotAllowed):
        actions.propose_end(
            roll.b_b, actor=roll.community.user, reason=EndReason.DIED, ends_on=dt.date(2026, 3, 3)
        )


def test_a_community_proposes_only_for_its_own_residents(roll):
    with pytest.raises(NotAllowed):
        enrol(roll, household=roll.home2, programme=roll.dibao)
    assert not queries.may_propose_for(roll.community.user, roll.dibao, roll.home_b)
    assert not queries.may_propose_for(roll.worker_a.user, roll.dibao, roll.home_a)
    assert not queries.may_propose_for(roll.office.user, roll.dibao, roll.home_a)
    assert queries.may_propose_for(roll.community.user, roll.dibao, roll.home_a)


def test_only_civil_affairs_reads_a_full_number_and_each_read_is_logged(roll):
    number = actions.reveal(roll.b_a, "id_number", actor=roll.mz.user)
    account = actions.reveal(roll.b_a, "bank_account", actor=roll.mz.user)
    assert number == roll.b_a.id_number and account == "6230520460001234567"
    assert list(roll.b_a.events.filter(kind__startswith="viewed").values_list("kind", "by")) == [
        (BeneficiaryEvent.Kind.VIEWED_ID, roll.mz.user.pk),
        (BeneficiaryEvent.Kind.VIEWED_ACCOUNT, roll.mz.user.pk),
    ]
    for persona in ("office", "community", "city_office", "mz2"):
        with pytest.raises(NotAllowed):
            actions.reveal(roll.b_a, "id_number", actor=getattr(roll, persona).user)
