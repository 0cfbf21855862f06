from typing import Any

import django_otp
from axes.handlers.proxy import AxesProxyHandler
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from civgrid.org.actions import import_people as import_people_action
from civgrid.org.decorators import office_required
from civgrid.org.forms import CodeForm, PeopleImportForm
from civgrid.org.imports import KIND_LABELS, ROLE_LABELS, template_workbook
from civgrid.org.logins import lockout_message, retry_after_seconds
from civgrid.org.twofactor import (
    confirm_device,
    enrolment_qr,
    has_two_factor,
    manual_key,
    offers_two_factor,
    pending_device,
    verify_code,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@office_required
@require_http_methods(["GET", "POST"])
def import_people(request: HttpRequest) -> HttpResponse:
    """Upload units and people as an Excel workbook (单位人员导入); errors come back as a table."""
    form = PeopleImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = import_people_action(
            form.cleaned_data["file"].read(),
            actor=request.user,
            dry_run=form.cleaned_data["dry_run"],
        )
    return render(
        request,
        "org/import_people.html",
        {
            "form": form,
            "result": result,
            "roles": ROLE_LABELS.values(),
            "kinds": KIND_LABELS.values(),
        },
    )


@office_required
@require_GET
def people_template(request: HttpRequest) -> HttpResponse:
    """The empty workbook with the expected sheets and headers (导入模板)."""
    response = HttpResponse(template_workbook(), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, "单位人员导入模板.xlsx")
    return response


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """django-axes's lockout answer (settings.AXES_LOCKOUT_CALLABLE) for the login page and the
    admin: the login page again, refused, saying when to retry (429, Retry-After)."""
    response = render(
        request,
        "registration/locked_out.html",
        {"message": lockout_message(request)},
        status=429,
    )
    response["Retry-After"] = str(retry_after_seconds(request))
    return response


# --- logging in: password, then the two-factor code when the account has a device -----------

PENDING = "civgrid_2fa_pending"  # session key: who passed the password step, and where to go


class LoginView(auth_views.LoginView):
    """Django's login page; an account with a confirmed two-factor device is not logged in
    yet after its password but sent to the code step (login_code)."""

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        if not has_two_factor(user):
            return super().form_valid(form)
        self.request.session.cycle_key()
        self.request.session[PENDING] = {
            "user": user.pk,
            "backend": getattr(user, "backend", None),
            "next": self.get_success_url(),
        }
        return redirect("login_code")


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def login_code(request: HttpRequest) -> HttpResponse:
    """Second step (输入验证码): the code from the app. A wrong code counts as a failed login
    for the lockout, like a wrong password."""
    pending: dict[str, Any] = request.session.get(PENDING) or {}
    user = get_user_model().objects.filter(pk=pending.get("user") or 0).first()
    if user is None:
        return redirect("login")
    credentials = {"username": user.get_username()}
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not AxesProxyHandler.is_allowed(request, credentials):
            user_login_failed.send(sender=__name__, credentials=credentials, request=request)
            return locked_out(request)
        device = verify_code(user, form.cleaned_data["code"])
        if device is not None:
            del request.session[PENDING]
            auth_login(request, user, backend=pending["backend"])
            django_otp.login(request, device)
            return HttpResponseRedirect(pending["next"])
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        if getattr(request, "axes_locked_out", False):
            return locked_out(request)
        form.add_error("code", _("That code is not right. Type the code your app shows now."))
    return render(request, "registration/login_code.html", {"form": form, "username": user})


@require_GET
def admin_login(request: HttpRequest) -> HttpResponse:
    """The admin logs in through the login page, so the lockout and the code step are the same
    for everyone (the admin's own form knows nothing of the code)."""
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = ""
    return redirect_to_login(target or reverse("admin:index"))


def redirect_to_login(next_url: str) -> HttpResponse:
    return auth_views.redirect_to_login(next_url, reverse("login"))


@login_required
@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    """Turn on two-factor login (开启双因素登录): scan the QR code (or type the key) into an
    authenticator app, confirm with a code."""
    if not offers_two_factor(request.user):
        raise PermissionDenied
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        next_url = ""
    if has_two_factor(request.user):
        return render(request, "org/two_factor.html", {"enrolled": True})
    device = pending_device(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if confirm_device(device, form.cleaned_data["code"]):
            django_otp.login(request, device)  # this session has just shown a code
            messages.success(request, _("Two-factor login is on: every login will ask for a code."))
            return redirect(next_url or "start")
        form.add_error("code", _("That code is not right. Type the code your app shows now."))
    return render(
        request,
        "org/two_factor.html",
        {
            "enrolled": False,
            "form": form,
            "qr": enrolment_qr(device),
            "key": manual_key(device),
            "next": next_url,
        },
    )
