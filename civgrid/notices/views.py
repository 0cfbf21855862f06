"""Thin views: the inbox and its bell, preferences, the office's rules, failures and console."""

from __future__ import annotations

import json
from typing import cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from civgrid.cases.errors import CaseActionError
from civgrid.notices import actions, queries
from civgrid.notices.forms import PreferenceForm, RuleForm
from civgrid.notices.models import ConsoleEntry, NoticeRule, Preference
from civgrid.org.decorators import office_required

PAGE = 50


def _user(request: HttpRequest) -> User:
    """The logged-in user (every view here is behind login_required or office_required)."""
    return cast(User, request.user)


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    page = Paginator(queries.inbox_of(_user(request)), PAGE).get_page(request.GET.get("page"))
    return render(request, "notices/inbox.html", {"page": page})


@login_required
@require_GET
def bell(request: HttpRequest) -> HttpResponse:
    """The bell's count, polled by htmx from every page (base.html)."""
    return render(
        request,
        "notices/_bell.html",
        {
            "unread": queries.unread_count(_user(request)),
            "bell_seconds": getattr(settings, "CIVGRID_NOTICES_BELL_SECONDS", 30),
        },
    )


@login_required
@require_POST
def read(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(queries.inbox_of(_user(request)), pk=pk)
    actions.mark_read(_user(request), entry.pk)
    if entry.url and request.POST.get("open"):
        return redirect(entry.url)
    return redirect("notices:inbox")


@login_required
@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    n = actions.mark_all_read(_user(request))
    messages.success(request, _("%(n)d notices marked read.") % {"n": n})
    return redirect("notices:inbox")


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    pref = Preference.objects.filter(user=_user(request)).first() or Preference(user=_user(request))
    initial = {
        "channels_off": pref.channels_off,
        "quiet_from": pref.quiet_from,
        "quiet_until": pref.quiet_until,
        "language": pref.language or settings.LANGUAGE_CODE,
    }
    form = PreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_preference(_user(request), **form.cleaned_data)
        except CaseActionError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Your notice preferences are saved."))
            return redirect("notices:preferences")
    key = getattr(settings, "CIVGRID_VAPID_PUBLIC_KEY", "")
    return render(request, "notices/preferences.html", {"form": form, "vapid_public_key": key})


@login_required
@require_POST
def push_subscribe(request: HttpRequest) -> HttpResponse:
    """The service worker's subscription (JSON as PushSubscription.toJSON() gives it)."""
    try:
        data = json.loads(request.body or b"{}")
        keys = data.get("keys") or {}
        actions.subscribe_push(
            _user(request),
            endpoint=str(data.get("endpoint", "")),
            p256dh=str(keys.get("p256dh", "")),
            auth=str(keys.get("auth", "")),
        )
    except (ValueError, AttributeError):
        return JsonResponse({"error": _("Send the subscription as JSON.")}, status=400)
    except CaseActionError as exc:
        return JsonResponse({"error": exc.message, "field": exc.field}, status=400)
    return JsonResponse({"ok": True}, status=201)


@office_required
def rules(request: HttpRequest) -> HttpResponse:
    rows = list(NoticeRule.objects.all())
    errors: dict[int, str] = {}
    if request.method == "POST":
        rule = get_object_or_404(NoticeRule, pk=request.POST.get("rule"))
        form = RuleForm(request.POST)
        if form.is_valid():
            try:
                actions.update_rule(rule, actor=_user(request), **form.cleaned_data)
            except CaseActionError as exc:
                errors[rule.pk] = exc.message
            else:
                messages.success(request, _("Rule saved: %(rule)s") % {"rule": rule})
                return redirect("notices:rules")
        else:
            errors[rule.pk] = "; ".join(str(e) for es in form.errors.values() for e in es)
    forms = [
        (
            r,
            RuleForm(
                initial={
                    "channels": r.channels,
                    "after_workdays": r.after_workdays,
                    "urgent": r.urgent,
                    "enabled": r.enabled,
                },
                auto_id=f"rule{r.pk}_%s",
            ),
            errors.get(r.pk, ""),
        )
        for r in rows
    ]
    return render(request, "notices/rules.html", {"forms": forms}, status=400 if errors else 200)


@office_required
def failed(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        if actions.retry_delivery(int(request.POST.get("delivery") or 0), actor=_user(request)):
            messages.success(request, _("The delivery will be tried again."))
        return redirect("notices:failed")
    deliveries = queries.failed_deliveries(_user(request))
    return render(request, "notices/failed.html", {"deliveries": deliveries})


@office_required
@require_GET
def console(request: HttpRequest) -> HttpResponse:
    entries = ConsoleEntry.objects.all()[: queries.LIST_LIMIT]
    return render(request, "notices/console.html", {"entries": entries})
