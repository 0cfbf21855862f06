"""QR codes printed per grid (网格) or site (点位): they open the public report form with the
place already chosen.

The URL is absolute. It is built from settings.CIVGRID_PUBLIC_URL when set (e.g.
"https://wenming.example.gov.cn": codes printed once must not depend on the host an office
worker happened to use), else from the request.
"""

from __future__ import annotations

import io
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from civgrid.territory.models import Region, Site


def public_base_url(request: HttpRequest | None) -> str:
    base = getattr(settings, "CIVGRID_PUBLIC_URL", None)
    if base:
        return str(base).rstrip("/")
    if request is None:
        return ""
    return request.build_absolute_uri("/").rstrip("/")


def report_url(
    request: HttpRequest | None, *, grid: Region | None = None, site: Site | None = None
) -> str:
    """The public form for this grid or site, e.g. https://host/public/report/?grid=411602001-01-001."""
    query = {"site": site.code} if site is not None else {"grid": grid.code} if grid else {}
    path = reverse("public:report")
    return public_base_url(request) + path + (f"?{urlencode(query)}" if query else "")


def qr_svg(url: str, *, scale: int = 4, title: str = "") -> str:
    """An SVG (no XML declaration, fit to inline in a page) of the URL's QR code."""
    out = io.BytesIO()
    segno.make(url, error="m").save(
        out, kind="svg", scale=scale, border=2, xmldecl=False, svgns=True, title=title or None
    )
    return out.getvalue().decode()


def qr_png(url: str, *, scale: int = 10) -> bytes:
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="png", scale=scale, border=4)
    return out.getvalue()
