from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.apps import AppConfig
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from civgrid.nav import NavItem

if TYPE_CHECKING:
    from civgrid.notices.models import Notice


def _render_to_decide(notices: Sequence[Notice]) -> tuple[str, str, str]:
    first = notices[0].data
    subject = gettext("%(n)d assistance decision(s) waiting (待审批): %(programme)s") % {
        "n": len(notices),
        "programme": first.get("programme", ""),
    }
    body = gettext("Household %(household)s: a proposal waits for 民政's decision.") % {
        "household": first.get("household", "")
    }
    return subject, body, f"/assistance/beneficiaries/{first.get('beneficiary', '')}/"


def _render_decided(notices: Sequence[Notice]) -> tuple[str, str, str]:
    first = notices[0].data
    subject = gettext("民政 decided on %(n)d proposal(s): %(programme)s") % {
        "n": len(notices),
        "programme": first.get("programme", ""),
    }
    body = gettext("Household %(household)s: see the enrolment for the decision.") % {
        "household": first.get("household", "")
    }
    return subject, body, f"/assistance/beneficiaries/{first.get('beneficiary', '')}/"


def _render_check_due(notices: Sequence[Notice]) -> tuple[str, str, str]:
    first = notices[-1].data
    subject = gettext("%(n)d check visit(s) due (核查走访) in %(period)s") % {
        "n": first.get("count", 0),
        "period": first.get("period", ""),
    }
    body = gettext("Households of the assistance rolls to see before the period ends.")
    return subject, body, "/assistance/checks/"


class AssistanceConfig(AppConfig):
    name = "civgrid.assistance"
    label = "assistance"
    verbose_name = _("Assistance rolls (救助名册)")
    # Links this app adds to the main menu (civgrid/nav.py). Unit clerks who are neither 民政
    # nor a community see an empty roll (the menu filters by role only).
    nav: tuple[NavItem, ...] = (
        NavItem(
            "assistance:roll",
            _("Assistance rolls"),
            roles=frozenset({"office", "unit_clerk"}),
            # A roll is a 台账: beside the ledger for the office, the only place a clerk looks.
            group="ledger",
        ),
        NavItem(
            "assistance:checks",
            _("Check visits"),
            roles=frozenset({"grid_worker"}),
            group="field",
        ),
    )

    # Panels of the start page (civgrid/todo.py).
    todo_panels: tuple[str, ...] = (
        "civgrid.assistance.todo.decisions_waiting",
        "civgrid.assistance.todo.checks_due",
    )

    def ready(self) -> None:
        from civgrid.notices import events

        events.register(
            "assist_to_decide",
            _("Assistance proposal to decide (救助待审批)"),
            render=_render_to_decide,
            channels=("inbox",),
        )
        events.register(
            "assist_decided",
            _("Assistance proposal decided (救助审批结果)"),
            render=_render_decided,
            channels=("inbox",),
        )
        events.register(
            "assist_check_due",
            _("Check visits due (核查走访到期)"),
            render=_render_check_due,
            channels=("inbox", "webpush"),
        )
