"""The safety net behind the SQLite settings: a write that cannot get the lock in time answers
503 with Retry-After (JSON for programs, a short page for people), never 500, and saves
nothing."""

from __future__ import annotations

import json
import re
import sqlite3

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from rest_framework.authtoken.models import Token

from civgrid.cases.models import Case
from civgrid.cases.tests.server_support import call, running_server
from civgrid.open311.actions import create_api_key
from civgrid.testing import PASSWORD, build_world

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="holds SQLite's database-wide write lock, which PostgreSQL does not have",
)


def _report(world) -> dict[str, object]:
    return {
        "source": "patrol",
        "category": world.category.code,
        "description": "井盖缺失",
        "longitude": 114.605,
        "latitude": 33.605,
    }


def test_writes_that_find_the_database_locked_answer_503_with_retry_after_and_save_nothing(
    transactional_db, tmp_path
):
    world = build_world()
    user = world.worker_a.user
    token = Token.objects.create(user=user).key
    # The server runs the production settings, whose hashers do not include the tests' MD5.
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, "saltsaltsalt")
    user.save(update_fields=["password"])
    _key, open311_key = create_api_key("随手拍App")

    # No wait at all for the lock: what a very long write by someone else would look like.
    with running_server(tmp_path, CIVGRID_SQLITE_TIMEOUT="0") as server:
        login_page = call(server.host, "GET", "/login/", headers={"Accept": "text/html"})
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page.text)
        cookie = login_page.headers["set-cookie"].split(";")[0]
        assert csrf is not None and cookie.startswith("csrftoken=")

        holder = sqlite3.connect(server.sqlite_path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            api = call(server.host, "POST", "/api/v1/cases/", token=token, body=_report(world))
            page = call(
                server.host,
                "POST",
                "/login/",
                form={
                    "csrfmiddlewaretoken": csrf.group(1),
                    "username": user.username,
                    "password": PASSWORD,
                },
                headers={"Accept": "text/html", "Cookie": cookie},
            )
            chinese = call(
                server.host,
                "POST",
                "/api/v1/cases/",
                token=token,
                body=_report(world),
                headers={"Accept-Language": "zh-hans"},
            )
            reading = call(server.host, "GET", "/api/v1/cases/", token=token)
            open311 = call(
                server.host,
                "POST",
                "/open311/v2/requests.json",
                form={
                    "api_key": open311_key,
                    "service_code": world.category.code,
                    "lat": "33.605",
                    "long": "114.605",
                    "description": "人行道上摆摊",
                },
            )
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        after = call(server.host, "POST", "/api/v1/cases/", token=token, body=_report(world))

    assert api.status == 503
    assert api.headers["retry-after"] == "5"
    assert api.data["error"] == "busy" and "nothing was saved" in api.data["message"]
    assert chinese.status == 503 and chinese.data["message"].startswith("服务器繁忙")
    assert page.status == 503
    assert page.headers["retry-after"] == "5"
    assert page.headers["content-type"].startswith("text/html")
    assert "nothing was saved" in page.text
    assert reading.status == 200  # readers never wait for a writer (WAL)
    # Open311 clients read the spec's error list, busy or not.
    assert open311.status == 503 and open311.headers["retry-after"] == "5"
    [error] = json.loads(open311.text)
    assert error["code"] == 503 and "nothing was saved" in error["description"]
    assert after.status == 201
    assert Case.objects.count() == 1
