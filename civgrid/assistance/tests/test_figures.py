"""Figures per programme and period: amounts of locked runs, persons, households, new, ended,
the seed's sentence, by community and grid, Excel, scope."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from civgrid.assistance import actions, figures, runs
from civgrid.assistance.models import EndReason
from civgrid.assistance.tests.factories import enrol
from civgrid.testing import PASSWORD

pytestmark = pytest.mark.django_db
MARCH, APRIL, MAY = dt.date(2026, 3, 1), dt.date(2026, 4, 1), dt.date(2026, 5, 1)


def pay(w, programme, month):
    run = runs.approve_run(runs.draft_run(programme, month, actor=w.mz.user), actor=w.mz.user)
    runs.payment_file(run, actor=w.mz.user)


@pytest.fixture
def paid(rolls):
    w = rolls
    w.three = enrol(w, persons=3, name="张秀兰", starts_on=MARCH)  # grid A
    w.one = enrol(w, household=w.home_b, persons=1, name="赵强")  # grid B, from February
    w.old = enrol(
        w, programme=w.elderly, household=w.home_a2, name="周桂花", birth=dt.date(1935, 1, 1)
    )  # 91: 100 元
    pay(w, w.dibao, MARCH)
    pay(w, w.elderly, MARCH)
    actions.propose_end(w.one, actor=w.mz.user, reason=EndReason.MOVED_OUT, ends_on=APRIL)
    actions.approve_end(w.one, actor=w.mz_b.user)
    pay(w, w.dibao, APRIL)  # 赵强 still paid for April (the month he moved)
    runs.draft_run(w.dibao, MAY, actor=w.mz.user)  # a draft is not money paid
    return w


def by_programme(rows):
    return {r.programme.code: r for r in rows if not r.key}


def test_figures_count_money_that_left_and_the_people_it_reached(paid):
    rows = by_programme(figures.figures(paid.office.user, MARCH, MAY))
    dibao, elderly = rows["CH-DB"], rows["CH-GL"]
    # March: 3×600 + 600; April: 3×600 + 600.
    assert dibao.amount == Decimal("4800.00")
    assert (dibao.households, dibao.persons, dibao.new, dibao.ended) == (2, 4, 1, 1)
    assert (elderly.amount, elderly.persons, elderly.households) == (Decimal("100.00"), 1, 1)


def test_the_seeds_sentence_is_written_from_the_figures(paid):
    rows = figures.figures(paid.office.user, MARCH, MAY)
    assert figures.sentence(rows) == "城市低保4800元，惠及2户4人；高龄补贴100元，惠及1人。"
    assert figures.wan(Decimal("2824000")) == "282.4" and figures.wan(Decimal("1260000")) == "126"


def test_figures_by_community_and_grid_split_the_same_money(paid):
    by_grid = [
        r
        for r in figures.figures(paid.office.user, MARCH, MAY, "grid")
        if r.programme.code == "CH-DB"
    ]
    assert {r.key: r.amount for r in by_grid} == {
        "国槐街网格": Decimal("3600.00"),
        "富民社区网格": Decimal("1200.00"),
    }
    by_area = figures.figures(paid.office.user, MARCH, MAY, "community")
    assert {r.key for r in by_area} == {"第一片区"}


def test_each_office_sees_its_districts_figures_only(paid):
    assert figures.figures(paid.office2.user, MARCH, MAY) == []
    assert by_programme(figures.figures(paid.city_office.user, MARCH, MAY))[
        "CH-DB"
    ].amount == Decimal("4800.00")
    assert figures.figures(paid.mz2.user, MARCH, MAY) == []
    assert figures.figures(paid.community.user, MARCH, MAY) == []


def test_the_figures_page_and_its_excel(client, paid):
    client.login(username="office", password=PASSWORD)
    url = reverse("assistance:figures")
    page = client.get(url, {"start": "2026-03-01", "end": "2026-05-01"}).content.decode()
    assert "城市低保4800元，惠及2户4人" in page
    data = client.get(url, {"start": "2026-03-01", "end": "2026-05-01", "format": "xlsx"}).content
    rows = list(load_workbook(io.BytesIO(data)).active.iter_rows(min_row=3, values_only=True))
    assert rows[0][:5] == ("城市低保", None, 2, 4, 4800)
    client.logout()
    client.login(username="community", password=PASSWORD)
    assert client.get(url).status_code == 403
