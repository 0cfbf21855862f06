import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from civgrid.org.models import Unit
from civgrid.org.tests.test_import_people import xlsx

URL = reverse("org:import_people")
TEMPLATE_URL = reverse("org:people_template")


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def upload(data):
    return SimpleUploadedFile("people.xlsx", data, "application/octet-stream")


def test_the_office_sees_the_form_with_a_link_to_the_template(client, world):
    client.force_login(world.office.user)
    page = client.get(URL).content.decode()
    assert TEMPLATE_URL in page and 'enctype="multipart/form-data"' in page


@pytest.mark.parametrize("persona", ["inspector", "leader", "clerk", "worker_a", "resident"])
def test_only_the_office_may_import_people_or_fetch_the_template(client, world, persona):
    client.force_login(getattr(world, persona).user)
    assert client.get(URL).status_code == 403
    assert client.get(TEMPLATE_URL).status_code == 403
    data = xlsx(units=[["NEW", "新单位", "区直单位", None]])
    assert client.post(URL, {"file": upload(data)}).status_code == 403
    assert not Unit.objects.filter(code="NEW").exists()


def test_the_template_downloads_as_an_xlsx_attachment(client, world):
    client.force_login(world.office.user)
    response = client.get(TEMPLATE_URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].startswith("attachment;")
    assert load_workbook(io.BytesIO(response.content)).sheetnames == ["units", "people", "说明"]


def test_the_office_imports_a_workbook_and_sees_the_counts(client, world):
    client.force_login(world.office.user)
    response = client.post(URL, {"file": upload(xlsx(units=[["NEW", "新单位", "区直单位", None]]))})
    assert "Units: 1 created, 0 updated." in response.content.decode()
    assert Unit.objects.filter(code="NEW").exists()


def test_a_dry_run_from_the_page_imports_nothing(client, world):
    client.force_login(world.office.user)
    data = xlsx(units=[["NEW", "新单位", "区直单位", None]])
    response = client.post(URL, {"file": upload(data), "dry_run": "on"})
    assert "Check passed: nothing was written." in response.content.decode()
    assert not Unit.objects.filter(code="NEW").exists()


def test_a_bad_workbook_shows_sheet_and_row_in_the_error_table(client, world):
    client.force_login(world.office.user)
    data = xlsx(units=[["NEW", "新单位", "区直单位", None], ["BAD", "坏单位", "省直单位", None]])
    page = client.post(URL, {"file": upload(data)}).content.decode()
    assert "1 error: nothing was imported." in page
    assert '<td class="num">3</td>' in page and '<td class="code">BAD</td>' in page
    assert not Unit.objects.filter(code="NEW").exists()
