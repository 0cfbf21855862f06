"""Two-factor login (双因素登录) for office and admin accounts: TOTP codes from a phone app.

django-otp keeps the devices (TOTPDevice: a secret key, confirmed once the person typed a
code from it) and marks a session as verified (django_otp.login). civgrid offers it to the
campaign office and to staff (admin) accounts; with settings.CIVGRID_REQUIRE_2FA those
accounts must enrol before anything else. Recovery: an administrator deletes the person's
device in the admin (OTP_TOTP → TOTP devices); the next login asks for no code. See
docs/operations.md.
"""

from __future__ import annotations

import base64
from typing import Any

import django_otp
from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from civgrid.org.models import Role
from civgrid.org.queries import AnyUser, role_of
from civgrid.public.qr import qr_svg

DEVICE_NAME = "civgrid"


def offers_two_factor(user: AnyUser | None) -> bool:
    """Office and admin accounts may (or, with CIVGRID_REQUIRE_2FA, must) use two-factor."""
    if user is None or not user.is_authenticated:
        return False
    return bool(user.is_staff or user.is_superuser or role_of(user) == Role.OFFICE)


def must_enrol(user: AnyUser | None) -> bool:
    """CIVGRID_REQUIRE_2FA is on and this office/admin account has no confirmed device yet."""
    return (
        bool(getattr(settings, "CIVGRID_REQUIRE_2FA", False))
        and offers_two_factor(user)
        and not has_two_factor(user)
    )


def has_two_factor(user: Any) -> bool:
    return bool(django_otp.user_has_device(user, confirmed=True))


def pending_device(user: Any) -> TOTPDevice:
    """The device being enrolled: the same key until confirmed, so a reload keeps the QR."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def confirm_device(device: TOTPDevice, code: str) -> bool:
    """Confirm enrolment with a code from the app; False (nothing changes) when it is wrong."""
    with transaction.atomic():
        if not device.verify_token(clean_code(code)):
            return False
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        # One device per person: a half-finished earlier enrolment is dropped.
        TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    return True


def verify_code(user: Any, code: str) -> TOTPDevice | None:
    """The confirmed device that accepts this code, if any (django-otp refuses a code used
    before and slows down repeated wrong ones)."""
    token = clean_code(code)
    if not token.isdigit():
        return None
    for device in django_otp.devices_for_user(user, confirmed=True):
        if device.verify_token(token):
            return device  # type: ignore[no-any-return]
    return None


def clean_code(code: str) -> str:
    """Phones paste codes as "123 456": spaces and dashes are not part of the code."""
    return "".join(str(code or "").split()).replace("-", "")


def manual_key(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing into an app without a camera."""
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def enrolment_qr(device: TOTPDevice) -> str:
    """The otpauth:// address (issuer civgrid, the user name) as an inline SVG."""
    return qr_svg(device.config_url, scale=5, title="civgrid")
