"""A campaign's figures (专项检查成效), from the data, as the seed's sentence says them:
"派出18个检查组，检查企业165家，隐患整改率98.17%，约谈警示企业1家".

Definitions (docs/safety.md): hazards *found* are those of the campaign's checks made up to
`as_of`; *rectified* are those whose ledger case was closed (fixed on the spot, or crossed off by
a passed re-inspection) by `as_of`; 整改率 = rectified / found; *overdue* are open cases whose
deadline passed before `as_of`. Cases are the ledger's own, so these agree with its indicators.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from civgrid.cases.workflow import Status
from civgrid.safety.models import Campaign, Grade, Hazard, SafetyCheck


@dataclass
class CampaignFigures:
    groups: int
    enterprises_assigned: int
    enterprises_checked: int
    hazards: int
    major: int
    general: int
    fixed_on_spot: int
    rectified: int
    overdue: int
    interviews: int = 0
    by_item: list[tuple[str, str, int]] = field(default_factory=list)  # (code, text, count)

    @property
    def rate(self) -> Decimal | None:
        """整改率 in percent, two decimals (98.17), or None without hazards."""
        if not self.hazards:
            return None
        return (Decimal(100 * self.rectified) / self.hazards).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )

    def sentence(self) -> str:
        rate = f"{self.rate}%" if self.rate is not None else "—"
        return _(
            "%(groups)d inspection groups sent, %(checked)d enterprises checked, %(hazards)d "
            "hidden dangers found (%(major)d major), %(on_spot)d fixed on the spot, "
            "rectification rate %(rate)s, %(interviews)d enterprises summoned for a warning "
            "interview."
        ) % {
            "groups": self.groups,
            "checked": self.enterprises_checked,
            "hazards": self.hazards,
            "major": self.major,
            "on_spot": self.fixed_on_spot,
            "rate": rate,
            "interviews": self.interviews,
        }


def campaign_hazards(campaign: Campaign, as_of: dt.datetime) -> QuerySet[Hazard]:
    return Hazard.objects.filter(safety_check__assignment__campaign=campaign, found_at__lte=as_of)


def rectified_q(as_of: dt.datetime) -> Q:
    return Q(case__status=Status.CLOSED, case__closed_at__lte=as_of)


def overdue_q(as_of: dt.datetime) -> Q:
    return (
        Q(case__due_at__lt=as_of)
        & ~rectified_q(as_of)
        & ~Q(case__status__in=[Status.REJECTED, Status.DUPLICATE])
    )


def figures(campaign: Campaign, as_of: dt.datetime) -> CampaignFigures:
    hazards = campaign_hazards(campaign, as_of)
    checks = SafetyCheck.objects.filter(assignment__campaign=campaign, checked_at__lte=as_of)
    grades = Counter(hazards.values_list("grade", flat=True))
    items = Counter(hazards.values_list("item__code", "item__text"))
    return CampaignFigures(
        groups=campaign.groups.count(),
        enterprises_assigned=campaign.assignments.count(),
        enterprises_checked=checks.values("enterprise_id").distinct().count(),
        hazards=sum(grades.values()),
        major=grades.get(Grade.MAJOR, 0),
        general=grades.get(Grade.GENERAL, 0),
        fixed_on_spot=hazards.filter(case__fixed_on_spot=True).count(),
        rectified=hazards.filter(rectified_q(as_of)).count(),
        overdue=hazards.filter(overdue_q(as_of)).count(),
        interviews=campaign.interviews.filter(held_on__lte=timezone.localtime(as_of).date())
        .values("enterprise_id")
        .distinct()
        .count(),
        by_item=sorted(((c, t, n) for (c, t), n in items.items()), key=lambda r: (-r[2], r[0])),
    )
