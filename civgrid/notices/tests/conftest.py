import pytest

from civgrid.notices.channels import lookup
from civgrid.notices.tests.fakes import Recorder


@pytest.fixture
def fake_channels(monkeypatch: pytest.MonkeyPatch) -> dict[str, Recorder]:
    """Every outside channel replaced by a recorder (the inbox stays real)."""
    fakes = {code: Recorder(code) for code in ("sms", "email", "wecom", "dingtalk", "webpush")}
    monkeypatch.setattr(lookup, "OVERRIDES", dict(fakes))
    return fakes
