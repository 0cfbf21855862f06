"""Pages of escalation (约谈): the enterprises to summon, recording an interview, its record."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from civgrid.cases.errors import CaseActionError
from civgrid.enterprises.queries import enterprises_for_user, get_enterprise_for_user
from civgrid.org.decorators import office_required
from civgrid.org.models import Role
from civgrid.org.queries import role_of
from civgrid.safety.escalation import escalation, follow_ups_due, record_interview
from civgrid.safety.forms import InterviewForm
from civgrid.safety.models import Campaign, Hazard, Interview

ESCALATION_ROLES = frozenset({Role.OFFICE, Role.INSPECTOR})


@login_required
@require_GET
def escalation_list(request: HttpRequest) -> HttpResponse:
    """Enterprises with overdue or repeated hidden dangers, and follow-up checks due."""
    if role_of(request.user) not in ESCALATION_ROLES:
        raise PermissionDenied
    now = timezone.now()
    context = {
        "rows": escalation(request.user, now),
        "follow_ups": follow_ups_due(request.user, timezone.localdate(now)),
        "is_office": role_of(request.user) == Role.OFFICE,
    }
    return render(request, "safety/escalation.html", context)


@office_required
@require_http_methods(["GET", "POST"])
def interview(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a warning interview (约谈) of one enterprise."""
    enterprise = get_enterprise_for_user(request.user, pk)
    form = InterviewForm(request.POST or None, request.FILES or None)
    hazards = list(Hazard.objects.filter(enterprise=enterprise).select_related("case", "item"))
    if request.method == "POST" and form.is_valid():
        chosen = set(request.POST.getlist("hazards"))
        try:
            record_interview(
                actor=cast(User, request.user),
                enterprise=enterprise,
                hazards=[h for h in hazards if str(h.pk) in chosen],
                # Counted in the figures of the latest campaign that checked the enterprise.
                campaign=Campaign.objects.filter(assignments__enterprise=enterprise)
                .order_by("-starts_on", "-id")
                .first(),
                **form.cleaned_data,
            )
        except CaseActionError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Warning interview recorded."))
            return redirect("enterprises:detail", pk=enterprise.pk)
    status = 400 if form.errors else 200
    context = {"enterprise": enterprise, "form": form, "hazards": hazards}
    return render(request, "safety/interview.html", context, status=status)


@login_required
@require_GET
def interview_record(request: HttpRequest, pk: int) -> FileResponse:
    """The signed record of an interview, for those who may see the enterprise."""
    found = Interview.objects.filter(
        pk=pk, enterprise__in=enterprises_for_user(request.user)
    ).first()
    if found is None:
        raise Http404(_("No such interview."))
    try:
        handle = found.record.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("No such interview.")) from exc
    response = FileResponse(
        handle, filename=f"约谈记录-{found.held_on}.{str(found.record.name).rsplit('.', 1)[-1]}"
    )
    patch_cache_control(response, private=True, max_age=3600)
    return response
