"""The findings workbook writes stored text as text: a note or a standard that begins with =
or @ is never a live formula, and a control character stored before they were refused does
not break the export. The checklist refuses such a note."""

import io

import pytest
from openpyxl import load_workbook

from civgrid.inspections import actions
from civgrid.inspections.models import CheckResult
from civgrid.inspections.tests.factories import make_framework, plan, site_of, two_sites
from civgrid.standards.models import Standard
from civgrid.testing import PASSWORD

pytestmark = pytest.mark.django_db


def test_the_findings_workbook_holds_formulas_and_control_characters_as_plain_text(world, client):
    fw = make_framework(world)
    road, market = two_sites(world)
    inspection = plan(world, fw, [road, market])
    actions.record_check(
        site_of(inspection, road), actor=world.inspector.user, standard=fw.s2, outcome="fail"
    )
    CheckResult.objects.update(note="=1+1\x07占道\u202e")
    Standard.objects.filter(pk=fw.s2.pk).update(text='@SUM(A1)\x1b=HYPERLINK("http://x")')
    assert client.login(username=world.office.user.username, password=PASSWORD)
    response = client.get(f"/inspections/{inspection.pk}/findings.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    row = {cell.value: cell.data_type for cell in sheet[2] if isinstance(cell.value, str)}
    assert row["=1+1占道"] == "s"
    assert row['@SUM(A1)=HYPERLINK("http://x")'] == "s"
    assert [c for c in sheet[2] if c.data_type == "f"] == []
