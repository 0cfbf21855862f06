"""`civgrid calendar-status`: which years the working-day calendar really knows.

The State Council publishes next year's holidays around November; until the library is updated
the office enters them as overrides. This command says which years need that.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from civgrid.lib.workdays import library_knows
from civgrid.workcalendar.models import CalendarOverride


class Command(BaseCommand):
    help = "Show whether this year and the next have an official working-day schedule."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--years", type=int, default=2)

    def handle(self, *args: object, **options: object) -> None:
        this_year = timezone.localdate().year
        for year in range(this_year, this_year + int(options["years"])):  # type: ignore[call-overload]
            overrides = CalendarOverride.objects.filter(day__year=year).count()
            if library_knows(dt.date(year, 6, 1)):
                state = "official schedule bundled"
            elif overrides:
                state = f"not bundled; {overrides} override day(s) entered by the office"
            else:
                state = "NOT KNOWN: weekends only until the office enters the holidays"
            self.stdout.write(f"{year}: {state}")
