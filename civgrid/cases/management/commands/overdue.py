"""`civgrid overdue`: the list of overdue cases by unit (超期未办结清单), for the daily notice.

Reads the partial index case_open_due_idx (open cases by deadline).
"""

from __future__ import annotations

from collections import defaultdict

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from civgrid.cases.deadlines import due_day
from civgrid.cases.models import Case
from civgrid.cases.queries import overdue_q
from civgrid.lib.workdays import workdays_between
from civgrid.workcalendar.queries import get_overrides


class Command(BaseCommand):
    help = "List overdue cases grouped by responsible unit (超期未办结)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", help="only this unit code")

    def handle(self, *args: object, **options: object) -> None:
        now = timezone.now()
        today = timezone.localdate(now)
        cases = (
            Case.objects.filter(overdue_q(now))
            .select_related("unit", "category", "grid")
            .order_by("unit__code", "due_at")
        )
        if options.get("unit"):
            cases = cases.filter(unit__code=options["unit"])
        overrides = get_overrides()
        by_unit: dict[str, list[Case]] = defaultdict(list)
        for case in cases:
            by_unit[case.unit.name if case.unit else "—"].append(case)
        total = sum(len(v) for v in by_unit.values())
        self.stdout.write(f"{today:%Y-%m-%d} overdue cases: {total}")
        for unit, items in by_unit.items():
            self.stdout.write(f"\n{unit}: {len(items)}")
            for case in items:
                late = workdays_between(due_day(case.due_at), today, overrides)  # type: ignore[arg-type]
                self.stdout.write(
                    f"  {case.tracking_code}  {case.category.name}  "
                    f"{case.grid.name if case.grid else ''}  due {due_day(case.due_at):%m-%d}  "  # type: ignore[arg-type]
                    f"{late} working day(s) late  [{case.get_status_display()}]"
                )
