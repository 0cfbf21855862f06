"""Pages of the assistance rolls (救助名册): thin views over queries, actions, runs and checks.

Every enrolment comes through civgrid.assistance.queries (outside one's view: 404) and is
shown at the user's `Access` level; a full number is shown only after a POST that writes its
event, on a page that is never cached. The payment file is a POST too (it locks the run).
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from civgrid.assistance import actions, checks, figures, rules, runs
from civgrid.assistance.forms import (
    CheckForm,
    DecisionForm,
    DraftForm,
    EndForm,
    ImportForm,
    ProposeForm,
)
from civgrid.assistance.imports import import_roll, template_workbook
from civgrid.assistance.models import Beneficiary, PaymentRun, Programme
from civgrid.assistance.queries import (
    Access,
    access_to,
    beneficiaries_for_user,
    civil_affairs_programme_ids,
    get_beneficiary_for_user,
    is_community,
    may_decide,
    programmes_for_user,
)
from civgrid.cases.errors import CaseActionError, InvalidInput
from civgrid.org.queries import get_person, role_of
from civgrid.org.scope import scope_of
from civgrid.visits.models import Household

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE_SIZE = 50


def _user(request: HttpRequest) -> User:
    """The signed-in user (every view here is behind login_required)."""
    assert isinstance(request.user, User)
    return request.user


def _month_amount(b: Beneficiary, month: dt.date) -> Decimal:
    return rules.monthly_amount(
        list(b.programme.standards.all()),
        birth_on=b.birth_on,
        persons=b.persons,
        per_person=b.programme.basis == Programme.Basis.PERSON,
        month=month,
    )


@login_required
@require_GET
def roll(request: HttpRequest) -> HttpResponse:
    """The roll (救助名册) the user may see, filtered by programme, status and text."""
    qs = beneficiaries_for_user(request.user).select_related("programme", "household__grid")
    programme = request.GET.get("programme", "")
    if programme.isdigit():
        qs = qs.filter(programme_id=int(programme))
    status = request.GET.get("status", "")
    if status in Beneficiary.Status.values:
        qs = qs.filter(status=status)
    q = request.GET.get("q", "").strip()[:50]
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(household__code__icontains=q))
    page = Paginator(
        qs.prefetch_related("programme__standards").order_by("household__code", "name"),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    month = rules.month_start(timezone.localdate())
    mine = civil_affairs_programme_ids(request.user)
    rows = [
        (
            b,
            _month_amount(b, month) if b.status in Beneficiary.PAID else None,
            b.programme_id in mine,
        )
        for b in page
    ]
    person = get_person(request.user)
    context = {
        "page": page,
        "rows": rows,
        "programmes": programmes_for_user(request.user),
        "statuses": Beneficiary.Status.choices,
        "programme": programme,
        "status": status,
        "q": q,
        "may_propose": bool(mine) or is_community(person),
        "may_pay": bool(mine) or role_of(request.user) == "office",
        "may_import": bool(mine),
        "show_account": role_of(request.user) == "office" or bool(mine),
    }
    return render(request, "assistance/roll.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def beneficiary(request: HttpRequest, pk: int) -> HttpResponse:
    """One enrolment, its history and the decisions open to the user."""
    b = get_beneficiary_for_user(request.user, pk)
    access = access_to(request.user, b)
    revealed: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        what = request.POST.get("action", "")
        try:
            if what in actions.REVEALS:
                revealed[what] = actions.reveal(b, what, actor=_user(request))
            elif what in ("approve", "reject", "approve_end", "reject_end"):
                form = DecisionForm(request.POST)
                note = form.cleaned_data["note"] if form.is_valid() else ""
                if what == "approve":
                    actions.approve_enrolment(b, actor=_user(request), note=note)
                elif what == "reject":
                    actions.reject_enrolment(b, actor=_user(request), reason=note)
                elif what == "approve_end":
                    actions.approve_end(b, actor=_user(request), note=note)
                else:
                    actions.reject_end(b, actor=_user(request), reason=note)
                messages.success(request, _("Saved."))
                return redirect("assistance:beneficiary", pk=b.pk)
            elif what == "propose_end":
                end = EndForm(request.POST)
                if not end.is_valid():
                    raise InvalidInput(_("Give the reason and the date of the end."))
                actions.propose_end(
                    b,
                    actor=_user(request),
                    reason=end.cleaned_data["reason"],
                    ends_on=end.cleaned_data["ends_on"],
                    note=end.cleaned_data["note"],
                )
                messages.success(request, _("The end is proposed to 民政."))
                return redirect("assistance:beneficiary", pk=b.pk)
        except CaseActionError as exc:
            messages.error(request, exc.message)
            status = exc.http_status
        b.refresh_from_db()
    S = Beneficiary.Status
    decides = may_decide(request.user, b)
    context: dict[str, Any] = {
        "b": b,
        "access": access,
        "Access": {a.name: a.value for a in Access},
        "show_account": access >= Access.OFFICE,
        "revealed": revealed,
        "events": b.events.all(),
        "checks": b.checks.all()[:20],
        "amount": _month_amount(b, rules.month_start(timezone.localdate())),
        "may_approve": decides and b.status == S.PROPOSED,
        "may_decide_end": decides and b.status == S.END_PROPOSED,
        "may_propose_end": b.status == S.ACTIVE
        and access in (Access.COMMUNITY, Access.CIVIL_AFFAIRS),
        "end_form": EndForm(initial={"ends_on": timezone.localdate()}),
    }
    return render(request, "assistance/beneficiary.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def propose(request: HttpRequest) -> HttpResponse:
    """A community (or 民政) proposes an enrolment (申报)."""
    person = get_person(request.user)
    mine = civil_affairs_programme_ids(request.user)
    if not mine and not is_community(person):
        raise PermissionDenied
    programmes = programmes_for_user(request.user).filter(is_active=True)
    form = ProposeForm(request.POST or None, programmes=programmes)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        household = (
            Household.objects.filter(code=data["household"], is_active=True)
            .filter(scope_of(request.user).q("grid"))
            .first()
        )
        if household is None:
            form.add_error("household", _("No such household in your register."))
        else:
            try:
                b = actions.propose_enrolment(
                    actor=_user(request),
                    programme=data["programme"],
                    household=household,
                    name=data["name"],
                    id_number=data["id_number"],
                    applied_on=data["applied_on"],
                    starts_on=data["starts_on"],
                    persons=data["persons"],
                    bank_name=data["bank_name"],
                    bank_account=data["bank_account"],
                    note=data["note"],
                )
            except CaseActionError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("Proposed: 民政 has been told."))
                return redirect("assistance:beneficiary", pk=b.pk)
        status = 400
    return render(request, "assistance/propose.html", {"form": form}, status=status)


# --- payment runs -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def run_list(request: HttpRequest) -> HttpResponse:
    """Payment runs (发放批次) and, for 民政, the form to draft a month."""
    mine = Programme.objects.filter(pk__in=civil_affairs_programme_ids(request.user))
    form = DraftForm(request.POST or None, programmes=mine) if mine else None
    status = 200
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                run = runs.draft_run(
                    form.cleaned_data["programme"], form.cleaned_data["month"], actor=_user(request)
                )
            except CaseActionError as exc:
                form.add_error(None, exc.message)
            else:
                return redirect("assistance:run", pk=run.pk)
        status = 400
    items = runs.runs_for_user(request.user).select_related("programme", "district")[:200]
    return render(request, "assistance/runs.html", {"runs": items, "form": form}, status=status)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def run(request: HttpRequest, pk: int) -> HttpResponse:
    """One run: totals, changes against last month, who was not seen, approve, payment file."""
    item = runs.get_run_for_user(request.user, pk)
    status = 200
    if request.method == "POST":
        what = request.POST.get("action", "")
        try:
            if what == "redraft":
                runs.draft_run(
                    item.programme, item.month, actor=_user(request), district=item.district
                )
            elif what == "approve":
                runs.approve_run(item, actor=_user(request))
                messages.success(request, _("Approved. Write the payment file to pay it out."))
            elif what == "file":
                data = runs.payment_file(item, actor=_user(request))
                response = HttpResponse(data, content_type=XLSX)
                name = f"{item.programme.code}-{item.month:%Y-%m}-代发.xlsx"
                response["Content-Disposition"] = content_disposition_header(True, name)
                return response
            return redirect("assistance:run", pk=item.pk)
        except CaseActionError as exc:
            messages.error(request, exc.message)
            status = exc.http_status
        item.refresh_from_db()
    may_pay = runs.may_pay(request.user, item.programme, item.district)
    lines = item.lines.select_related("beneficiary__household").order_by(
        "beneficiary__household__code", "for_month"
    )
    context = {
        "run": item,
        "R": PaymentRun.Status,
        "changes": runs.changes(item),
        "not_seen": checks.not_seen(item) if item.status == PaymentRun.Status.DRAFT else [],
        "lines": lines[:500],
        "line_count": lines.count(),
        "may_pay": may_pay,
        "events": item.events.all(),
    }
    return render(request, "assistance/run.html", context, status=status)


# --- check visits (grid workers) -------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def check_list(request: HttpRequest) -> HttpResponse:
    """The check visits due in the worker's grids (核查走访), each with its short form."""
    if role_of(request.user) not in checks.CHECK_ROLES:
        raise PermissionDenied
    status = 200
    if request.method == "POST":
        form = CheckForm(request.POST)
        if form.is_valid():
            b = checks.get_checkable_for_user(request.user, form.cleaned_data["beneficiary"])
            try:
                checks.record_check(
                    actor=_user(request),
                    beneficiary=b,
                    outcome=form.cleaned_data["outcome"],
                    conditions=form.cleaned_data["conditions"],
                    happened_on=form.cleaned_data["happened_on"],
                    client_key=form.cleaned_data["client_key"],
                )
            except CaseActionError as exc:
                messages.error(request, exc.message)
                status = exc.http_status
            else:
                messages.success(request, _("Check visit recorded."))
                return redirect("assistance:checks")
        else:
            messages.error(request, _("Check the form."))
            status = 400
    due = checks.due(checks.checkable(request.user), timezone.localdate())
    items = [
        (d, CheckForm(initial={"beneficiary": d.beneficiary_id, "client_key": uuid.uuid4().hex}))
        for d in due
    ]
    return render(request, "assistance/checks.html", {"items": items}, status=status)


