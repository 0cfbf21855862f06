import random

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from civgrid.cases.tests.api_support import api_as
from civgrid.standards import demo, sample
from civgrid.standards.actions import import_framework
from civgrid.standards.models import Framework

from .helpers import ROWS, demo_units_and_categories, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition(world):
    return import_framework(xlsx(ROWS), actor=None, code="2026", name="测评体系").framework


def test_frameworks_and_a_tree_are_listed_for_readers(edition, world):
    client = api_as(world.inspector)
    listed = client.get("/api/v1/frameworks/").json()
    assert [(f["code"], f["is_current"], f["item_count"], f["standard_count"]) for f in listed] == [
        ("2026", True, 2, 4)
    ]
    tree = client.get("/api/v1/frameworks/2026/").json()
    assert [i["code"] for i in tree["items"]] == ["01", "02"]
    assert [c["code"] for c in tree["items"][0]["contents"]] == ["01.01", "01.02"]
    first = tree["items"][0]["contents"][0]["standards"][0]
    assert first["code"] == "01.01.01" and first["points"] == "3.00"
    assert first["site_kinds"] == ["main_road", "back_alley"]
    assert first["site_kind_labels"] == ["主次干道", "背街小巷"]
    assert first["lead_unit"]["code"] == "CGJ"
    assert [u["code"] for u in first["co_units"]] == ["SCJ"]
    assert first["category"]["code"] == "ZDJY"
    assert first["questions"] == ["是否有流动摊贩", "是否出店经营"]
    assert client.get("/api/v1/frameworks/nope/").status_code == 404


def test_standards_default_to_the_current_edition_and_filter(edition, world):
    client = api_as(world.office)
    codes = lambda r: [s["code"] for s in r.json()["results"]]  # noqa: E731
    assert codes(client.get("/api/v1/standards/")) == [
        "01.01.01",
        "01.01.02",
        "01.02.01",
        "02.01.01",
    ]
    assert codes(client.get("/api/v1/standards/", {"unit": "SCJ"})) == ["01.01.01", "01.02.01"]
    assert codes(client.get("/api/v1/standards/", {"site_kind": "main_road"})) == [
        "01.01.01",
        "01.01.02",
    ]
    assert codes(client.get("/api/v1/standards/", {"item": "02"})) == ["02.01.01"]
    bad = client.get("/api/v1/standards/", {"site_kind": "moon"})
    assert bad.status_code == 400 and bad.json()["field"] == "site_kind"
    assert client.get("/api/v1/standards/", {"framework": "1999"}).status_code == 404


def test_a_clerk_reads_only_their_units_standards_and_others_get_403(edition, world):
    clerk = api_as(world.other_clerk)
    codes = [s["code"] for s in clerk.get("/api/v1/standards/").json()["results"]]
    assert codes == ["01.01.01", "01.02.01"]
    hidden = edition.standards.get(code="02.01.01")
    assert clerk.get(f"/api/v1/standards/{hidden.pk}/").status_code == 404
    assert (
        clerk.get(f"/api/v1/standards/{edition.standards.get(code='01.02.01').pk}/").status_code
        == 200
    )
    for persona in (world.worker_a, world.resident):
        response = api_as(persona).get("/api/v1/standards/")
        assert response.status_code == 403
        assert response.json()["error"] == "permission_denied"
        assert api_as(persona).get("/api/v1/responsibility-map/").status_code == 403
    assert api_as().get("/api/v1/frameworks/").status_code == 401


def test_the_responsibility_map_api_reports_gaps(edition, world):
    response = api_as(world.leader).get("/api/v1/responsibility-map/", {"region": world.area.code})
    body = response.json()
    assert response.status_code == 200, body
    assert body["framework"] == "2026" and body["region"] == world.area.code
    assert body["standards_without_lead"] == ["02.01.01"]
    assert [g["kind"] for g in body["kinds_without_sites"]] == [
        "main_road",
        "back_alley",
        "market",
        "service_window",
    ]
    assert body["gap_count"] == 5  # 1 + 4; every unit answers for a standard
    assert body["rows"][0]["kinds"] == [
        {"kind": "main_road", "label": "主次干道", "sites": 0},
        {"kind": "back_alley", "label": "背街小巷", "sites": 0},
    ]


def test_the_diff_api_compares_two_editions(edition, world):
    import_framework(xlsx(ROWS[:3]), actor=None, code="2027", name="n")
    body = api_as(world.office).get("/api/v1/frameworks/2027/diff/", {"against": "2026"}).json()
    assert [s["code"] for s in body["removed"]] == ["02.01.01"]
    assert body["added"] == [] and body["changed"] == [] and body["unchanged"] == 3


def test_the_command_imports_a_new_edition_and_refuses_a_bad_sheet(world, tmp_path, capsys):
    good = tmp_path / "good.xlsx"
    good.write_bytes(xlsx(ROWS))
    call_command("import-framework", str(good), "--code", "2026", "--name", "体系", "--dry-run")
    assert Framework.objects.count() == 0
    call_command("import-framework", str(good), "--code", "2026", "--name", "体系")
    assert Framework.objects.get(code="2026").source_name == "good.xlsx"
    bad = tmp_path / "bad.xlsx"
    rows = [list(r) for r in ROWS]
    rows[1][6] = "x"
    bad.write_bytes(xlsx(rows))
    with pytest.raises(CommandError):
        call_command("import-framework", str(bad), "--code", "2027", "--name", "体系")
    assert "row 3" in capsys.readouterr().out
    assert Framework.objects.count() == 1


def test_the_demo_hook_imports_the_sample_as_the_current_edition(world):
    demo_units_and_categories()
    import_framework(xlsx(ROWS), actor=None, code="old", name="旧版")

    class District:
        office = world.office.user

    demo.populate(District(), random.Random(1), end=timezone.now(), days=30)  # type: ignore[arg-type]
    current = Framework.current()
    assert current.code == sample.SAMPLE_CODE
    assert current.standards.count() == 37
    assert current.imported_by == world.office.user
