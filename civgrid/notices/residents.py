"""The resident as an addressee: their phone, if they reported without an account and left one,
and the secret of the private link sent with the answer. Read by the outbox (who gets a
notice) and by the delivery (what the message says)."""

from __future__ import annotations

from django.utils.crypto import salted_hmac

from civgrid.cases.models import Case


def resident_phone(case: Case) -> str:
    """A resident who reported without an account and left a phone number."""
    if case.reporter_id is None and hasattr(case, "public_report"):
        return case.reporter_phone.strip()
    return ""


def resident_token(notice_key: str) -> str:
    """The secret of the private link sent with the answer: derived from the notice's key
    with the site's secret, so it is never stored in clear and every retry sends the same."""
    return salted_hmac("civgrid.notices.resident-link", notice_key).hexdigest()[:32]
