"""Changes of the Open311 app: issuing API keys and checking them."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from civgrid.cases.models import Case
from civgrid.open311.models import ApiKey, Moderation


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


def moderate(case: Case, *, actor: User, text_public: bool) -> Moderation:
    """The office decides whether a resident report's description and address may be
    published through Open311 (a jurisdiction publishing text "after moderation"); the last
    decision counts, with who took it and when."""
    with transaction.atomic():
        mark, _created = Moderation.objects.select_for_update().update_or_create(
            case=case,
            defaults={
                "text_public": text_public,
                "moderated_by": actor,
                "moderated_at": timezone.now(),
            },
        )
    return mark
