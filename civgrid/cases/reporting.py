"""Putting a problem on the ledger (上报): by someone with a role, or by a member of the public.

`report_case` is the report of a registered person (grid worker, inspector, office, clerk,
resident with an account); `report_public_case` is the anonymous report of a resident through
the public page or an Open311 client (civgrid.public, civgrid.open311). Both check the input
with the same code (`_clean_report`) and write the case and its "report" event the same way.

Callers import them from here. The steps shared with the workflow actions (checking text
and photos, writing an event, closing a case fixed on the spot) are in civgrid.cases.steps,
the refusals in civgrid.cases.errors: this module and civgrid.cases.actions import those, not
each other.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civgrid.cases.errors import InvalidInput, NotAllowed
from civgrid.cases.models import Case, CasePhoto, Category, Source, Urgency, sources_for
from civgrid.cases.photos import PhotoInput, attach_photos
from civgrid.cases.steps import (
    actor_snapshot,
    clean_photos,
    clean_text,
    close_on_spot,
    ref,
    write_event,
)
from civgrid.cases.workflow import TRANSITIONS, Status
from civgrid.lib.codes import tracking_code
from civgrid.lib.photos import CleanPhoto
from civgrid.org.models import Role
from civgrid.org.queries import role_of
from civgrid.org.scope import scope_of
from civgrid.territory.models import Region, Site
from civgrid.territory.queries import locate_grid

MAX_CLIENT_KEY = 100
# Roles whose reports must lie in their region scope; grid workers, leaders and residents
# report what they see wherever they are.
DISTRICT_STAFF = frozenset({Role.OFFICE, Role.INSPECTOR, Role.UNIT_CLERK})
# The channels a member of the public reports through (群众反映的渠道), see report_public_case.
PUBLIC_CHANNELS = ("web", "open311")


def _new_tracking_code(now: dt.datetime) -> str:
    day = timezone.localtime(now).date()
    for _attempt in range(10):
        code = tracking_code(day)
        if not Case.objects.filter(tracking_code=code).exists():
            return code
    raise RuntimeError("could not draw a free tracking code")


@dataclass(frozen=True)
class _CleanReport:
    """A report's input, checked: what `_create_case` writes."""

    category: Category
    urgency: str
    description: str
    address: str
    longitude: float | None
    latitude: float | None
    grid: Region
    site: Site | None
    reporter_phone: str
    photos: list[CleanPhoto]


def _scoped_key(owner: str, client_key: str | None) -> str | None:
    """The stored form of a client's idempotency key: a digest of (owner, key), fixed length
    whatever the owner, and one owner's keys can never collide with another's."""

    key = (client_key or "").strip()
    if len(key) > MAX_CLIENT_KEY:
        raise InvalidInput(
            _("The client key is too long (at most %(n)d characters).") % {"n": MAX_CLIENT_KEY},
            "client_key",
        )
    return hashlib.sha256(f"{owner}:{key}".encode()).hexdigest() if key else None


def _clean_report(
    *,
    category: Category,
    description: str,
    urgency: str,
    longitude: float | None,
    latitude: float | None,
    address: str,
    grid: Region | None,
    site: Site | None,
    reporter_phone: str,
    photos: Iterable[PhotoInput] | None,
) -> _CleanReport:
    """Check a report's input, the same for every reporter; InvalidInput names the field."""

    if urgency not in Urgency.values:
        raise InvalidInput(_("Unknown urgency."), "urgency")
    if not category.is_active:
        raise InvalidInput(_("This category is no longer in use."), "category")
    description = clean_text(description, "description", required=True, label=_("Description"))
    reporter_phone = (reporter_phone or "").strip()
    digits = reporter_phone.replace("-", "").replace(" ", "")
    if reporter_phone and not (digits.isascii() and digits.isdigit()):
        raise InvalidInput(_("The phone number may only contain digits."), "reporter_phone")
    if (longitude is None) != (latitude is None):
        raise InvalidInput(_("Give both longitude and latitude, or neither."), "longitude")
    if (
        longitude is not None
        and latitude is not None
        and not (-180 <= longitude <= 180 and -90 <= latitude <= 90)
    ):
        raise InvalidInput(_("The coordinates are out of range."), "longitude")
    if grid is not None and grid.level != Region.Level.GRID:
        raise InvalidInput(_("Choose a grid, not a larger region."), "grid")
    if site is not None and grid is not None and site.grid_id != grid.pk:
        raise InvalidInput(
            _("Site %(site)s is in grid %(grid)s, not in the grid chosen.")
            % {"site": site.name, "grid": site.grid.name},
            "site",
        )
    if site is not None and grid is None:
        grid = site.grid
    if grid is None and longitude is not None and latitude is not None:
        grid = locate_grid(longitude, latitude)
    if grid is None:
        raise InvalidInput(
            _("Where is it? Pick the place on the map, use GPS, or choose the grid."), "grid"
        )
    return _CleanReport(
        category=category,
        urgency=urgency,
        description=description,
        address=(address or "").strip()[:255],
        longitude=longitude,
        latitude=latitude,
        grid=grid,
        site=site,
        reporter_phone=reporter_phone[:32],
        photos=clean_photos(photos),
    )


