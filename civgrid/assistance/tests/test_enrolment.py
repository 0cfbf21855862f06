"""Enrolment and its end, two-step: the community proposes, 民政 approves; every change an event."""

import datetime as dt

import pytest

from civgrid.assistance import actions
from civgrid.assistance.models import Beneficiary, BeneficiaryEvent, EndReason
from civgrid.assistance.tests.factories import enrol, id_number
from civgrid.cases.errors import IllegalTransition, InvalidInput, NotAllowed
from civgrid.lib.records import ImmutableError
from civgrid.notices.models import Notice

pytestmark = pytest.mark.django_db
S = Beneficiary.Status
K = BeneficiaryEvent.Kind


def propose(w, **kw):
    defaults = {
        "actor": w.community.user,
        "programme": w.dibao,
        "household": w.home_a,
        "name": "李桂英",
        "id_number": id_number(dt.date(1958, 7, 9)),
        "applied_on": dt.date(2026, 1, 5),
        "persons": 3,
        "bank_account": "6230 5204 6000 1234 567",
    }
    defaults.update(kw)
    return actions.propose_enrolment(**defaults)


def test_a_community_proposal_waits_for_civil_affairs_and_tells_them(rolls):
    b = propose(rolls)
    assert b.status == S.PROPOSED and b.persons == 3
    assert b.starts_on == dt.date(2026, 2, 1)  # paid from the month after the application
    assert b.bank_account == "6230520460001234567"
    event = b.events.get()
    assert (event.kind, event.by, event.by_name) == (K.PROPOSED, rolls.community.user, "社区陈主任")
    notified = set(Notice.objects.filter(event="assist_to_decide").values_list("user", flat=True))
    assert notified == {rolls.mz.user.pk, rolls.mz_b.user.pk}  # not 淮阳区's 民政


def test_civil_affairs_approval_activates_the_enrolment_and_tells_the_proposer(rolls):
    b = actions.approve_enrolment(propose(rolls), actor=rolls.mz.user, note="材料齐全")
    assert b.status == S.ACTIVE and b.approved_by == rolls.mz.user and b.approved_at
    assert list(b.events.values_list("kind", "by_name")) == [
        (K.PROPOSED, "社区陈主任"),
        (K.APPROVED, "民政王科长"),
    ]
    assert Notice.objects.filter(event="assist_decided", user=rolls.community.user).exists()


def test_nobody_approves_their_own_proposal(rolls):
    b = propose(rolls, actor=rolls.mz.user, household=rolls.home_b)
    with pytest.raises(NotAllowed):
        actions.approve_enrolment(b, actor=rolls.mz.user)
    assert actions.approve_enrolment(b, actor=rolls.mz_b.user).status == S.ACTIVE


def test_a_community_cannot_approve_and_an_approved_enrolment_is_not_approved_twice(rolls):
    b = propose(rolls)
    with pytest.raises(NotAllowed):
        actions.approve_enrolment(b, actor=rolls.community.user)
    actions.approve_enrolment(b, actor=rolls.mz.user)
    with pytest.raises(IllegalTransition):
        actions.approve_enrolment(b, actor=rolls.mz_b.user)
    assert b.events.filter(kind=K.APPROVED).count() == 1


def test_a_rejected_proposal_frees_the_person_for_a_new_one(rolls):
    number = id_number(dt.date(1958, 7, 9))
    b = propose(rolls, id_number=number)
    actions.reject_enrolment(b, actor=rolls.mz.user, reason="收入超标")
    assert Beneficiary.objects.get(pk=b.pk).status == S.REJECTED
    assert propose(rolls, id_number=number).status == S.PROPOSED


def test_the_same_person_is_never_twice_on_one_programmes_roll(rolls):
    number = id_number(dt.date(1940, 1, 2))
    propose(rolls, id_number=number)
    with pytest.raises(InvalidInput, match="already on the roll"):
        propose(rolls, id_number=number.lower(), name="又一次")
    # …but may be on two programmes (低保 and 高龄).
    assert propose(rolls, id_number=number, programme=rolls.elderly).status == S.PROPOSED


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("id_number", "110105194912310021", "check digit"),
        ("bank_account", "6230-ABC", "12 to 30 digits"),
        ("name", "  ", "required"),
        ("name", "李\u202e桂英", "not allowed|control|character"),
        ("persons", 0, "Between 1"),
    ],
)
def test_a_bad_proposal_is_refused_and_writes_nothing(rolls, field, value, message):
    with pytest.raises(InvalidInput, match=message):
        propose(rolls, **{field: value})
    assert not Beneficiary.objects.exists() and not BeneficiaryEvent.objects.exists()


def test_the_old_age_allowance_refuses_who_is_not_yet_eighty_on_the_start_date(rolls):
    number = id_number(dt.date(1946, 3, 15))
    with pytest.raises(InvalidInput, match="79"):
        propose(rolls, programme=rolls.elderly, id_number=number, starts_on=dt.date(2026, 3, 1))
    b = propose(rolls, programme=rolls.elderly, id_number=number, starts_on=dt.date(2026, 4, 1))
    assert b.persons == 1  # a person's allowance, whatever was typed


def test_an_end_proposed_is_only_an_end_once_civil_affairs_approves(rolls):
    b = enrol(rolls)
    b = actions.propose_end(
        b, actor=rolls.community.user, reason=EndReason.MOVED_OUT, ends_on=dt.date(2026, 4, 2)
    )
    assert b.status == S.END_PROPOSED and b.ends_on == dt.date(2026, 4, 2)
    assert Notice.objects.filter(event="assist_to_decide", user=rolls.mz.user).count() == 2
    b = actions.approve_end(b, actor=rolls.mz.user)
    assert b.status == S.ENDED and b.end_reason == EndReason.MOVED_OUT
    with pytest.raises(IllegalTransition):
        actions.propose_end(
            b, actor=rolls.mz.user, reason=EndReason.DIED, ends_on=dt.date(2026, 5, 1)
        )


def test_a_refused_end_puts_the_benefit_back_as_it_was(rolls):
    b = enrol(rolls)
    actions.propose_end(
        b, actor=rolls.community.user, reason=EndReason.DIED, ends_on=dt.date(2026, 4, 2)
    )
    b = actions.reject_end(b, actor=rolls.mz.user, reason="本人健在，误报")
    assert (b.status, b.ends_on, b.end_reason) == (S.ACTIVE, None, "")
    assert b.events.last().data["old"] == {"reason": "died", "ends_on": "2026-04-02"}


def test_an_account_change_keeps_old_and_new_masked_in_its_event(rolls):
    b = enrol(rolls)
    actions.change_bank_account(
        b, actor=rolls.mz.user, bank_name="邮储银行", bank_account="6217991234567890"
    )
    event = b.events.get(kind=K.ACCOUNT_CHANGED)
    assert event.data == {
        "old": {"bank": "周口农商银行", "account": "***************4567"},
        "new": {"bank": "邮储银行", "account": "************7890"},
    }
    assert "6217991234567890" not in str(event.data)


def test_events_are_never_changed_or_deleted(rolls):
    event = enrol(rolls).events.first()
    event.note = "改写"
    with pytest.raises(ImmutableError):
        event.save()
    with pytest.raises(ImmutableError):
        event.delete()
