import io

import pytest
from django.core.management import call_command
from django.db import transaction

from civgrid.cases.models import Case, CaseEvent
from civgrid.demo.actions import CORE_PARTS
from civgrid.demo.geometry import build_street_map
from civgrid.fieldwork.models import Patrol
from civgrid.inspections.models import CheckResult
from civgrid.territory.models import Region, Site
from civgrid.visits.models import Household, Visit

pytestmark = pytest.mark.django_db


def build_and_describe(seed):
    """Build a small demo with the command, describe it, and roll it back."""
    with transaction.atomic():
        call_command(
            "demo-data",
            "--seed",
            str(seed),
            "--cases",
            "15",
            "--today",
            "2026-03-02",
            # The slow parts (volunteers, rolls, appraisals, safety) test their own determinism.
            "--parts",
            ",".join(CORE_PARTS),
            stdout=io.StringIO(),
        )
        described = {
            "regions": list(
                Region.objects.order_by("code").values_list(
                    "code", "name", "parent__code", "geometry", "households", "residents"
                )
            ),
            "sites": list(
                Site.objects.order_by("code").values_list(
                    "code", "name", "kind", "longitude", "latitude"
                )
            ),
            "cases": list(
                Case.objects.order_by("tracking_code").values_list(
                    "tracking_code",
                    "status",
                    "created_at",
                    "grid__code",
                    "unit__code",
                    "due_at",
                    "safety_hazard__item__code",
                    "finding__standard__code",
                )
            ),
            # The apps' own demo parts draw from their own seeded sources: as reproducible.
            "households": list(
                Household.objects.order_by("code").values_list(
                    "code", "grid__code", "residents_count", "aged_80_plus", "low_income"
                )
            ),
            "visits": list(
                Visit.objects.order_by("household__code", "visited_at").values_list(
                    "household__code", "visited_at", "visited_by__username"
                )
            ),
            "patrols": list(
                Patrol.objects.order_by("worker__username", "started_at").values_list(
                    "worker__username", "started_at", "ended_at"
                )
            ),
            "checks": list(
                CheckResult.objects.order_by(
                    "inspection_site__inspection__name",
                    "inspection_site__site__code",
                    "standard__code",
                ).values_list(
                    "inspection_site__inspection__name",
                    "inspection_site__site__code",
                    "standard__code",
                    "outcome",
                )
            ),
            "events": list(
                CaseEvent.objects.order_by("case__tracking_code", "created_at", "pk").values_list(
                    "case__tracking_code", "action", "created_at", "actor__username"
                )
            ),
        }
        transaction.set_rollback(True)
    return described


def test_two_builds_with_the_same_seed_are_identical():
    first = build_and_describe(2026)
    second = build_and_describe(2026)
    # 周口市, 川汇区's 341 regions, and 淮阳区 (district, street, two 片区, six grids)
    assert len(first["regions"]) == 1 + 341 + 10
    simulated = [
        case
        for case in first["cases"]
        if case[-1] is None and case[-2] is None and case[3].startswith("411602")
    ]
    # + the mock evaluation's findings, the safety campaign's hidden dangers, 淮阳区's cases
    assert len(simulated) == 15 and len(first["cases"]) > 15 + 12
    assert first["households"] and first["visits"] and first["patrols"] and first["checks"]
    assert first == second


def test_another_seed_draws_another_map():
    a, b = build_street_map(1), build_street_map(2)
    assert not a.grids[0].equals(b.grids[0])
    assert len(a.grids) == len(b.grids) == 326