# --- import ---------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def import_view(request: HttpRequest) -> HttpResponse:
    """民政 uploads the existing roll; errors come back as a table, nothing half-written."""
    if not civil_affairs_programme_ids(request.user):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = import_roll(
            form.cleaned_data["file"].read(),
            actor=_user(request),
            dry_run=form.cleaned_data["dry_run"],
        )
    return render(request, "assistance/import.html", {"form": form, "result": result})


@login_required
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    if not civil_affairs_programme_ids(request.user):
        raise PermissionDenied
    response = HttpResponse(template_workbook(), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, "救助名册导入模板.xlsx")
    return response


# --- figures -------------------------------------------------------------------------------------


def _day(text: str, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return default


@login_required
@require_GET
def figures_view(request: HttpRequest) -> HttpResponse:
    """Figures per programme and period (救助统计), by community or grid; Excel on request."""
    if not figures.programmes_for_figures(request.user).exists():
        raise PermissionDenied
    today = timezone.localdate()
    start = _day(request.GET.get("start", ""), dt.date(today.year, 1, 1))
    end = _day(request.GET.get("end", ""), dt.date(today.year + 1, 1, 1))
    group = request.GET.get("group", "programme")
    rows = figures.figures(request.user, start, end, group)
    totals = figures.figures(request.user, start, end) if group != "programme" else rows
    if request.GET.get("format") == "xlsx":
        caption = f"救助资金发放统计 {start:%Y-%m-%d}至{end - dt.timedelta(days=1):%Y-%m-%d}"
        response = HttpResponse(figures.workbook(rows, caption=caption), content_type=XLSX)
        response["Content-Disposition"] = content_disposition_header(True, "救助统计.xlsx")
        return response
    context = {
        "rows": rows,
        "sentence": figures.sentence(totals),
        "start": start,
        "end": end,
        "group": group,
        "groups": figures.GROUPS,
    }
    return render(request, "assistance/figures.html", context)
