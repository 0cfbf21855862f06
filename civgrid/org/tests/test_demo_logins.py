"""The demo district's logins still work through the login page, lockout and rules on."""

from __future__ import annotations

import datetime as dt

from django.test import TestCase
from django.urls import reverse

from civgrid.demo.actions import CORE_PARTS, build_demo
from civgrid.demo.district import DEMO_PASSWORD
from civgrid.demo.queries import demo_logins


class DemoLoginTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_demo(seed=2026, n_cases=0, today=dt.date(2026, 3, 2), parts=CORE_PARTS)

    def test_every_role_of_the_demo_logs_in_with_the_demo_password(self):
        shown = {}
        for login in demo_logins():
            shown.setdefault(login.role, login)
        assert len(shown) == 6
        for login in shown.values():
            assert login.password == DEMO_PASSWORD
            response = self.client.post(
                reverse("login"), {"username": login.username, "password": DEMO_PASSWORD}
            )
            assert response.status_code == 302, login.username
            assert response["Location"] == reverse("start")
            self.client.post(reverse("logout"))
