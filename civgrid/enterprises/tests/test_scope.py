"""Who sees which file, and whose phones are masked (region scope, regulating unit, grid)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from civgrid.enterprises.tests.factories import make_enterprise
from civgrid.testing import PASSWORD


@pytest.fixture
def two(city):
    city.e1 = make_enterprise(city.grid_a, name="川汇纺织有限公司", regulator=city.other_unit)
    city.e2 = make_enterprise(city.grid2, name="淮阳面粉厂", regulator=city.unit2)
    return city


def page(client, username, enterprise):
    client.login(username=username, password=PASSWORD)
    return client.get(reverse("enterprises:detail", args=[enterprise.pk]))


def test_another_districts_office_cannot_see_the_file(client, two):
    assert page(client, "office_hy", two.e1).status_code == 404
    assert page(client, "office_hy", two.e2).status_code == 200


def test_the_city_office_sees_both_districts(client, two):
    client.login(username="city_office", password=PASSWORD)
    listed = client.get(reverse("enterprises:list")).content.decode()
    assert "川汇纺织有限公司" in listed and "淮阳面粉厂" in listed


def test_the_district_list_holds_only_its_own_enterprises(client, two):
    client.login(username="office", password=PASSWORD)
    listed = client.get(reverse("enterprises:list")).content.decode()
    assert "川汇纺织有限公司" in listed and "淮阳面粉厂" not in listed


def test_another_grids_worker_cannot_see_the_file(client, two):
    assert page(client, "worker_b", two.e1).status_code == 404


def test_the_grid_worker_of_its_grid_sees_masked_contacts(client, two):
    body = page(client, "worker_a", two.e1).content.decode()
    assert "139****5678" in body and "13912345678" not in body


def test_the_regulating_units_clerk_sees_contacts_in_full(client, two):
    body = page(client, "clerk2", two.e1).content.decode()
    assert "13912345678" in body


def test_a_unit_that_does_not_regulate_it_cannot_see_the_file(client, two):
    assert page(client, "clerk", two.e1).status_code == 404


def test_a_resident_cannot_open_the_register(client, two):
    client.login(username="resident", password=PASSWORD)
    assert client.get(reverse("enterprises:list")).status_code == 403


def test_the_api_masks_phones_for_the_grid_worker_and_hides_other_districts(client, two):
    client.login(username="worker_a", password=PASSWORD)
    data = client.get(reverse("api:enterprise-list")).json()
    assert [e["name"] for e in data["results"]] == ["川汇纺织有限公司"]
    assert data["results"][0]["legal_phone"] == "139****5678"
    client.login(username="office_hy", password=PASSWORD)
    assert client.get(reverse("api:enterprise-detail", args=[two.e1.pk])).status_code == 404


def test_a_document_of_another_districts_file_is_a_404(client, two):
    from civgrid.enterprises.tests.factories import make_document

    doc = make_document(two.e1, "business_licence")
    client.login(username="office_hy", password=PASSWORD)
    url = reverse("enterprises:document", args=[two.e1.pk, doc.pk])
    assert client.get(url).status_code == 404
    client.login(username="office", password=PASSWORD)
    assert client.get(url).status_code == 200
