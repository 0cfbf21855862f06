"""Figures, rankings, the national-system export and the certificate (stats.py, reports.py)."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from civgrid.volunteers import actions, attendance, stats
from civgrid.volunteers.tests.factories import START, make_activity, make_volunteer

pytestmark = pytest.mark.django_db
HERE = {"longitude": 114.605, "latitude": 33.605}
PERIOD = (START - dt.timedelta(days=1), START + dt.timedelta(days=30))


def serve(activity, volunteer, minutes, office):
    actions.sign_up(
        actor=volunteer.user, activity=activity, now=activity.starts_at - dt.timedelta(days=1)
    )
    at = activity.starts_at
    attendance.check_in(actor=volunteer.user, code=activity.code, at=at, now=at, **HERE)
    out = at + dt.timedelta(minutes=minutes)
    attendance.check_out(actor=volunteer.user, code=activity.code, at=out, now=out, **HERE)
    participation = activity.participations.get(volunteer=volunteer)
    return attendance.confirm_attendance(
        actor=office.user, participation=participation, now=activity.ends_at + dt.timedelta(hours=1)
    )


@pytest.fixture
def served(city):
    a1 = make_activity(city.grid_a, by=city.office.user, title="河道清理")
    a2 = make_activity(city.grid_a, by=city.office.user, starts_at=START + dt.timedelta(days=1))
    b1 = make_activity(city.grid2, by=city.office2.user, title="淮阳宣传")
    v1 = make_volunteer(city.grid_a, by=city.office.user, name="张桂兰")
    v2 = make_volunteer(city.grid_a, by=city.office.user, name="陈志强")
    w1 = make_volunteer(city.grid2, by=city.office2.user, name="淮阳志愿者")
    serve(a1, v1, 180, city.office)
    serve(a2, v1, 120, city.office)
    serve(a1, v2, 60, city.office)
    serve(b1, w1, 90, city.office2)
    return city


def test_the_figures_count_volunteers_activities_hours_and_person_times(served):
    f = stats.figures(served.office.user, *PERIOD)
    assert (f.registered, f.active, f.activities, f.person_times) == (2, 2, 2, 3)
    assert f.hours == Decimal("6.00")
    assert f.top_volunteers[0][1:4] == ("张桂兰", "—", Decimal("5.00"))
    assert sum(n for _level, n in f.stars) == 2
    city = stats.figures(served.city_office.user, *PERIOD)
    assert (city.registered, city.activities, city.hours) == (3, 3, Decimal("7.50"))
    other = stats.figures(served.office2.user, *PERIOD)
    assert (other.registered, other.hours) == (1, Decimal("1.50"))


def test_the_figures_page_and_its_workbook(client, served):
    client.force_login(served.office.user)
    query = "?start=2026-05-01&end=2026-05-31"
    page = client.get(reverse("volunteers:figures") + query)
    assert page.status_code == 200 and "张桂兰" in page.content.decode()
    book = client.get(reverse("volunteers:figures_xlsx") + query)
    ws = load_workbook(io.BytesIO(book.content)).worksheets[0]
    values = {row[0]: row[1] for row in ws.iter_rows(min_row=3, values_only=True)}
    assert values["服务人次"] == 3 and values["开展活动次数"] == 2
    client.force_login(served.clerk.user)
    assert client.get(reverse("volunteers:figures")).status_code == 403


def test_the_national_export_has_one_row_per_volunteer_and_activity_for_the_office_only(
    client, served
):
    client.force_login(served.office.user)
    answer = client.get(reverse("volunteers:national_export") + "?start=2026-05-01&end=2026-05-31")
    rows = list(load_workbook(io.BytesIO(answer.content)).worksheets[0].iter_rows(values_only=True))
    assert rows[0][:3] == ("姓名", "证件类型", "证件号码")
    body = sorted((r[0], r[4], float(r[9])) for r in rows[1:])
    assert body == [
        ("张桂兰", "文明交通劝导", 2.0),
        ("张桂兰", "河道清理", 3.0),
        ("陈志强", "河道清理", 1.0),
    ]
    client.force_login(served.worker_a.user)
    assert client.get(reverse("volunteers:national_export")).status_code == 403


def test_a_volunteer_downloads_their_service_record_certificate(client, served):
    from civgrid.volunteers.models import Volunteer

    v1 = Volunteer.objects.get(name="张桂兰")
    v2 = Volunteer.objects.get(name="陈志强")
    client.force_login(v1.user)
    answer = client.get(reverse("volunteers:certificate", args=[v1.pk]))
    text = "\n".join(p.text for p in Document(io.BytesIO(answer.content)).paragraphs)
    assert "张桂兰" in text and "5.00 小时" in text and v1.masked_id_number() in text
    assert client.get(reverse("volunteers:certificate", args=[v2.pk])).status_code == 404
