"""E-mail through Django's SMTP backend to a local SMTP server (aiosmtpd): the exact message,
a stable Message-ID per delivery, SMTP answers mapped to retry or not."""

import socket
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller

from civgrid.notices.channels.base import DeliveryError, Message
from civgrid.notices.channels.email import EmailChannel


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Mailbox:
    """Accepts every message, or answers RCPT with `refuse` ("550 ...", "451 ...")."""

    def __init__(self):
        self.received = []
        self.refuse = ""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse:
            return self.refuse
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.received.append(envelope)
        return "250 Message accepted"


@pytest.fixture
def mailbox(settings):
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.DEFAULT_FROM_EMAIL = "civgrid <noreply@civgrid.example>"
    try:
        yield box
    finally:
        controller.stop()


def notice(**overrides):
    fields = {
        "key": "42:email",
        "subject": "新交办案件 C-2026-0001",
        "body": "人民路占道经营,请于 12月3日 前办结。",
        "url": "https://civgrid.example/cases/41/",
        "email": "clerk@unit.example",
    }
    return Message(**(fields | overrides))


def test_a_notice_is_mailed_with_its_subject_body_and_link(mailbox):
    provider_id = EmailChannel().send(notice())

    (envelope,) = mailbox.received
    mail = message_from_bytes(envelope.original_content, policy=policy.default)
    assert envelope.mail_from == "noreply@civgrid.example"
    assert envelope.rcpt_tos == ["clerk@unit.example"]
    assert mail["Subject"] == "新交办案件 C-2026-0001"
    assert mail["To"] == "clerk@unit.example"
    assert mail.get_content().splitlines() == [
        "人民路占道经营,请于 12月3日 前办结。",
        "",
        "https://civgrid.example/cases/41/",
    ]
    assert mail["Message-ID"] == provider_id == "<notice-42.email@civgrid.example>"


def test_a_resent_delivery_keeps_its_message_id(mailbox):
    EmailChannel().send(notice())
    EmailChannel().send(notice())

    first, second = (message_from_bytes(e.original_content)["Message-ID"] for e in mailbox.received)
    assert first == second


def test_an_unknown_mailbox_is_a_permanent_failure(mailbox):
    mailbox.refuse = "550 5.1.1 No such user"

    with pytest.raises(DeliveryError) as failure:
        EmailChannel().send(notice())

    assert failure.value.permanent


def test_a_greylisted_recipient_is_a_temporary_failure(mailbox):
    mailbox.refuse = "451 4.7.1 Try again later"

    with pytest.raises(DeliveryError) as failure:
        EmailChannel().send(notice())

    assert not failure.value.permanent


def test_an_unreachable_mail_server_is_a_temporary_failure(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()  # nothing listens there

    with pytest.raises(DeliveryError) as failure:
        EmailChannel().send(notice())

    assert not failure.value.permanent


def test_a_user_without_an_address_is_a_permanent_failure(mailbox):
    with pytest.raises(DeliveryError) as failure:
        EmailChannel().send(notice(email=""))

    assert failure.value.permanent
    assert mailbox.received == []
