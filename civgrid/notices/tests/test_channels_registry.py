"""The channel registry: every code gives its channel, unknown or absent ones a clear error."""

import sys

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation

from civgrid.notices.channels import registry
from civgrid.notices.channels.base import Channel


@pytest.mark.parametrize("code", ["email", "sms", "wecom", "dingtalk", "webpush"])
def test_each_provider_code_gives_a_channel_with_that_code(code):
    channel = registry.get(code)

    assert isinstance(channel, Channel)
    assert channel.code == code
    assert str(channel.label)


def test_an_unknown_code_is_refused_clearly():
    with pytest.raises(ImproperlyConfigured, match="Unknown notice channel 'fax'"):
        registry.get("fax")


def test_a_channel_module_missing_from_the_checkout_is_a_configuration_error(monkeypatch):
    # None in sys.modules makes the import fail as if channels/inbox.py were absent.
    monkeypatch.setitem(sys.modules, "civgrid.notices.channels.inbox", None)

    with pytest.raises(ImproperlyConfigured, match="'inbox' channel is not installed"):
        registry.get("inbox")
    assert "inbox" not in registry.labels()


def test_labels_list_the_installed_channels_in_their_order():
    codes = list(registry.labels())

    assert codes == [c for c in registry.CODES if c in codes]
    assert {"email", "sms", "wecom", "dingtalk", "webpush"} <= set(codes)


def test_channel_labels_are_shown_in_chinese_first():
    with translation.override("zh-hans"):
        assert str(registry.get("sms").label) == "短信"
        assert str(registry.get("wecom").label) == "企业微信群机器人"
