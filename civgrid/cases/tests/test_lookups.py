"""status__in_constants: the overdue filter matches the partial index on both databases."""

import pytest
from django.db import connection
from django.utils import timezone

from civgrid.cases.models import Case
from civgrid.cases.queries import overdue_q
from civgrid.cases.workflow import CLOSED_VALUES, Status
from civgrid.testing import drive, report


def test_in_constants_selects_like_in(world):
    open_case = report(world)
    closed = drive(report(world), world, "register", "assign", "accept", "submit", "verify_pass")
    assert closed.status == Status.CLOSED
    assert list(Case.objects.filter(status__in_constants=CLOSED_VALUES)) == [closed]
    assert list(Case.objects.exclude(status__in_constants=CLOSED_VALUES)) == [open_case]


@pytest.mark.parametrize("values", [(), ("closed'; DROP TABLE x; --",), (1,), ("Closed",)])
def test_in_constants_refuses_anything_but_code_identifiers(db, values):
    with pytest.raises(ValueError):
        list(Case.objects.filter(status__in_constants=values))


def test_the_overdue_filter_is_served_by_the_partial_index(world):
    plan = Case.objects.filter(overdue_q(timezone.now())).order_by().explain()
    if connection.vendor == "sqlite":
        # With bound parameters SQLite could not use it and scanned the table.
        assert "case_open_due_idx" in plan
    else:
        # PostgreSQL picks by cost (a tiny table is scanned); the condition must still be the
        # index's, with the literals written out.
        sql = str(Case.objects.filter(overdue_q(timezone.now())).query)
        assert "IN ('closed', 'duplicate', 'rejected')" in sql
