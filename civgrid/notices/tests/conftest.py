import pytest

from civgrid.notices.channels import lookup
from civgrid.notices.defaults import restore_default_rules
from civgrid.notices.tests.fakes import Recorder


@pytest.fixture(autouse=True)
def default_rules(request: pytest.FixtureRequest) -> None:
    """The migration's default rules, again after a transactional test (a browser test
    elsewhere) flushed every table."""
    uses_db = request.node.get_closest_marker("django_db") is not None or bool(
        {"db", "transactional_db"} & set(request.fixturenames)
    )
    if uses_db:
        # Database access first, as pytest-django's own marker fixture opens it.
        request.getfixturevalue("_django_db_helper")
        restore_default_rules()


@pytest.fixture
def fake_channels(monkeypatch: pytest.MonkeyPatch) -> dict[str, Recorder]:
    """Every outside channel replaced by a recorder (the inbox stays real)."""
    fakes = {code: Recorder(code) for code in ("sms", "email", "wecom", "dingtalk", "webpush")}
    monkeypatch.setattr(lookup, "OVERRIDES", dict(fakes))
    return fakes
