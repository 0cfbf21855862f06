"""Every change to patrols (巡查操作): start, add track points, stop.

Each is idempotent, because the phone queues them offline and may send any of them twice:
starting names the patrol with the phone's key (the same key is the same patrol), a point is
identified by its instant (a resent batch adds nothing), and stopping a stopped patrol changes
nothing. Errors are civgrid.cases.actions.InvalidInput / NotAllowed, raised before any write.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civgrid.cases.actions import InvalidInput, NotAllowed
from civgrid.cases.reporting import MAX_CLIENT_KEY
from civgrid.fieldwork.models import Patrol, TrackPoint
from civgrid.fieldwork.tracks import track_length
from civgrid.org.models import Role
from civgrid.org.queries import get_person, role_of
from civgrid.territory.queries import get_locator

MAX_POINTS_PER_BATCH = 500
# Points less precise than this are kept on the track but left out of its length: GPS
# jitter of a phone standing still would otherwise add hundreds of metres.
MAX_ACCURACY_FOR_LENGTH_M = 100.0
CLOCK_SKEW = dt.timedelta(minutes=10)
MAX_PATROL = dt.timedelta(hours=24)
MAX_BACKDATE = dt.timedelta(days=30)


@dataclass(frozen=True)
class PointInput:
    recorded_at: dt.datetime
    longitude: float
    latitude: float
    accuracy: float | None = None


def _key(client_key: str) -> str:
    key = (client_key or "").strip()
    if not key:
        raise InvalidInput(_("A client key is required."), "client_key")
    if len(key) > MAX_CLIENT_KEY:
        raise InvalidInput(
            _("The client key is too long (at most %(n)d characters).") % {"n": MAX_CLIENT_KEY},
            "client_key",
        )
    return key


def _moment(value: dt.datetime | None, now: dt.datetime, field: str) -> dt.datetime:
    when = value or now
    if timezone.is_naive(when):
        when = timezone.make_aware(when, timezone.get_default_timezone())
    if when > now + CLOCK_SKEW:
        raise InvalidInput(_("The time is in the future."), field)
    if when < now - MAX_BACKDATE:
        raise InvalidInput(_("The time is too long ago."), field)
    return when


def start_patrol(
    *, actor: User, client_key: str, started_at: dt.datetime | None = None
) -> tuple[Patrol, bool]:
    """Start a patrol (开始巡查); returns (patrol, created)."""
    key = _key(client_key)
    existing = Patrol.objects.filter(worker=actor, client_key=key).first()
    if existing is not None:
        return existing, False
    if role_of(actor) != Role.GRID_WORKER:
        raise NotAllowed(_("Only grid workers patrol."))
    now = timezone.now()
    when = _moment(started_at, now, "started_at")
    person = get_person(actor)
    try:
        with transaction.atomic():
            patrol = Patrol.objects.create(
                worker=actor,
                worker_name=person.name if person else actor.get_username(),
                client_key=key,
                started_at=when,
            )
    except IntegrityError:
        return Patrol.objects.get(worker=actor, client_key=key), False
    return patrol, True


def _own(patrol: Patrol, actor: User) -> None:
    if patrol.worker_id != actor.pk:
        raise NotAllowed(_("This is another worker's patrol."))


def add_points(patrol: Patrol, *, actor: User, points: Iterable[PointInput]) -> int:
    """Append track points (a batch from the phone); returns how many were new."""
    _own(patrol, actor)
    batch = list(points)
    if len(batch) > MAX_POINTS_PER_BATCH:
        raise InvalidInput(
            _("At most %(n)d points per batch.") % {"n": MAX_POINTS_PER_BATCH}, "points"
        )
    now = timezone.now()
    rows: dict[dt.datetime, TrackPoint] = {}
    for i, p in enumerate(batch):
        field = f"points.{i}"
        if not (-180 <= p.longitude <= 180 and -90 <= p.latitude <= 90):
            raise InvalidInput(_("The coordinates are out of range."), field)
        if p.accuracy is not None and p.accuracy < 0:
            raise InvalidInput(_("The accuracy cannot be negative."), field)
        when = _moment(p.recorded_at, now, field)
        if when < patrol.started_at - CLOCK_SKEW or when > patrol.started_at + MAX_PATROL:
            raise InvalidInput(_("The point is outside the patrol's time."), field)
        rows[when] = TrackPoint(
            patrol=patrol,
            recorded_at=when,
            longitude=p.longitude,
            latitude=p.latitude,
            accuracy=p.accuracy,
        )
    with transaction.atomic():
        locked = Patrol.objects.select_for_update().get(pk=patrol.pk)
        known = set(
            TrackPoint.objects.filter(patrol=locked, recorded_at__in=list(rows)).values_list(
                "recorded_at", flat=True
            )
        )
        new = [row for when, row in rows.items() if when not in known]
        TrackPoint.objects.bulk_create(new)
        if new:
            _recompute(locked)
    patrol.refresh_from_db()
    return len(new)


def _recompute(patrol: Patrol) -> None:
    points = list(
        patrol.points.order_by("recorded_at").values_list("longitude", "latitude", "accuracy")
    )
    precise = [
        (lon, lat) for lon, lat, acc in points if acc is None or acc <= MAX_ACCURACY_FOR_LENGTH_M
    ]
    patrol.distance_m = round(track_length(precise), 1)
    patrol.point_count = len(points)
    patrol.save(update_fields=["distance_m", "point_count"])
    locator = get_locator()
    found = (locator.locate(lon, lat) for lon, lat, _acc in points)
    patrol.grids.set({pk for pk in found if pk is not None})


def end_patrol(
    patrol: Patrol, *, actor: User, ended_at: dt.datetime | None = None, note: str = ""
) -> Patrol:
    """Stop a patrol (结束巡查). Stopping it again changes nothing."""
    _own(patrol, actor)
    now = timezone.now()
    with transaction.atomic():
        locked = Patrol.objects.select_for_update().get(pk=patrol.pk)
        if locked.ended_at is not None:
            return locked
        when = _moment(ended_at, now, "ended_at")
        if when < locked.started_at:
            raise InvalidInput(_("A patrol cannot end before it started."), "ended_at")
        locked.ended_at = min(when, locked.started_at + MAX_PATROL)
        locked.note = (note or "").strip()[:2000]
        locked.save(update_fields=["ended_at", "note"])
    return locked
