import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from civgrid.standards.actions import import_framework
from civgrid.standards.models import Framework, Standard
from civgrid.testing import make_site

from .helpers import ROWS, cells, xlsx

LIST = reverse("standards:list")
IMPORT = reverse("standards:import")
MAP = reverse("standards:map")
DIFF = reverse("standards:diff")


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def var_dir(tmp_path):
    with override_settings(VAR_DIR=tmp_path):
        yield


@pytest.fixture
def edition(world):
    return import_framework(xlsx(ROWS), actor=None, code="2026", name="测评体系2026").framework


def upload(data):
    return SimpleUploadedFile("体系.xlsx", data, "application/octet-stream")


def form(code="2027", **kw):
    return {"code": code, "name": "新版", "edition": "", "notes": "", **kw}


@pytest.mark.parametrize("persona", ["office", "inspector", "leader", "clerk"])
def test_readers_see_the_list_tree_map_and_diff(client, edition, world, persona):
    client.force_login(getattr(world, persona).user)
    assert "测评体系2026" in client.get(LIST).content.decode()
    assert client.get(reverse("standards:detail", args=["2026"])).status_code == 200
    assert client.get(MAP).status_code == 200
    assert client.get(DIFF).status_code == 200


@pytest.mark.parametrize("persona", ["worker_a", "resident"])
def test_grid_workers_and_residents_are_refused_every_page(client, edition, world, persona):
    client.force_login(getattr(world, persona).user)
    standard = edition.standards.first()
    for url in (
        LIST,
        MAP,
        DIFF,
        IMPORT,
        reverse("standards:detail", args=["2026"]),
        reverse("standards:export", args=["2026"]),
        reverse("standards:standard", args=[standard.pk]),
    ):
        assert client.get(url).status_code == 403, url


def test_anonymous_visitors_are_sent_to_log_in(client, edition):
    assert client.get(LIST).status_code == 302


@pytest.mark.parametrize("persona", ["inspector", "leader", "clerk"])
def test_only_the_office_imports_or_makes_an_edition_current(client, edition, world, persona):
    client.force_login(getattr(world, persona).user)
    assert client.get(IMPORT).status_code == 403
    assert client.post(IMPORT, {**form(), "file": upload(xlsx(ROWS))}).status_code == 403
    import_framework(xlsx(ROWS), actor=None, code="2027", name="n")
    url = reverse("standards:make_current", args=["2027"])
    assert client.post(url).status_code == 403
    assert Framework.current().code == "2026"


def test_the_tree_shows_items_contents_standards_points_units_and_questions(client, edition, world):
    client.force_login(world.inspector.user)
    page = client.get(reverse("standards:detail", args=["2026"])).content.decode()
    for text in (
        "公共秩序",
        "市容秩序",
        "01.01.01",
        "无占道经营",
        "城市管理局",
        "市场监督管理局",
        "是否出店经营",
        "Main road",
    ):
        assert text in page, text
    assert "No lead unit" in page  # 02.01.01


def test_a_unit_clerk_sees_only_their_units_standards(client, edition, world):
    client.force_login(world.other_clerk.user)  # 市场监督管理局: 01.01.01 (co), 01.02.01 (lead)
    page = client.get(reverse("standards:detail", args=["2026"])).content.decode()
    assert "01.01.01" in page and "01.02.01" in page
    assert "01.01.02" not in page and "02.01.01" not in page
    hidden = edition.standards.get(code="02.01.01")
    assert client.get(reverse("standards:standard", args=[hidden.pk])).status_code == 404
    shown = edition.standards.get(code="01.02.01")
    assert client.get(reverse("standards:standard", args=[shown.pk])).status_code == 200
    exported = client.get(reverse("standards:export", args=["2026"]))
    assert [row[4] for row in cells(exported.content)[1:]] == ["01.01.01", "01.02.01"]
    mapped = client.get(MAP).content.decode()
    assert "01.02.01" in mapped and "02.01.01" not in mapped


def test_the_tree_filters_by_unit_and_text(client, edition, world):
    client.force_login(world.office.user)
    url = reverse("standards:detail", args=["2026"])
    page = client.get(url, {"unit": world.other_unit.pk}).content.decode()
    assert "01.02.01" in page and "01.01.02" not in page
    page = client.get(url, {"q": "广告"}).content.decode()
    assert "01.01.02" in page and "01.01.01" not in page


