"""Changes of the Open311 app: issuing API keys and checking them."""

from __future__ import annotations

import hashlib
import secrets

from django.utils import timezone

from civgrid.open311.models import ApiKey


def hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def set_new_key(key: ApiKey) -> str:
    """Give the (unsaved or saved) key a fresh secret; returns it: it is never stored."""
    raw = secrets.token_urlsafe(24)
    key.key_hash = hash_key(raw)
    key.key_prefix = raw[:8]
    return raw


def create_api_key(name: str) -> tuple[ApiKey, str]:
    """A new key for a client; the raw key is returned once and never stored."""
    key = ApiKey(name=name.strip()[:100])
    raw = set_new_key(key)
    key.save()
    return key, raw


def authenticate(raw: str | None) -> ApiKey | None:
    """The active key matching `raw`, its use recorded; None for a missing or unknown key."""
    if not raw:
        return None
    key = ApiKey.objects.filter(key_hash=hash_key(raw), is_active=True).first()
    if key is not None:
        key.last_used_at = timezone.now()
        key.save(update_fields=["last_used_at"])
    return key
