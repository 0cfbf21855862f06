"""Read replica for reports (CIVGRID_REPLICA_URL): a database router and the one switch that
sends reads to the replica.

Reads go to the replica only inside `reading_replica()` — the dashboards, rankings and exports
that can live with a replica's few seconds of lag — and only when a "replica" database is
configured. Everything else reads the primary: the ledger pages (a clerk must see the step they
just took), every action (they lock rows with select_for_update, which Django sends to the
write database), and every write, always, inside the block or not.

    from civgrid.ops.routing import reading_replica

    with reading_replica():
        figures = indicators.compute(...)

Also a decorator. The GET pages named in CIVGRID_REPLICA_VIEWS (default: the report pages and the direct exports) are
entered by civgrid.ops.middleware.ReplicaReadsMiddleware, so those views need no change.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"

_reading_replica: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "civgrid_reading_replica", default=False
)


def replica_configured() -> bool:
    return bool(settings.CIVGRID_READ_REPLICA)


@contextmanager
def reading_replica() -> Iterator[str]:
    """Inside: reads go to the replica when one is configured. Yields the alias reads use."""
    token = _reading_replica.set(True)
    try:
        yield read_alias()
    finally:
        _reading_replica.reset(token)


def read_alias() -> str:
    """The database a plain read goes to here and now. Inside a transaction of the primary
    (an action) reads stay on the primary: a change is decided on what the primary holds."""
    if (
        _reading_replica.get()
        and replica_configured()
        and not connections[DEFAULT_DB_ALIAS].in_atomic_block
    ):
        return settings.CIVGRID_READ_REPLICA
    return DEFAULT_DB_ALIAS


def using() -> str:
    """For code that names its database (raw cursors, `.using()`): the replica inside
    `reading_replica()` when configured, else the primary."""
    return read_alias()


class ReplicaRouter:
    """Reads: the replica inside `reading_replica()`, else the primary. Writes: the primary."""

    def db_for_read(self, model: type, **hints: Any) -> str:
        instance = hints.get("instance")
        if instance is not None and instance._state.db == DEFAULT_DB_ALIAS:
            # Following a relation of a row read from (or written to) the primary stays there.
            return DEFAULT_DB_ALIAS
        return read_alias()

    def db_for_write(self, model: type, **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        # The replica is a copy of the primary: a row read from one may relate to the other.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        # A streaming replica gets its schema from the primary; `civgrid migrate` (primary)
        # is the only migrate in production. The tests' replica is migrated as a copy.
        return None
