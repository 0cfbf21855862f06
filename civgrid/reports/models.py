"""The indicators' own tables: what the ledger says about each case, and daily counts, pre-computed.

The raw ledger (cases and their events) stays the truth. These rows are derived from it and kept
exactly in step inside the transaction of every change (civgrid/reports/aggregates.py, connected
in ReportsConfig.ready); `civgrid rebuild-aggregates` writes them again from the ledger. The
dashboard, rankings and bulletins read them instead of joining cases, events and findings.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseFact(models.Model):
    """One case as the indicators see it (案件统计底表): its groupings and the moments and flags
    every count tests, with the event subqueries (立案 time, late submission) already answered.

    Maintained by civgrid.reports.aggregates.refresh_case; never edited by hand.
    """

    case = models.OneToOneField(
        "cases.Case", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    # The groupings: the case's current ones (see civgrid/reports/indicators).
    district = models.ForeignKey(
        "territory.Region", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    area = models.ForeignKey(
        "territory.Region", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    grid = models.ForeignKey(
        "territory.Region", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    unit = models.ForeignKey("org.Unit", null=True, on_delete=models.SET_NULL, related_name="+")
    category = models.ForeignKey("cases.Category", on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=20)
    standard = models.ForeignKey(
        "standards.Standard", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The moments.
    created_at = models.DateTimeField()
    registered_at = models.DateTimeField(null=True)  # its register event (立案)
    closed_at = models.DateTimeField(null=True)
    due_at = models.DateTimeField(null=True)
    # The flags.
    closed = models.BooleanField(default=False)  # status closed (销号)
    finished = models.BooleanField(default=False)  # closed, rejected or duplicate
    valid = models.BooleanField(default=True)  # neither rejected nor duplicate
    late_submit = models.BooleanField(default=False)  # a submit event at or after due_at
    reworked = models.BooleanField(default=False)
    fixed_on_spot = models.BooleanField(default=False)
    replied = models.BooleanField(default=False)
    satisfaction = models.PositiveSmallIntegerField(null=True)
    duration_us = models.BigIntegerField(null=True)  # closed_at − created_at, microseconds

    class Meta:
        verbose_name = _("case figures")
        verbose_name_plural = _("case figures")
        indexes = [
            # A period's cases are "reported, finished, registered or open in it": each branch
            # of that OR is a range of one of these (see indicators/conditions.py).
            models.Index(fields=["created_at"], name="casefact_created_idx"),
            models.Index(fields=["closed_at"], name="casefact_closed_idx"),
            models.Index(fields=["registered_at"], name="casefact_registered_idx"),
            # Open now: the cases not finished yet, a small part of the ledger.
            models.Index(
                fields=["created_at"],
                name="casefact_open_idx",
                condition=models.Q(closed_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"facts of case {self.case_id}"
