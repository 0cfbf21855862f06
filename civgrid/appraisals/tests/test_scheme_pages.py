"""The scheme pages and API: list, tree, import with its report, export, publish; scope."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from civgrid.appraisals import actions
from civgrid.appraisals.models import Scheme
from civgrid.appraisals.tests.factories import five_star_scheme, workbook
from civgrid.testing import PASSWORD

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def login(client, person):
    assert client.login(username=person.user.username, password=PASSWORD)
    return client


def api_for(person):
    client = APIClient()
    client.force_authenticate(person.user)
    return client


def upload(data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("scheme.xlsx", data, XLSX)


def test_the_office_imports_a_scheme_and_sees_its_tree(client, world):
    login(client, world.office)
    page = client.post(reverse("appraisals:scheme_import"), {"file": upload(workbook())})
    assert page.status_code == 200
    assert page.context["result"].ok
    scheme = Scheme.objects.get(code="AQWGY")
    detail = client.get(reverse("appraisals:scheme", args=[scheme.code, scheme.version]))
    text = detail.content.decode()
    assert "按计划完成巡查" in text and "一票否决" in text and "优秀" in text


def test_an_import_with_errors_shows_them_and_writes_nothing(client, world):
    login(client, world.office)
    bad = workbook(points=[["A", "甲", "", "A1", "内容", "A1-1", "要点", "很多", "", "", "否"]])
    page = client.post(reverse("appraisals:scheme_import"), {"file": upload(bad)})
    assert not page.context["result"].ok
    assert "很多" in page.content.decode()
    assert not Scheme.objects.exists()


def test_the_office_publishes_a_draft_from_its_page(client, world):
    scheme = five_star_scheme(world.office.user, publish=False)
    login(client, world.office)
    response = client.post(reverse("appraisals:publish", args=[scheme.code, scheme.version]))
    assert response.status_code == 302
    scheme.refresh_from_db()
    assert scheme.status == Scheme.Status.PUBLISHED


def test_readers_export_the_scheme_and_cannot_change_it(client, world):
    scheme = five_star_scheme(world.office.user, publish=False)
    login(client, world.inspector)
    response = client.get(reverse("appraisals:export", args=[scheme.code, scheme.version]))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["方案", "考评标准", "审核层级"]
    assert client.get(reverse("appraisals:scheme_import")).status_code == 403
    publish = reverse("appraisals:publish", args=[scheme.code, scheme.version])
    assert client.post(publish).status_code == 403
    scheme.refresh_from_db()
    assert scheme.is_draft


def test_grid_workers_and_residents_do_not_see_schemes(client, world):
    five_star_scheme(world.office.user)
    for person in (world.worker_a, world.resident):
        login(client, person)
        assert client.get(reverse("appraisals:schemes")).status_code == 403
        assert api_for(person).get(reverse("api:appraisal-scheme-list")).status_code == 403


def test_another_districts_scheme_is_404_and_the_city_office_sees_both(client, city):
    mine = actions.import_scheme(workbook(), actor=city.office.user).scheme
    assert mine is not None
    city_wide = five_star_scheme(city.city_office.user)
    url = reverse("appraisals:scheme", args=[mine.code, mine.version])
    login(client, city.office2)
    assert client.get(url).status_code == 404
    listed = [s.code for s in client.get(reverse("appraisals:schemes")).context["schemes"]]
    assert listed == [city_wide.code]
    api = api_for(city.office2)
    assert api.get(reverse("api:appraisal-scheme-detail", args=[mine.code, 1])).status_code == 404
    login(client, city.city_office)
    assert client.get(url).status_code == 200
    codes = {
        s["code"]
        for s in api_for(city.city_office).get(reverse("api:appraisal-scheme-list")).json()
    }
    assert codes == {"AQWGY", "WXDZB"}


def test_the_api_gives_a_scheme_as_a_tree(world):
    scheme = five_star_scheme(world.office.user)
    response = api_for(world.clerk).get(
        reverse("api:appraisal-scheme-detail", args=[scheme.code, scheme.version])
    )
    assert response.status_code == 200
    body = response.json()
    assert [d["name"] for d in body["dimensions"]][0] == "责任机制星"
    assert body["dimensions"][0]["criteria"][0]["points"][0]["code"] == "ZR1-1"
    assert [lv["by"] for lv in body["levels"]] == ["subject", "parent", "panel"]
    assert body["point_count"] == 19


def test_the_menu_lists_schemes_for_the_office(client, world):
    login(client, world.office)
    assert reverse("appraisals:schemes") in client.get(reverse("start")).content.decode()
