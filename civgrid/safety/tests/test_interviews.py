"""Escalation and warning interviews (约谈): who is listed, recording one, the figures."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from civgrid.cases.errors import InvalidInput, NotAllowed
from civgrid.enterprises.tests.factories import PDF
from civgrid.safety.checks import record_check
from civgrid.safety.escalation import escalation, follow_ups_due, record_interview
from civgrid.safety.figures import figures
from civgrid.safety.models import Interview
from civgrid.safety.tests.factories import answers, build_campaign
from civgrid.testing import PASSWORD, build_city

TZ = timezone.get_default_timezone()


@pytest.fixture
def w(world):
    w = build_campaign(world)
    # The eatery fails the exit (1 working day) and the extinguishers: overdue a week later.
    with time_machine.travel(timezone.now() - dt.timedelta(days=10), tick=False):
        record_check(
            w.assignment_eatery,
            actor=w.inspector.user,
            answers=answers(w, failed=["XF-01", "XF-05"]),
        )
    return w


def interview(w, **kw):
    values = {
        "actor": w.office.user,
        "enterprise": w.eatery,
        "held_on": timezone.localdate(),
        "attendees": "老张烩面馆负责人张师傅；区应急管理局李科长",
        "findings": "安全出口长期锁闭，隐患超期未整改",
        "commitments": "3日内拆除安全出口铁锁\n7日内更换过期灭火器",
        "follow_up_on": timezone.localdate() + dt.timedelta(days=7),
        "record": PDF,
        "campaign": w.campaign,
    }
    values.update(kw)
    return record_interview(**values)


def test_an_enterprise_with_overdue_hazards_is_listed_for_an_interview(w):
    [row] = escalation(w.office.user, timezone.now())
    assert (row.enterprise, row.overdue, row.recent, row.last_interview) == (w.eatery, 2, 2, None)


def test_the_office_records_an_interview_with_its_signed_record(w):
    found = interview(w, hazards=list(w.eatery.hazards.all()))
    assert found.record.read() == PDF and found.hazards.count() == 2
    [row] = escalation(w.office.user, timezone.now())
    assert row.last_interview == timezone.localdate()
    f = figures(w.campaign, timezone.now())
    assert f.interviews == 1 and "1 enterprises summoned" in f.sentence()


def test_only_the_office_records_interviews_and_not_in_the_future(w):
    with pytest.raises(NotAllowed):
        interview(w, actor=w.inspector.user)
    with pytest.raises(InvalidInput):
        interview(w, held_on=timezone.localdate() + dt.timedelta(days=1))
    with pytest.raises(InvalidInput):
        interview(w, follow_up_on=timezone.localdate() - dt.timedelta(days=1))
    assert not Interview.objects.exists()


def test_another_districts_office_cannot_interview_the_enterprise(w):
    build_city(w)
    with pytest.raises(NotAllowed):
        interview(w, actor=w.office2.user)


def test_a_follow_up_is_due_until_the_enterprise_is_checked_again(w):
    interview(w, follow_up_on=timezone.localdate())
    assert [i.enterprise for i in follow_ups_due(w.office.user, timezone.localdate())] == [w.eatery]
    record_check(w.assignment_eatery, actor=w.inspector.user, answers=answers(w))
    assert follow_ups_due(w.office.user, timezone.localdate()) == []


def test_the_pages_list_and_record_an_interview_shown_in_the_file(client, w):
    client.login(username="office", password=PASSWORD)
    assert "老张烩面馆" in client.get(reverse("safety:escalation")).content.decode()
    import io

    upload = io.BytesIO(PDF)
    upload.name = "record.pdf"
    today = timezone.localdate().isoformat()
    response = client.post(
        reverse("safety:interview", args=[w.eatery.pk]),
        {
            "held_on": today,
            "attendees": "张师傅",
            "findings": "安全出口锁闭",
            "commitments": "3日内整改",
            "follow_up_on": today,
            "record": upload,
        },
    )
    assert response.status_code == 302
    found = Interview.objects.get()
    assert found.campaign == w.campaign
    body = client.get(reverse("enterprises:detail", args=[w.eatery.pk])).content.decode()
    assert "安全出口锁闭" in body and "3日内整改" in body
    assert client.get(reverse("safety:interview_record", args=[found.pk])).status_code == 200
    client.login(username="worker_b", password=PASSWORD)
    assert client.get(reverse("safety:interview_record", args=[found.pk])).status_code == 404
