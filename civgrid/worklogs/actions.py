"""Every change to the work logs: enter a day's work, correct an entry.

Entries are append-only: `correct_work` writes a new entry that replaces the old one in every
sum, and the old one stays readable. Bad input raises InvalidInput naming the field before
anything is written; a user outside the unit raises NotAllowed.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civgrid.cases.actions import InvalidInput, NotAllowed
from civgrid.org.models import Unit
from civgrid.org.queries import AnyUser, get_person
from civgrid.worklogs.models import FIGURES, ActivityKind, WorkLog
from civgrid.worklogs.queries import may_enter_for

# How far back an entry may be dated: a month's logs are often entered late, a year's are not.
MAX_BACKDATE_DAYS = 366
# Above these, a figure is a typing error (one unit, one day), not a campaign.
MAX_COUNT = 100_000
MAX_VOLUME = Decimal("1000000")
MAX_TEXT = 2000


def _clean_count(name: str, value: Any) -> int:
    try:
        number = int(value if value not in (None, "") else 0)
        if isinstance(value, float | Decimal) and number != value:
            raise ValueError
    except (TypeError, ValueError) as exc:
        raise InvalidInput(_("Give a whole number."), field=name) from exc
    if number < 0:
        raise InvalidInput(_("The figure cannot be negative."), field=name)
    if number > MAX_COUNT:
        raise InvalidInput(
            _("%(value)s is too large for one entry (at most %(max)s).")
            % {"value": number, "max": MAX_COUNT},
            field=name,
        )
    return number


def _clean_volume(value: Any) -> Decimal:
    name = "volume_removed"
    try:
        volume = Decimal(str(value if value not in (None, "") else 0))
    except (InvalidOperation, ValueError) as exc:
        raise InvalidInput(_("Give a number of cubic metres."), field=name) from exc
    if not volume.is_finite():
        raise InvalidInput(_("Give a number of cubic metres."), field=name)
    if volume < 0:
        raise InvalidInput(_("The figure cannot be negative."), field=name)
    if volume > MAX_VOLUME:
        raise InvalidInput(
            _("%(value)s is too large for one entry (at most %(max)s).")
            % {"value": volume, "max": MAX_VOLUME},
            field=name,
        )
    if volume != volume.quantize(Decimal("0.01")):
        raise InvalidInput(_("At most two decimal places."), field=name)
    return volume


def clean_figures(figures: dict[str, Any]) -> dict[str, Any]:
    """The five figures, checked: whole numbers (the volume: m³, two decimals), none negative."""
    unknown = set(figures) - set(FIGURES)
    if unknown:
        raise InvalidInput(_("Unknown figure: %(name)s.") % {"name": sorted(unknown)[0]})
    cleaned: dict[str, Any] = {}
    for name in FIGURES:
        value = figures.get(name)
        cleaned[name] = (
            _clean_volume(value) if name == "volume_removed" else _clean_count(name, value)
        )
    return cleaned


def clean_day(worked_on: Any, now: dt.datetime) -> dt.date:
    if isinstance(worked_on, dt.datetime) or not isinstance(worked_on, dt.date):
        raise InvalidInput(_("Give the date of the work."), field="worked_on")
    today = timezone.localdate(now)
    if worked_on > today:
        raise InvalidInput(_("The date cannot be in the future."), field="worked_on")
    if worked_on < today - dt.timedelta(days=MAX_BACKDATE_DAYS):
        raise InvalidInput(
            _("The date is more than %(days)s days ago; ask the campaign office.")
            % {"days": MAX_BACKDATE_DAYS},
            field="worked_on",
        )
    return worked_on


def _clean_text(value: str, field: str, *, required: bool) -> str:
    text = (value or "").strip()
    if required and not text:
        raise InvalidInput(_("This field is required."), field=field)
    if len(text) > MAX_TEXT:
        raise InvalidInput(
            _("At most %(max)s characters.") % {"max": MAX_TEXT},
            field=field,
        )
    return text


def _actor_name(actor: AnyUser) -> str:
    person = get_person(actor)
    return person.name if person else actor.get_username()


def record_work(
    *,
    actor: AnyUser,
    unit: Unit,
    worked_on: dt.date,
    kind: str,
    description: str = "",
    now: dt.datetime | None = None,
    **figures: Any,
) -> WorkLog:
    """Enter one day's work of a unit (录入工作记录). A clerk enters for their own unit only."""
    now = now or timezone.now()
    if not may_enter_for(actor, unit):
        raise NotAllowed(_("You may not enter work for this unit."), field="unit")
    day = clean_day(worked_on, now)
    if kind not in ActivityKind.values:
        raise InvalidInput(_("Choose an activity kind."), field="kind")
    cleaned = clean_figures(figures)
    if not any(cleaned.values()):
        raise InvalidInput(_("Enter at least one figure above zero."), field="person_times")
    text = _clean_text(description, "description", required=False)
    with transaction.atomic():
        return WorkLog.objects.create(
            unit=unit,
            worked_on=day,
            kind=kind,
            description=text,
            entered_by=cast(User, actor),
            entered_by_name=_actor_name(actor),
            entered_at=now,
            **cleaned,
        )


def correct_work(
    entry: WorkLog,
    *,
    actor: AnyUser,
    reason: str,
    worked_on: dt.date | None = None,
    kind: str | None = None,
    description: str | None = None,
    now: dt.datetime | None = None,
    **figures: Any,
) -> WorkLog:
    """Replace an entry with a corrected one (更正). Figures not given are kept; all zeros
    withdraws the entry from the sums. The old entry stays in the record."""
    now = now or timezone.now()
    text_reason = _clean_text(reason, "reason", required=True)
    values = {name: figures.get(name, getattr(entry, name)) for name in FIGURES}
    cleaned = clean_figures(values)
    kind = kind if kind is not None else entry.kind
    if kind not in ActivityKind.values:
        raise InvalidInput(_("Choose an activity kind."), field="kind")
    day = clean_day(worked_on if worked_on is not None else entry.worked_on, now)
    text = _clean_text(
        description if description is not None else entry.description,
        "description",
        required=False,
    )
    with transaction.atomic():
        # Lock the entry: two people correcting it at once must not both succeed.
        locked = WorkLog.objects.select_for_update().get(pk=entry.pk)
        if not may_enter_for(actor, locked.unit):
            raise NotAllowed(_("You may not enter work for this unit."), field="unit")
        if WorkLog.objects.filter(corrects=locked).exists():
            raise InvalidInput(
                _("This entry has already been corrected; correct the newer entry."),
                field="reason",
            )
        return WorkLog.objects.create(
            unit_id=locked.unit_id,
            worked_on=day,
            kind=kind,
            description=text,
            corrects=locked,
            correction_reason=text_reason,
            entered_by=cast(User, actor),
            entered_by_name=_actor_name(actor),
            entered_at=now,
            **cleaned,
        )
