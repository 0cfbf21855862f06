"""Sources allowed by role (上报来源): a grid worker's own finding is never a resident report.

The table is civgrid.cases.models.SOURCES_BY_ROLE; reporting.report_case enforces it for
pages, the API and the phone app alike, and the report form offers only what it allows.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from civgrid.cases import reporting
from civgrid.cases.errors import InvalidInput
from civgrid.cases.models import SOURCE_GATES, SOURCES_BY_ROLE, Case, Source
from civgrid.cases.tests.api_support import api_as
from civgrid.org.models import Role
from civgrid.testing import ACTOR_FOR_ROLE, PASSWORD

# A gated source (e.g. "volunteer": only a resident who is a registered volunteer) is refused
# to the plain personas; its app tests the gate (civgrid/volunteers/tests/test_ledger.py).
ALLOWED = [
    (role, source)
    for role in Role
    for source in SOURCES_BY_ROLE[role]
    if source not in SOURCE_GATES
]
REFUSED = [
    (role, source)
    for role in Role
    for source in Source
    if source not in SOURCES_BY_ROLE[role] or source in SOURCE_GATES
]


def _report(world, role: str, source: str) -> tuple[Case, bool]:
    return reporting.report_case(
        actor=getattr(world, ACTOR_FOR_ROLE[role]).user,
        source=source,
        category=world.category,
        description="路口井盖缺失",
        longitude=114.605,
        latitude=33.605,
    )


def test_every_role_has_its_sources_and_every_source_someone_who_may_file_it():
    assert set(SOURCES_BY_ROLE) == set(Role)
    assert {s for sources in SOURCES_BY_ROLE.values() for s in sources} == set(Source)
    assert SOURCES_BY_ROLE[Role.GRID_WORKER] == (
        Source.PATROL,
        Source.HOME_VISIT,
        Source.SELF_CHECK,
        Source.SAFETY_INSPECTION,  # the safety checks of enterprises (civgrid/safety)
    )
    assert SOURCES_BY_ROLE[Role.RESIDENT] == (Source.RESIDENT, Source.VOLUNTEER)


@pytest.mark.parametrize(("role", "source"), ALLOWED)
def test_a_role_files_a_report_under_each_source_open_to_it(world, role, source):
    case, created = _report(world, role, source)
    assert created and case.source == source


@pytest.mark.parametrize(("role", "source"), REFUSED)
def test_a_role_cannot_file_a_report_under_a_source_closed_to_it(world, role, source):
    with pytest.raises(InvalidInput) as err:
        _report(world, role, source)
    assert err.value.field == "source"
    assert not Case.objects.exists()


def test_the_refusal_names_the_role_the_source_and_what_is_open_in_chinese_too(world):
    with translation.override("zh-hans"), pytest.raises(InvalidInput) as err:
        _report(world, Role.GRID_WORKER, Source.RESIDENT)
    assert "网格员" in err.value.message and "群众反映" in err.value.message
    assert "网格巡查" in err.value.message and "入户走访" in err.value.message


def test_the_api_answers_400_naming_source_when_a_grid_worker_files_a_resident_report(world):
    response = api_as(world.worker_a).post(
        "/api/v1/cases/",
        {
            "source": "resident",
            "category": "ZDJY",
            "description": "路口井盖缺失",
            "longitude": 114.605,
            "latitude": 33.605,
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid" and response.json()["field"] == "source"
    assert not Case.objects.exists()


@pytest.mark.parametrize("role", list(Role))
def test_the_report_form_offers_only_the_sources_open_to_the_role(client, world, role):
    client.login(username=getattr(world, ACTOR_FOR_ROLE[role]).user.username, password=PASSWORD)
    html = client.get(reverse("cases:report")).content.decode()
    offered = re.findall(r'<option value="([a-z_]+)"(?: selected)?>', html)
    sources = [o for o in offered if o in Source.values]
    open_to_all = [s.value for s in SOURCES_BY_ROLE[role] if s not in SOURCE_GATES]
    assert sources == open_to_all
    assert f'<option value="{open_to_all[0]}" selected>' in html


def test_the_report_form_refuses_a_source_closed_to_the_role(client, world):
    client.login(username="worker_a", password=PASSWORD)
    response = client.post(
        reverse("cases:report"),
        {
            "source": "resident",
            "category": world.category.pk,
            "urgency": "normal",
            "description": "路口井盖缺失",
            "longitude": "114.605",
            "latitude": "33.605",
        },
    )
    assert response.status_code == 400
    assert not Case.objects.exists()


@pytest.mark.parametrize("role", [Role.OFFICE, Role.GRID_WORKER, Role.RESIDENT])
def test_the_phone_report_form_sends_the_roles_usual_source(client, world, role):
    client.login(username=getattr(world, ACTOR_FOR_ROLE[role]).user.username, password=PASSWORD)
    html = client.get(reverse("fieldwork:report")).content.decode()
    assert f'name="source" value="{SOURCES_BY_ROLE[role][0]}"' in html