def test_export_downloads_the_sheet_that_was_imported(client, edition, world):
    client.force_login(world.office.user)
    response = client.get(reverse("standards:export", args=["2026"]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].startswith("attachment;")
    assert cells(response.content) == cells(xlsx(ROWS))
    assert load_workbook(io.BytesIO(response.content)).sheetnames == ["测评体系", "说明"]


def test_import_checks_first_then_imports_on_confirmation(client, world):
    client.force_login(world.office.user)
    response = client.post(IMPORT, {**form("2026"), "file": upload(xlsx(ROWS))})
    page = response.content.decode()
    assert "Check passed" in page and "4 standards" in page
    assert Framework.objects.count() == 0
    token = response.context["confirm_form"].initial["token"]
    response = client.post(IMPORT, {**form("2026"), "token": token})
    assert response.status_code == 302
    assert response["Location"] == reverse("standards:detail", args=["2026"])
    framework = Framework.objects.get(code="2026")
    assert framework.standards.count() == 4 and framework.is_current
    assert framework.source_name == "体系.xlsx"
    assert framework.imported_by == world.office.user
    # The checked file is used once.
    again = client.post(IMPORT, {**form("2027"), "token": token}, follow=True)
    assert "expired" in again.content.decode()
    assert Framework.objects.count() == 1


def test_a_bad_sheet_shows_its_row_errors_and_changes_nothing(client, world):
    client.force_login(world.office.user)
    rows = [list(r) for r in ROWS]
    rows[2][8] = "无此单位"
    response = client.post(IMPORT, {**form("2026"), "file": upload(xlsx(rows))})
    page = response.content.decode()
    assert "1 error: nothing was imported." in page
    assert "无此单位" in page and "牵头单位" in page
    assert response.context["confirm_form"] is None
    assert Framework.objects.count() == Standard.objects.count() == 0


def test_a_token_from_another_session_is_refused(client, world):
    client.force_login(world.office.user)
    response = client.post(
        IMPORT, {**form("2026"), "token": "0123456789abcdef0123456789abcdef"}, follow=True
    )
    assert "expired" in response.content.decode()
    assert Framework.objects.count() == 0


def test_an_existing_edition_code_is_refused_on_the_form(client, edition, world):
    client.force_login(world.office.user)
    page = client.post(IMPORT, {**form("2026"), "file": upload(xlsx(ROWS))}).content.decode()
    assert "already exists" in page
    assert Framework.objects.count() == 1


def test_the_office_makes_a_new_edition_current(client, edition, world):
    import_framework(xlsx(ROWS[:2]), actor=None, code="2027", name="新版")
    client.force_login(world.office.user)
    response = client.post(reverse("standards:make_current", args=["2027"]))
    assert response.status_code == 302
    assert Framework.current().code == "2027"


def test_the_diff_page_shows_what_changed(client, edition, world):
    rows = [list(r) for r in ROWS]
    rows[0][6] = 5
    import_framework(xlsx(rows[:3]), actor=None, code="2027", name="新版")
    client.force_login(world.office.user)
    response = client.get(DIFF, {"old": "2026", "new": "2027"})
    d = response.context["diff"]
    assert [s.code for s in d.removed] == ["02.01.01"]
    assert [c.code for c in d.changed] == ["01.01.01"]
    page = response.content.decode()
    assert 'data-count="removed">1<' in page and 'data-count="changed">1<' in page
    # Without parameters: the previous edition against the current one (2026 is current).
    default = client.get(DIFF).context
    assert (default["old"].code, default["new"].code) == ("2027", "2026")


def test_the_map_counts_gaps_on_top_and_filters_by_area(client, edition, world):
    make_site(world.grid_a, kind="main_road")
    client.force_login(world.office.user)
    response = client.get(MAP)
    page = response.content.decode()
    # 02.01.01 has no lead; back alley, market and service window have no site.
    m = response.context["map"]
    assert len(m.standards_without_lead) == 1
    assert [g.kind for g in m.kinds_without_sites] == ["back_alley", "market", "service_window"]
    assert f'data-count="gaps">{m.gap_count}<' in page
    assert m.gap_count == 4 + len(m.units_without_standards)
    only = client.get(MAP, {"gaps": "on", "framework": "2026"}).content.decode()
    assert "01.01.02" not in only and "02.01.01" in only
    area = client.get(MAP, {"region": world.area.pk, "framework": "2026"}).context["map"]
    assert area.region == world.area


def test_the_standard_page_lists_the_sites_where_it_is_checked(client, edition, world):
    site = make_site(world.grid_a, kind="main_road", name="人民路")
    make_site(world.grid_b, kind="park", name="人民公园")
    client.force_login(world.leader.user)
    standard = edition.standards.get(code="01.01.02")
    page = client.get(reverse("standards:standard", args=[standard.pk])).content.decode()
    assert site.name in page and "人民公园" not in page


def test_pages_fit_a_phone_and_the_nav_links_them(client, edition, world):
    client.force_login(world.clerk.user)
    page = client.get(LIST).content.decode()
    assert f'href="{MAP}"' in page and "standards.css" in page


def test_a_code_taken_between_check_and_confirmation_is_refused_and_can_be_changed(client, world):
    client.force_login(world.office.user)
    response = client.post(IMPORT, {**form("2026"), "file": upload(xlsx(ROWS))})
    token = response.context["confirm_form"].initial["token"]
    import_framework(xlsx(ROWS[:1]), actor=None, code="2026", name="别人先导入")
    page = client.post(IMPORT, {**form("2026"), "token": token}).content.decode()
    assert "already exists" in page and token in page
    assert Framework.objects.count() == 1
    response = client.post(IMPORT, {**form("2026b"), "token": token})
    assert response.status_code == 302
    assert Framework.objects.get(code="2026b").standards.count() == 4
