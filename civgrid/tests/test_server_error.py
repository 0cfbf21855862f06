"""An unexpected error answers 500 in the caller's error shape, not Django's bare page."""

import pytest
from django.test import Client, override_settings

from civgrid import urls

pytestmark = [pytest.mark.django_db, pytest.mark.urls("civgrid.tests.urls_boom")]


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


def test_the_project_names_its_handler():
    assert urls.handler500 == "civgrid.views.server_error"


def test_the_api_answers_its_json_error_body(client):
    response = client.get("/api/v1/boom/")
    assert response.status_code == 500
    assert response.json()["error"] == "server_error"
    assert "Check whether what you sent was saved" in response.json()["message"]


def test_open311_answers_the_specs_error_list_in_json_and_xml(client):
    json_answer = client.get("/open311/v2/boom.json")
    assert json_answer.status_code == 500
    assert json_answer.json()[0]["code"] == 500
    xml_answer = client.get("/open311/v2/boom.xml")
    assert xml_answer.status_code == 500
    assert b"<errors><error><code>500</code>" in xml_answer.content


def test_a_page_answers_a_short_page_in_the_readers_language(client):
    response = client.get("/boom/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 500
    html = response.content.decode()
    assert "服务器出错" in html and "<h1>" in html


@override_settings(DEBUG=False)
def test_nothing_of_the_error_is_shown(client):
    response = client.get("/api/v1/boom/")
    assert "unexpected bug" not in response.content.decode()
    assert "RuntimeError" not in response.content.decode()
