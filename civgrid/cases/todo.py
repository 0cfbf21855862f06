"""The ledger's panels of the start page (待办, civgrid/todo.py), one function per panel.

Each counts the user's cases (civgrid.cases.queries.cases_for_user, so never wider than their
scope) that need them now, shows the most pressing few and links to the ledger filtered the same
way (the filters of civgrid.cases.forms.LedgerFilterForm), so the count is the list's length.
Each panel costs the same few queries however many cases there are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from urllib.parse import urlencode

from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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
            else _("overdue")
        )
        return PanelItem(label, url, detail, "danger")
    soon = soon_until is not None and case.due_at <= soon_until
    detail = _("due %(day)s") % {"day": date_format(last_day, "MONTH_DAY_FORMAT")}
    return PanelItem(label, url, detail, "warning" if soon else "")


def case_panel(
    user: AnyUser,
    now: dt.datetime,
    *,
    title: str,
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


PanelFunction = Callable[[AnyUser, str, dt.datetime], Panel | None]


def _for(*roles: str) -> Callable[[PanelFunction], PanelFunction]:
    """The panel is for these roles only: anyone else gets None (no panel)."""

    def decorate(function: PanelFunction) -> PanelFunction:
        def panel(user: AnyUser, role: str, now: dt.datetime) -> Panel | None:
            return function(user, role, now) if role in roles else None

        panel.__doc__ = function.__doc__
        return panel

    return decorate


@_for(Role.UNIT_CLERK)
def to_accept(user: AnyUser, role: str, now: dt.datetime) -> Panel | None:
    """Cases assigned to my unit and not yet accepted (待签收)."""
    return case_panel(
        user,
        now,
        title=_("To accept (待签收)"),
        where=Q(status=Status.ASSIGNED),
        params={"status": Status.ASSIGNED},
        order=10,
        level="warning",
    )


@_for(Role.UNIT_CLERK)
def rework(user: AnyUser, role: str, now: dt.datetime) -> Panel | None:
    """Fixes the inspectors turned down: to do again (返工)."""
    return case_panel(
        user,
        now,
        title=_("Returned for rework (返工)"),
        where=Q(status=Status.REWORK),
        params={"status": Status.REWORK},
        order=20,
        level="warning",
    )


@_for(Role.UNIT_CLERK, Role.LEADER)
def overdue(user: AnyUser, role: str, now: dt.datetime) -> Panel | None:
    """Open cases past their deadline (超期): a clerk's unit's, a leader's grids'."""
    return case_panel(
        user,
        now,
        title=_("Overdue (超期)"),
        where=overdue_q(now),
        params={"overdue": "yes"},
        order=30,
        level="danger",
    )


@_for(Role.UNIT_CLERK)
def due_soon(user: AnyUser, role: str, now: dt.datetime) -> Panel | None:
    """Open cases due by the end of the next working day (临期)."""
    return case_panel(
        user,
        now,
        title=_("Due soon (临期)"),
        where=due_soon_q(now),
        params={"due": "soon"},
        order=40,
        level="warning",
    )


@_for(Role.GRID_WORKER, Role.RESIDENT)
def open_cases(user: AnyUser, role: str, now: dt.datetime) -> Panel | None:
    """A grid worker's grids' open cases; a resident's own open reports."""
    title = (
        _("Open cases in my grids (未办结)")
        if role == Role.GRID_WORKER
        else _("My open reports (未办结)")
    )
    return case_panel(user, now, title=title, where=OPEN, params={"status": "open"}, order=50)


@_for(Role.OFFICE, Role.INSPECTOR)
def to_register(user: AnyUser, role: str, now: dt.datetime) -> Panel | None:
    """Reports waiting to be registered (待立案)."""
    return case_panel(
        user,
        now,
        title=_("Waiting to be registered (待立案)"),
        where=Q(status=Status.REPORTED),
        params={"status": Status.REPORTED},
        order=10,
        level="warning",
    )


@_for(Role.OFFICE)
def extension_requests(user: AnyUser, role: str, now: dt.datetime) -> Panel | None:
    """Units' requests for more time, waiting for the office's decision (延期申请)."""
    return case_panel(
        user,
        now,
        title=_("Extension requests (延期申请)"),
        where=Q(extension_days_requested__isnull=False),
        params={"extension": "pending"},
        order=20,
        level="warning",
    )


@_for(Role.OFFICE, Role.INSPECTOR)
def to_verify(user: AnyUser, role: str, now: dt.datetime) -> Panel | None:
    """Fixes the units submitted, waiting to be checked (待核查)."""
    return case_panel(
        user,
        now,
        title=_("Fixes to verify (待核查)"),
        where=Q(status=Status.SUBMITTED),
        params={"status": Status.SUBMITTED},
        order=30,
    )