def _create_case(
    report: _CleanReport,
    *,
    source: str,
    now: dt.datetime,
    actor: User | None,
    reporter_name: str,
    scoped_key: str | None,
    snapshot: tuple[str, str] | None = None,
    data: dict[str, Any] | None = None,
) -> Case:
    """Write the case and its "report" event with the photos (inside the caller's atomic)."""

    case = Case.objects.create(
        tracking_code=_new_tracking_code(now),
        source=source,
        category=report.category,
        urgency=report.urgency,
        description=report.description,
        address=report.address,
        longitude=report.longitude,
        latitude=report.latitude,
        grid=report.grid,
        site=report.site,
        reporter=actor,
        reporter_name=reporter_name,
        reporter_phone=report.reporter_phone,
        client_key=scoped_key,
        created_by=actor,
        created_at=now,
        updated_at=now,
        status=Status.REPORTED,
    )
    facts = {"source": source, "category": ref(report.category), "grid": ref(report.grid)}
    event = write_event(
        case,
        "report",
        actor,
        now,
        from_status="",
        data={**facts, **(data or {})},
        snapshot=snapshot,
    )
    attach_photos(case, event, CasePhoto.Kind.REPORT, report.photos, actor, now)
    return case


def _existing(scoped_key: str | None) -> Case | None:
    return Case.objects.filter(client_key=scoped_key).first() if scoped_key else None


def report_case(
    *,
    actor: User,
    source: str,
    category: Category,
    description: str,
    urgency: str = Urgency.NORMAL,
    longitude: float | None = None,
    latitude: float | None = None,
    address: str = "",
    grid: Region | None = None,
    site: Site | None = None,
    reporter_name: str = "",
    reporter_phone: str = "",
    photos: Iterable[PhotoInput] | None = None,
    client_key: str | None = None,
    fixed_on_spot: bool = False,
    fix_note: str = "",
    fix_photos: Iterable[PhotoInput] | None = None,
) -> tuple[Case, bool]:
    """Put a problem on the ledger (上报). Returns (case, created).

    `client_key` makes the call idempotent per user: a phone that resends the same report after
    a lost connection gets the case it already created, not a second one.
    """

    role = role_of(actor)
    if role is None:
        raise NotAllowed(_("Only registered people can report through this form."))
    scoped_key = _scoped_key(str(actor.pk), client_key)
    existing = _existing(scoped_key)
    if existing is not None:
        return existing, False
    if source not in Source.values:
        raise InvalidInput(_("Unknown source."), "source")
    allowed = sources_for(actor)
    if source not in allowed:
        # Whatever a client claims: the source statistics must mean what they say.
        raise InvalidInput(
            _(
                "Your role (%(role)s) may not report a problem as “%(source)s”. Sources open to "
                "it: %(allowed)s."
            )
            % {
                "role": Role(role).label,
                "source": Source(source).label,
                "allowed": " / ".join(str(s.label) for s in allowed),
            },
            "source",
        )
    report = _clean_report(
        category=category,
        description=description,
        urgency=urgency,
        longitude=longitude,
        latitude=latitude,
        address=address,
        grid=grid,
        site=site,
        reporter_phone=reporter_phone,
        photos=photos,
    )
    if role in DISTRICT_STAFF and not scope_of(actor).covers(report.grid):
        # A district's staff file problems of their own district (一市多区).
        raise InvalidInput(
            _("%(region)s lies outside your district.") % {"region": report.grid.name}, "grid"
        )
    if fixed_on_spot and role not in TRANSITIONS["fix_on_spot"].roles:
        raise NotAllowed(_("Your role may not record a fix on the spot."))
    evidence = clean_photos(fix_photos, "fix_photos") if fixed_on_spot else []
    if fixed_on_spot:
        fix_note = clean_text(fix_note, "fix_note", required=True, label=_("What was done"))

    now = timezone.now()
    try:
        with transaction.atomic():
            case = _create_case(
                report,
                source=source,
                now=now,
                actor=actor,
                reporter_name=reporter_name.strip()[:50] or actor_snapshot(actor)[0],
                scoped_key=scoped_key,
            )
            if fixed_on_spot:
                close_on_spot(case, actor, now, fix_note, evidence)
    except IntegrityError:
        # Two copies of the same report raced; the other one won and is the answer.
        existing = _existing(scoped_key)
        if existing is not None:
            return existing, False
        raise
    return case, True


def report_public_case(
    *,
    channel: str,
    actor_label: str,
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
    data: dict[str, Any] | None = None,
) -> tuple[Case, bool]:
    """A member of the public's report (群众反映), without an account. Returns (case, created).

    The case is a resident report (`Source.RESIDENT`) with no reporter or creator user; its
    report event reads `actor_label` (e.g. "群众（网页）", "Open311: <client>") as the actor's
    name and records the channel. The urgency is the normal one: the office raises it when it
    registers the case. The input is checked exactly like report_case's. `client_key` (per
    channel, and per `key_owner` within it: an Open311 client) makes a resent form return the
    case it already created.

    Callers check abuse (rate limits, bots) before calling; civgrid.public.actions is the one
    caller and keeps its own record of the report (the private status link, the promised date).
    """

    if channel not in PUBLIC_CHANNELS:
        raise InvalidInput(_("Unknown source."), "channel")
    owner = f"public:{channel}:{key_owner}" if key_owner else f"public:{channel}"
    scoped_key = _scoped_key(owner, client_key)
    existing = _existing(scoped_key)
    if existing is not None:
        return existing, False
    report = _clean_report(
        category=category,
        description=description,
        urgency=Urgency.NORMAL,
        longitude=longitude,
        latitude=latitude,
        address=address,
        grid=grid,
        site=site,
        reporter_phone=reporter_phone,
        photos=photos,
    )
    now = timezone.now()
    label = actor_label.strip()[:100]
    try:
        with transaction.atomic():
            case = _create_case(
                report,
                source=Source.RESIDENT,
                now=now,
                actor=None,
                reporter_name=(reporter_name or "").strip()[:50],
                scoped_key=scoped_key,
                snapshot=(label, Role.RESIDENT),
                data={"channel": channel, **(data or {})},
            )
    except IntegrityError:
        existing = _existing(scoped_key)
        if existing is not None:
            return existing, False
        raise
    return case, True
