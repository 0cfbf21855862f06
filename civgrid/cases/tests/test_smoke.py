from civgrid.cases.workflow import Status
from civgrid.testing import drive, report


def test_a_reported_case_walks_to_closed(world):
    case = report(world)
    assert case.grid == world.grid_a
    case = drive(case, world, "register", "assign", "accept", "submit", "verify_pass", "reply")
    assert case.status == Status.CLOSED
    assert [e.action for e in case.events.all()] == [
        "report",
        "register",
        "assign",
        "accept",
        "submit",
        "verify_pass",
        "reply",
    ]
