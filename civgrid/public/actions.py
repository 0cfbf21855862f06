"""Every change made from the public side (群众反映): a report, a resent report, a rating.

The case is written by civgrid.cases (reporting.report_public_case, actions.rate_public), in
the same transaction as this app's PublicReport row. Abuse checks that need the request (rate limits,
the honeypot) are the views' job and happen before these functions are called.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from civgrid.cases import actions as case_actions
from civgrid.cases import deadlines
from civgrid.cases.actions import InvalidInput, NotAllowed
from civgrid.cases.models import Case, Category, Urgency
from civgrid.cases.photos import PhotoInput
from civgrid.cases.reporting import report_public_case
from civgrid.public.models import Channel, PrivateLink, PublicReport
from civgrid.territory.models import Region, Site

TOKEN_BYTES = 18  # 144 bits: the private link cannot be guessed


@dataclass(frozen=True)
class Submitted:
    """What the resident is told once: the case, the private token, whether it is new."""

    report: PublicReport
    token: str
    created: bool

    @property
    def case(self) -> Case:
        return self.report.case


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def hash_ip(ip: str) -> str:
    return salted_hmac("civgrid.public.ip", ip).hexdigest() if ip else ""


def promised_answer_by(category: Category, reported_at: dt.datetime) -> dt.datetime:
    """By when the resident will get an answer (答复时限): the category's working days for a
    normal case, counted from the report like a unit's deadline (deadlines.py), ending at the
    end of that working day. The office answers within the time the unit has to fix it."""
    return deadlines.compute_due_at(category, Urgency.NORMAL, reported_at)


def actor_label(channel: str, client_name: str = "") -> str:
    """How the record names a member of the public: in the site's language, since it is
    stored (a snapshot, like a person's name), not translated when read."""
    from django.conf import settings

    with translation.override(settings.LANGUAGE_CODE):
        if channel == Channel.OPEN311:
            return _("Open311 client %(name)s") % {"name": client_name or "?"}
        return _("Resident (public page)")


def submit_report(
    *,
    channel: str,
    category: Category,
    description: str,
    longitude: float | None = None,
    latitude: float | None = None,
    address: str = "",
    grid: Region | None = None,
    site: Site | None = None,
    reporter_name: str = "",
    reporter_phone: str = "",
    photos: Iterable[PhotoInput] | None = None,
    client_key: str | None = None,
    key_owner: str = "",
    ip: str = "",
    client_name: str = "",
    data: dict[str, Any] | None = None,
    sender: str = "",
) -> Submitted:
    """A resident's report: the case on the ledger plus its public record, in one transaction.

    A resent form (same client_key) returns the case already made, with a fresh private token:
    the first answer may never have reached the phone. The key is bound to its first sender:
    only the same `sender` (the browser's secret cookie) may resend, anyone else holding the
    key is refused (NotAllowed) and the reporter's link keeps working.
    """
    if channel not in Channel.values:
        raise InvalidInput(_("Unknown channel."), "channel")
    token = secrets.token_urlsafe(TOKEN_BYTES)
    with transaction.atomic():
        case, created = report_public_case(
            channel=channel,
            actor_label=actor_label(channel, client_name),
            category=category,
            description=description,
            longitude=longitude,
            latitude=latitude,
            address=address,
            grid=grid,
            site=site,
            reporter_name=reporter_name,
            reporter_phone=reporter_phone,
            photos=photos,
            client_key=client_key,
            key_owner=key_owner,
            data=data,
        )
        if created:
            report = PublicReport.objects.create(
                case=case,
                channel=channel,
                client_name=client_name[:100],
                token_hash=hash_token(token),
                promised_answer_by=promised_answer_by(case.category, case.created_at),
                ip_hash=hash_ip(ip),
                sender_hash=hash_token(sender) if sender else "",
                created_at=case.created_at,
            )
        else:
            report = PublicReport.objects.select_for_update().get(case=case)
            if not (sender and report.sender_hash) or not constant_time_compare(
                hash_token(sender), report.sender_hash
            ):
                raise NotAllowed(
                    _(
                        "This form was already sent from another browser. Reload the page "
                        "to make a new report."
                    )
                )
            report.token_hash = hash_token(token)
            report.save(update_fields=["token_hash"])
    return Submitted(report, token, created)


def check_token(report: PublicReport, token: str) -> bool:
    """The link given at reporting, or one issued later with the answer (add_private_link)."""
    if not token:
        return False
    hashed = hash_token(token)
    if constant_time_compare(hashed, report.token_hash):
        return True
    return PrivateLink.objects.filter(report=report, token_hash=hashed).exists()


def add_private_link(report: PublicReport, token: str, now: dt.datetime) -> PrivateLink:
    """A further private link for the report, e.g. in the text message with the answer
    (civgrid.notices): the report keeps one hash, so a second link is a second row rather
    than a rotation that would break the link the resident already has."""
    link, _created = PrivateLink.objects.get_or_create(
        token_hash=hash_token(token), defaults={"report": report, "created_at": now}
    )
    return link


def rate_report(
    report: PublicReport, *, token: str, score: int, note: str = "", expected_version: int | None
) -> Case:
    """The resident rates the answer (满意度), once, with the private link's token."""
    if not check_token(report, token):
        raise NotAllowed(_("Only the private link given when you reported can rate the answer."))
    return case_actions.rate_public(
        report.case_id,
        actor_label=actor_label(report.channel, report.client_name),
        expected_version=expected_version,
        score=score,
        note=note,
    )
