"""Helpers for the API tests: a client that authenticates with a real token, and shortcuts."""

from __future__ import annotations

from typing import Any

from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from civgrid.cases.models import Case


def api_as(who: Any = None, *, language: str = "en") -> APIClient:
    """An API client sending `Authorization: Token …` for a Person or a User (None: anonymous)."""
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    if who is not None:
        user = getattr(who, "user", who)
        token, _created = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def act(client: APIClient, case: Case | int, name: str, *, multipart: bool = False, **data: Any):
    pk = case.pk if isinstance(case, Case) else case
    return client.post(
        f"/api/v1/cases/{pk}/actions/{name}/", data, format="multipart" if multipart else "json"
    )


def detail(client: APIClient, case: Case | int):
    pk = case.pk if isinstance(case, Case) else case
    return client.get(f"/api/v1/cases/{pk}/")


def listed_ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


NEW_CASE = {
    "source": "patrol",
    "category": "ZDJY",
    "description": "国槐街路口占道经营，摊位堵塞人行道",
    "longitude": 114.605,
    "latitude": 33.605,
}
