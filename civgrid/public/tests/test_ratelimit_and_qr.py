"""The fixed-window counter and the QR codes for the office."""

from __future__ import annotations

import pytest
import segno
from django.test import RequestFactory
from django.urls import reverse

from civgrid.public import qr
from civgrid.public.ratelimit import RateLimited, client_ip, hit
from civgrid.testing import PASSWORD, make_site


def test_the_counter_allows_the_limit_then_refuses_until_the_window_ends(settings):
    settings.CIVGRID_PUBLIC_RATE_LIMITS = {"lookup_ip": (2, 60)}
    assert hit("lookup_ip", "1.2.3.4", now=120.0) == 1
    assert hit("lookup_ip", "1.2.3.4", now=130.0) == 2
    with pytest.raises(RateLimited) as refused:
        hit("lookup_ip", "1.2.3.4", now=150.5)
    assert refused.value.retry_after == 30  # the window 120-180 ends in 29.5 s, rounded up
    assert hit("lookup_ip", "5.6.7.8", now=150.0) == 1  # another key has its own count
    assert hit("lookup_ip", "1.2.3.4", now=180.0) == 1  # a new window starts at zero
    assert hit("lookup_ip", "", now=180.0) == 0  # no key, no limit


def test_the_client_ip_comes_from_the_configured_header_last_entry(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 1.1.1.1"
    )
    assert client_ip(request) == "10.0.0.2"
    settings.CIVGRID_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    assert client_ip(request) == "1.1.1.1"


def test_the_report_url_uses_the_public_url_setting_or_the_request(settings, world):
    request = RequestFactory().get("/", HTTP_HOST="localhost")
    assert qr.report_url(request, grid=world.grid_a) == (
        "http://localhost/public/report/?grid=411602001-01-001"
    )
    settings.CIVGRID_PUBLIC_URL = "https://wm.example.gov.cn/"
    site = make_site(world.grid_a, code="S 1")
    assert qr.report_url(request, site=site) == "https://wm.example.gov.cn/public/report/?site=S+1"


def test_the_qr_svg_encodes_the_report_url(client, world):
    assert client.login(username="office", password=PASSWORD)
    response = client.get(reverse("public:qr_image", args=["grid", world.grid_a.code, "svg"]))
    assert response["Content-Type"].startswith("image/svg+xml")
    url = "http://testserver/public/report/?grid=411602001-01-001"
    expected = segno.make(url, error="m")
    body = response.content.decode()
    # The same symbol as segno draws for the expected URL (the path data is the matrix).
    assert qr.qr_svg(url, scale=10, title=world.grid_a.name) in body
    assert expected.version == segno.make(url, error="m").version
    png = client.get(reverse("public:qr_image", args=["grid", world.grid_a.code, "png"]))
    assert png.content.startswith(b"\x89PNG")


def test_the_printable_sheet_has_a_card_per_grid_of_the_area(client, world):
    assert client.login(username="office", password=PASSWORD)
    page = client.get(reverse("public:qr_sheet", args=[world.area.code])).content.decode()
    assert page.count('class="qr-card"') == 2
    assert "国槐街网格" in page and "http://testserver/public/report/?grid=411602001-01-002" in page
    index = client.get(reverse("public:qr_index")).content.decode()
    assert reverse("public:qr_sheet", args=[world.area.code]) in index
    assert reverse("public:qr_index") in index  # the office's menu link


@pytest.mark.parametrize("who", ["worker_a", "clerk", "resident"])
def test_only_the_office_gets_the_qr_pages(client, world, who):
    assert client.login(username=getattr(world, who).user.username, password=PASSWORD)
    assert client.get(reverse("public:qr_index")).status_code == 403
    assert (
        client.get(reverse("public:qr_image", args=["grid", world.grid_a.code, "png"])).status_code
        == 403
    )
