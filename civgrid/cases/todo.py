"""The ledger's panels of the start page (待办, civgrid/todo.py), one function per panel.

Each counts the user's cases (civgrid.cases.queries.cases_for_user, so never wider than their
scope) that need them now, shows the most pressing few and links to the ledger filtered the same
way (the filters of civgrid.cases.forms.LedgerFilterForm), so the count is the list's length.
Each panel costs the same few queries however many cases there are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from civgrid.cases import deadlines
from civgrid.cases.models import Case
from civgrid.cases.queries import cases_for_user, due_soon_q, overdue_q
from civgrid.cases.workflow import CLOSED_STATES, Status
from civgrid.lib import workdays
from civgrid.org.models import Role
from civgrid.org.queries import AnyUser
from civgrid.todo import Panel, PanelItem
from civgrid.workcalendar.queries import get_overrides

FIRST = 5  # items shown per panel; the link opens the rest

OPEN = ~Q(status__in=CLOSED_STATES)


def _item(
    case: Case, now: dt.datetime, soon_until: dt.datetime | None, overrides: workdays.Overrides
) -> PanelItem:
    label = f"{case.tracking_code} · {Truncator(case.description).chars(28)}"
    url = reverse("cases:detail", args=[case.pk])
    if case.due_at is None or case.is_closed:
        return PanelItem(label, url)
    last_day = deadlines.due_day(case.due_at)
    if case.is_overdue(now):
        late = workdays.workdays_between(last_day, timezone.localdate(now), overrides)
        detail = (
            ngettext("overdue %(n)d working day", "overdue %(n)d working days", late) % {"n": late}
            if late > 0
            else gettext("overdue")
        )
        return PanelItem(label, url, detail, "danger")
    soon = soon_until is not None and case.due_at <= soon_until
    detail = gettext("due %(day)s") % {"day": date_format(last_day, "MONTH_DAY_FORMAT")}
    return PanelItem(label, url, detail, "warning" if soon else "")


def case_panel(
    user: AnyUser,
    now: dt.datetime,
    *,
    title: Promise | str,
    where: Q,
    params: dict[str, str],
    order: int,
    level: str = "",
) -> Panel:
    """Cases of the user's scope matching `where`, most pressing deadline first; `params` are
    the ledger filters that select the same cases."""
    cases: QuerySet[Case] = cases_for_user(user).filter(where)
    count = cases.count()
    first = (
        list(cases.order_by(F("due_at").asc(nulls_last=True), "created_at", "id")[:FIRST])
        if count
        else []
    )
    # One look at the calendar per panel shown, however many items it shows.
    soon_until, overrides = None, {}
    if first:
        today = timezone.localdate(now)
        days = [deadlines.due_day(c.due_at) for c in first if c.due_at is not None]
        overrides = get_overrides(min([today, *days]))
        soon_until = deadlines.due_soon_until(now, overrides)
    return Panel(
        title=title,
        count=count,
        url=f"{reverse('cases:ledger')}?{urlencode(params)}",
        items=tuple(_item(case, now, soon_until, overrides) for case in first),
        level=level if count else "",
        order=order,
    )


@dataclass(frozen=True)
class CasePanel:
    """One panel of cases, as data: for `roles`, the cases matching `where(now)`, listed by the
    ledger with `params`. An instance is the panel function the AppConfig names."""

    roles: frozenset[str]
    title: Promise
    where: Callable[[dt.datetime], Q]
    params: dict[str, str]
    order: int
    level: str = ""

    def __call__(self, user: AnyUser, role: str, now: dt.datetime) -> Panel | None:
        if role not in self.roles:
            return None
        return case_panel(
            user,
            now,
            title=self.title,
            where=self.where(now),
            params=self.params,
            order=self.order,
            level=self.level,
        )


def _status(status: str) -> Callable[[dt.datetime], Q]:
    return lambda now: Q(status=status)


CLERK = frozenset({Role.UNIT_CLERK})
REGISTRARS = frozenset({Role.OFFICE, Role.INSPECTOR})

# Cases assigned to my unit and not yet accepted (待签收).
to_accept = CasePanel(
    CLERK,
    _("To accept (待签收)"),
    _status(Status.ASSIGNED),
    {"status": Status.ASSIGNED},
    order=10,
    level="warning",
)
# Fixes the inspectors turned down: to do again (返工).
rework = CasePanel(
    CLERK,
    _("Returned for rework (返工)"),
    _status(Status.REWORK),
    {"status": Status.REWORK},
    order=20,
    level="warning",
)
# Open cases past their deadline (超期): a clerk's unit's, a leader's grids'.
overdue = CasePanel(
    frozenset({Role.UNIT_CLERK, Role.LEADER}),
    _("Overdue (超期)"),
    overdue_q,
    {"overdue": "yes"},
    order=30,
    level="danger",
)
# Open cases due by the end of the next working day (临期).
due_soon = CasePanel(
    CLERK, _("Due soon (临期)"), due_soon_q, {"due": "soon"}, order=40, level="warning"
)
# Reports waiting to be registered (待立案).
to_register = CasePanel(
    REGISTRARS,
    _("Waiting to be registered (待立案)"),
    _status(Status.REPORTED),
    {"status": Status.REPORTED},
    order=10,
    level="warning",
)
# Units' requests for more time, waiting for the office's decision (延期申请).
extension_requests = CasePanel(
    frozenset({Role.OFFICE}),
    _("Extension requests (延期申请)"),
    lambda now: Q(extension_days_requested__isnull=False),
    {"extension": "pending"},
    order=20,
    level="warning",
)
# Fixes the units submitted, waiting to be checked (待核查).
to_verify = CasePanel(
    REGISTRARS,
    _("Fixes to verify (待核查)"),
    _status(Status.SUBMITTED),
    {"status": Status.SUBMITTED},
    order=30,
)


def open_cases(user: AnyUser, role: str, now: dt.datetime) -> Panel | None:
    """A grid worker's grids' open cases; a resident's own open reports (未办结)."""
    titles: dict[str, Promise] = {
        Role.GRID_WORKER: _("Open cases in my grids (未办结)"),
        Role.RESIDENT: _("My open reports (未办结)"),
    }
    if role not in titles:
        return None
    return case_panel(
        user, now, title=titles[role], where=OPEN, params={"status": "open"}, order=50
    )
