"""civgrid demo-data: build the 七一路街道 demo district into an empty database."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Count

from civgrid.cases.models import Case, CaseEvent
from civgrid.demo.actions import DemoError, build_demo, demo_apps
from civgrid.org.models import Person, Unit
from civgrid.territory.models import Region, Site


class Command(BaseCommand):
    help = "Build the demo district (川汇区七一路街道: 13 片区, 326 grids, people, cases)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
        parser.add_argument("--cases", type=int, default=3000, help="cases to create (3000)")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing when the database already has regions",
        )
        parser.add_argument(
            "--today",
            type=dt.date.fromisoformat,
            default=None,
            help="build as if today were this date (YYYY-MM-DD), for reproducible builds",
        )
        parser.add_argument(
            "--parts",
            default=None,
            help="comma-separated app labels whose demo parts to build (default: every app's)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if Region.objects.exists():
            if options["if_empty"]:
                self.stdout.write("The database already has regions: demo data not built.")
                return
            raise CommandError(
                "The database already has regions; demo-data builds into an empty database "
                "(use --if-empty to skip quietly)."
            )
        if options["cases"] < 0:
            raise CommandError("--cases cannot be negative")
        parts = None
        if options["parts"] is not None:
            parts = [p.strip() for p in options["parts"].split(",") if p.strip()]
            known = {config.label for config in demo_apps()}
            if unknown := sorted(set(parts) - known):
                raise CommandError(
                    f"--parts: no demo part named {', '.join(unknown)} "
                    f"(there are: {', '.join(sorted(known))})"
                )
        started = time.perf_counter()
        try:
            summary = build_demo(
                seed=options["seed"],
                n_cases=options["cases"],
                today=options["today"],
                parts=parts,
            )
        except DemoError as exc:
            raise CommandError(str(exc)) from exc
        seconds = time.perf_counter() - started
        levels = dict(Region.objects.values_list("level").annotate(n=Count("id")))
        by_status = dict(Case.objects.values_list("status").annotate(n=Count("id")))
        out = self.stdout
        out.write(
            self.style.SUCCESS(f"Demo district built in {seconds:.1f} s (seed {options['seed']}).")
        )
        out.write(
            f"  regions: {levels.get(1, 0)} district, {levels.get(2, 0)} street, "
            f"{levels.get(3, 0)} 片区, {levels.get(4, 0)} grids; {Site.objects.count()} sites"
        )
        out.write(
            f"  units: {Unit.objects.count()}; people: "
            + ", ".join(
                f"{n} {role}"
                for role, n in Person.objects.values_list("role")
                .annotate(n=Count("id"))
                .order_by("role")
            )
        )
        out.write(
            f"  cases: {Case.objects.count()} ({CaseEvent.objects.count()} events, "
            f"up to {summary.end:%Y-%m-%d %H:%M}); by status: "
            + ", ".join(f"{s} {n}" for s, n in sorted(by_status.items()))
        )
        for config in demo_apps():
            counts = [
                f"{n} {model._meta.verbose_name_plural}"
                for model in config.get_models()
                if (n := model._default_manager.count())
            ]
            out.write(f"  {config.verbose_name}: " + ", ".join(counts))
        out.write("  Log in with `civgrid demo-logins` (password demo1234).")
