"""Read routing with two real databases: the tests' primary and a second one as the replica
(on SQLite a file, on PostgreSQL a database of its own). Reads inside reading_replica() and
the report pages go to the replica; writes, actions and the ledger pages never do."""

import io

import pytest
from django.core.management import call_command
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from civgrid import testing
from civgrid.cases.models import Case
from civgrid.ops import routing
from civgrid.territory.models import Region

pytestmark = pytest.mark.django_db(databases=["default", "replica"], transaction=True)

WRITES = ("INSERT", "UPDATE", "DELETE")


@pytest.fixture
def replica(settings):
    settings.CIVGRID_READ_REPLICA = "replica"
    return connections["replica"]


def reads_ledger(sql: str) -> bool:
    return "cases_case" in sql or "reports_casefact" in sql


def replicate() -> None:
    """Copy the primary into the replica, as streaming replication would have."""
    dump = io.StringIO()
    call_command(
        "dumpdata",
        "--database=default",
        "--natural-foreign",
        "--exclude=contenttypes",
        "--exclude=auth.permission",
        "--exclude=sessions",
        stdout=dump,
    )
    dump.seek(0)
    with open_fixture(dump.getvalue()) as path:
        call_command("loaddata", path, database="replica", verbosity=0)


class open_fixture:
    def __init__(self, text: str) -> None:
        import tempfile

        self.file = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)  # noqa: SIM115
        self.file.write(text)
        self.file.close()

    def __enter__(self) -> str:
        return self.file.name

    def __exit__(self, *exc: object) -> None:
        import os

        os.unlink(self.file.name)


def writes(queries: CaptureQueriesContext) -> list[str]:
    return [
        q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith(WRITES)
    ]


def test_reads_inside_reading_replica_go_to_the_replica_and_outside_to_the_primary(replica):
    testing.make_region(code="P1", name="只在主库")
    Region.objects.using("replica").create(code="R1", name="只在副本", level=Region.Level.DISTRICT)
    assert list(Region.objects.values_list("code", flat=True)) == ["P1"]
    with routing.reading_replica() as alias:
        assert alias == "replica" and routing.using() == "replica"
        assert list(Region.objects.values_list("code", flat=True)) == ["R1"]
    assert routing.using() == "default"


def test_without_a_replica_configured_reading_replica_reads_the_primary(settings):
    settings.CIVGRID_READ_REPLICA = ""
    testing.make_region(code="P1", name="只在主库")
    with routing.reading_replica() as alias:
        assert alias == "default"
        assert Region.objects.filter(code="P1").exists()


def test_writes_never_go_to_the_replica_even_inside_reading_replica(replica):
    world = testing.build_world()
    replicate()
    with CaptureQueriesContext(replica) as on_replica, routing.reading_replica():
        case = testing.report(world)  # an action: its reads and writes on the primary
        testing.drive(case, world, "register", "assign")
        testing.make_region(code="P2", name="新片区")
        Region.objects.filter(code="P2").update(name="改名")
        Region.objects.filter(code="P2").delete()
    assert writes(on_replica) == []
    assert Case.objects.filter(pk=case.pk, status=case.status).exists()
    assert not Case.objects.using("replica").exists()


def test_a_transaction_of_the_primary_reads_the_primary_inside_reading_replica(replica):
    testing.make_region(code="P1", name="只在主库")
    with routing.reading_replica(), transaction.atomic():
        assert Region.objects.filter(code="P1").exists()


def test_the_dashboard_reads_the_replica_and_the_ledger_the_primary(replica, client):
    world = testing.build_world()
    testing.report(world)
    replicate()
    client.force_login(world.office.user)

    with (
        CaptureQueriesContext(replica) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        assert client.get(reverse("reports:dashboard")).status_code == 200
    # The dashboard reads the indicators' per-case rows (reports_casefact) and the ledger.
    assert any(reads_ledger(q["sql"]) for q in on_replica.captured_queries)
    assert not any(reads_ledger(q["sql"]) for q in on_primary.captured_queries)
    assert writes(on_replica) == []

    with (
        CaptureQueriesContext(replica) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        assert client.get(reverse("cases:ledger")).status_code == 200
    assert on_replica.captured_queries == []
    assert any("cases_case" in q["sql"] for q in on_primary.captured_queries)


def test_a_case_reported_after_replication_is_on_the_ledger_at_once(replica, client):
    world = testing.build_world()
    replicate()
    case = testing.report(world)  # the replica has not caught up with this one
    client.force_login(world.office.user)
    assert case.tracking_code in client.get(reverse("cases:ledger")).content.decode()


def test_health_checks_the_replica_when_one_is_configured(replica, client):
    body = client.get(reverse("ops:health")).json()
    assert body["checks"]["replica"]["ok"] is True
