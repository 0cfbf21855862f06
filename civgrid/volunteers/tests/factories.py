"""Plain factories for the volunteer tests (keyword overrides)."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model

from civgrid.lib import idnumbers
from civgrid.org.models import Person, Role
from civgrid.territory.models import Region
from civgrid.testing import PASSWORD
from civgrid.volunteers import actions
from civgrid.volunteers.models import Activity, ServiceCategory, Volunteer

_seq = itertools.count(1)
START = dt.datetime(2026, 5, 9, 1, 0, tzinfo=dt.UTC)  # Saturday 09:00 in Beijing


def id_number(n: int | None = None) -> str:
    n = n if n is not None else next(_seq)
    return idnumbers.with_check(f"41160219800101{n % 1000:03d}")


def make_service_category(**kw: Any) -> ServiceCategory:
    n = next(_seq)
    defaults: dict[str, Any] = {"code": f"VC{n:03d}", "name": f"文明交通{n}"}
    defaults.update(kw)
    return ServiceCategory.objects.create(**defaults)


def make_volunteer(
    region: Region, *, by: Any, account: bool = True, name: str | None = None, **kw: Any
) -> Volunteer:
    """An active volunteer registered by `by` (office or grid worker), with a login account
    (a resident Person) unless account=False."""
    n = next(_seq)
    user = None
    if account:
        user = get_user_model().objects.create_user(f"vol{n}", password=PASSWORD)
        Person.objects.create(user=user, name=name or f"志愿者{n}", role=Role.RESIDENT)
    return actions.register_volunteer(
        actor=by,
        name=name or f"志愿者{n}",
        phone=kw.pop("phone", f"139{n:08d}"),
        id_number=kw.pop("id_number", id_number(n)),
        region=region,
        user=user,
        **kw,
    )


def make_activity(
    region: Region,
    *,
    by: Any,
    category: ServiceCategory | None = None,
    starts_at: dt.datetime = START,
    hours: float = 3,
    places: int = 10,
    now: dt.datetime | None = None,
    **kw: Any,
) -> Activity:
    activity, _created = actions.publish_activity(
        actor=by,
        title=kw.pop("title", "文明交通劝导"),
        category=category or make_service_category(),
        region=region,
        place=kw.pop("place", "七一路与八一路交叉口"),
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=hours),
        places=places,
        longitude=kw.pop("longitude", 114.605),
        latitude=kw.pop("latitude", 33.605),
        now=now or starts_at - dt.timedelta(days=2),
        max_hours=Decimal(kw.pop("max_hours")) if "max_hours" in kw else None,
        **kw,
    )
    return activity
