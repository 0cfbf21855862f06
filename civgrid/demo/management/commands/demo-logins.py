"""civgrid demo-logins: who you can log in as in the demo district."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from civgrid.demo.queries import demo_logins
from civgrid.org.models import Role

# Without --all, only the first few of the big groups are listed.
SHORT: dict[str, int] = {Role.LEADER: 3, Role.GRID_WORKER: 5, Role.UNIT_CLERK: 20}


class Command(BaseCommand):
    help = "Print the demo logins: username, password, role and who they are."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--all", action="store_true", help="list every account")

    def handle(self, *args: Any, **options: Any) -> None:
        logins = demo_logins()
        if not logins:
            self.stdout.write("No accounts yet: run `civgrid demo-data` first.")
            return
        shown: Counter[str] = Counter()
        hidden: Counter[str] = Counter()
        rows = []
        for login in logins:
            limit = None if options["all"] else SHORT.get(login.role)
            if limit is not None and shown[login.role] >= limit:
                hidden[login.role] += 1
                continue
            shown[login.role] += 1
            rows.append(login)
        width = max(len(r.username) for r in rows)
        pw_width = max(len(r.password) for r in rows)
        self.stdout.write(f"{'username':<{width}}  {'password':<{pw_width}}  {'role':<11}  who")
        for r in rows:
            self.stdout.write(
                f"{r.username:<{width}}  {r.password:<{pw_width}}  {r.role:<11}  {r.name}，{r.who}"
            )
        if hidden:
            more = ", ".join(f"{n} more {role}" for role, n in hidden.items())
            self.stdout.write(f"… and {more} (`civgrid demo-logins --all` lists everyone).")
