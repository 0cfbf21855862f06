"""Every menu page of every role on an existing database (e.g. the demo's): status and time.

    CIVGRID_VAR_DIR=var .venv/bin/python bench/pages.py          # after `make demo` built var/

Logs in as the first person of each role, opens the start page (待办), the ledger and every link the main menu shows
that role (each app's AppConfig.nav), and prints the HTTP status and the milliseconds of one
request through Django's test client (no network). A status other than 200 is marked "!!".
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civgrid.settings")
# The demo's settings (`make demo` runs with CIVGRID_DEBUG=1 and the demo key).
os.environ.setdefault("CIVGRID_DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.apps import apps  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from civgrid.org.models import Person, Role  # noqa: E402


def main() -> int:
    bad = 0
    for role in Role.values:
        person = Person.objects.filter(role=role).select_related("user").order_by("pk").first()
        if person is None:
            print(f"{role:12} (nobody with this role)")
            continue
        client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
        client.force_login(person.user)
        urls = [reverse("start"), reverse("cases:ledger")]
        for config in apps.get_app_configs():
            urls += [
                reverse(i.url_name) + i.query for i in getattr(config, "nav", ()) if role in i.roles
            ]
        for url in dict.fromkeys(urls):  # the ledger is also a menu link
            started = time.perf_counter()
            status = client.get(url).status_code
            ms = (time.perf_counter() - started) * 1000
            bad += status != 200
            flag = "" if status == 200 else "  !!"
            print(f"{role:12} {person.user.username:12} {url:36} {status} {ms:7.0f} ms{flag}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
