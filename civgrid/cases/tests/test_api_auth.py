"""Getting in: tokens, the 401 for everyone else, messages in the reader's language."""

from __future__ import annotations

from civgrid.cases.tests.api_support import api_as
from civgrid.testing import PASSWORD


def test_a_token_is_obtained_with_username_and_password(world):
    response = api_as(None).post(
        "/api/v1/auth/token/", {"username": "clerk", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["role"] == "unit_clerk"
    assert body["name"] == "城管局联络员"
    again = api_as(None).post("/api/v1/auth/token/", {"username": "clerk", "password": PASSWORD})
    assert again.json()["token"] == body["token"]


def test_a_wrong_password_gets_no_token(world):
    response = api_as(None).post(
        "/api/v1/auth/token/", {"username": "clerk", "password": "guess"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid"
    assert "token" not in response.json()


def test_the_token_authenticates_api_requests(world):
    token = (
        api_as(None)
        .post("/api/v1/auth/token/", {"username": "office", "password": PASSWORD}, format="json")
        .json()["token"]
    )
    client = api_as(None)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/cases/").status_code == 200


def test_unauthenticated_requests_get_401_everywhere(world):
    anonymous = api_as(None)
    for url in [
        "/api/v1/cases/",
        "/api/v1/cases/1/",
        "/api/v1/cases/by-code/250101-ABCDEF/",
        "/api/v1/categories/",
        "/api/v1/units/",
        "/api/v1/grids/",
        "/api/v1/grids/locate/?lon=114.605&lat=33.605",
    ]:
        response = anonymous.get(url)
        assert response.status_code == 401, url
        assert response.json()["error"] == "not_authenticated"
    assert anonymous.post("/api/v1/cases/", {}, format="json").status_code == 401
    assert anonymous.post("/api/v1/cases/1/actions/register/", {}).status_code == 401


def test_a_bad_token_gets_401(world):
    client = api_as(None)
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = client.get("/api/v1/cases/")
    assert response.status_code == 401
    assert response.json()["error"] == "authentication_failed"


def test_the_session_of_the_web_pages_also_authenticates(world, client):
    client.login(username="office", password=PASSWORD)
    assert client.get("/api/v1/cases/").status_code == 200


def test_messages_follow_accept_language(world):
    chinese = api_as(None, language="zh-hans").get("/api/v1/cases/")
    english = api_as(None, language="en").get("/api/v1/cases/")
    assert english.json()["message"] == "Authentication credentials were not provided."
    assert chinese.json()["message"] == "身份认证信息未提供。"
    assert chinese.json()["error"] == english.json()["error"] == "not_authenticated"
