"""The paths of the outside test, end to end: a resident's anonymous report, a grid worker's
report page and the API refuse a control character with a clear error and store nothing."""

import datetime as dt
import uuid

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import translation

from civgrid.cases.models import Case
from civgrid.cases.tests.api_support import NEW_CASE, api_as
from civgrid.public.models import PublicReport
from civgrid.testing import PASSWORD

pytestmark = pytest.mark.django_db

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


@time_machine.travel(dt.datetime(2025, 3, 5, 10, 0, tzinfo=SHANGHAI), tick=False)
def test_an_anonymous_report_with_a_bell_character_is_refused_in_chinese(client, world):
    data = {
        "category": world.category.pk,
        "description": "小区门口垃圾\x07堆了三天",
        "longitude": "114.605",
        "latitude": "33.605",
        "address": "国槐街12号",
        "reporter_name": "王先生",
        "reporter_phone": "13900001111",
        "website": "",
        "client_key": str(uuid.uuid4()),
    }
    with translation.override("zh-hans"):
        response = client.post(reverse("public:report"), data, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 400
    assert "含有不可见的控制字符（U+0007）" in response.content.decode()
    assert not Case.objects.exists() and not PublicReport.objects.exists()


def test_the_report_page_refuses_an_escape_character(world):
    client = Client()
    assert client.login(username=world.worker_a.user.username, password=PASSWORD)
    response = client.post(
        reverse("cases:report"),
        {
            "category": world.category.pk,
            "description": "\x1b[31m井盖缺失",
            "longitude": "114.605",
            "latitude": "33.605",
        },
    )
    assert "U+001B" in response.content.decode()
    assert not Case.objects.exists()


def test_the_api_refuses_a_bidi_override_naming_the_field(world):
    with translation.override("en"):
        response = api_as(world.worker_a).post(
            "/api/v1/cases/", {**NEW_CASE, "description": "井盖\u202e缺失"}, format="json"
        )
    assert response.status_code == 400
    assert "U+202E" in str(response.json())
    assert not Case.objects.exists()
