"""What every phone page shares with the outbox (fieldwork/outbox.js): the API addresses it
sends to and the map tiles. Here, not in a views module, so that the fieldwork and visits
pages can both use it without importing each other's views."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse


def tiles() -> dict[str, str]:
    return {"url": settings.CIVGRID_TILE_URL, "attribution": settings.CIVGRID_TILE_ATTRIBUTION}


def app_context(request: HttpRequest) -> dict[str, Any]:
    """What a page needs to use the outbox (fieldwork/outbox.js): API addresses, the map."""
    return {
        "tiles": tiles(),
        "urls": {
            "cases": reverse("api:case-list"),
            "visits": reverse("api:visit-list"),
            "patrols": reverse("api:patrol-list"),
            "outbox": reverse("fieldwork:outbox"),
            "report": reverse("fieldwork:report"),
            "home": reverse("fieldwork:home"),
            "sw": reverse("fieldwork:sw"),
            "grids": reverse("territory:grids_geojson"),
        },
    }
