"""Two-factor rules that hold on every page (civgrid.org.twofactor).

- The admin needs a session that showed a code when the account has a device: a session
  begun before the person enrolled (or by any other way in) is logged out and sent to the
  login page, which asks for the code.
- With settings.CIVGRID_REQUIRE_2FA, office and admin accounts without a device are sent to
  enrolment before any other page.

The API is left alone: tokens are not sessions (docs/api.md), and the login pages, enrolment,
logging out and the language switch must stay reachable.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from civgrid.org.twofactor import has_two_factor, must_enrol


class TwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Only the admin and CIVGRID_REQUIRE_2FA need a look at the user: other requests cost
        # no query here.
        in_admin = request.path.startswith(reverse("admin:index"))
        if not (in_admin or settings.CIVGRID_REQUIRE_2FA) or self._exempt(request.path):
            return self.get_response(request)
        user = request.user
        if user.is_authenticated:
            if in_admin and not _verified(request) and has_two_factor(user):
                logout(request)
                return redirect(f"{reverse('login')}?{urlencode({'next': request.path})}")
            if must_enrol(user):
                enrol = reverse("org:two_factor")
                return redirect(f"{enrol}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def _exempt(path: str) -> bool:
        open_paths = {
            reverse("login"),
            reverse("login_code"),
            reverse("logout"),
            reverse("admin:login"),
        }
        prefixes = (
            reverse("org:two_factor"),
            "/" + settings.STATIC_URL.lstrip("/"),
            "/i18n/",
            "/api/",
        )
        return path in open_paths or path.startswith(prefixes)


def _verified(request: HttpRequest) -> bool:
    is_verified = getattr(request.user, "is_verified", None)
    return bool(is_verified and is_verified())
