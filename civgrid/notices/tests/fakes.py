"""Fake channels for the tests: they record what they were given, by Message.key."""

from __future__ import annotations

import os
import time
from pathlib import Path

from civgrid.notices.channels.base import Channel, DeliveryError, Message


class Recorder(Channel):
    """Keeps every message; `sent` holds one per key, as a provider honouring the key would."""

    def __init__(self, code: str = "sms", fail: int = 0, permanent: bool = False) -> None:
        self.code = code
        self.calls: list[Message] = []
        self.sent: dict[str, Message] = {}
        self.fail = fail
        self.permanent = permanent

    def send(self, message: Message) -> str:
        self.calls.append(message)
        if self.fail:
            self.fail -= 1
            raise DeliveryError("provider said no", permanent=self.permanent)
        self.sent.setdefault(message.key, message)
        return f"p-{message.key}"


class FileRecorder(Channel):
    """For a worker in another process: appends each call's key to a file
    (CIVGRID_FAKE_CHANNEL_FILE), and sleeps CIVGRID_FAKE_CHANNEL_SLEEP seconds after
    recording, so a test can kill the worker between the send and its record."""

    code = "console"

    def send(self, message: Message) -> str:
        path = Path(os.environ["CIVGRID_FAKE_CHANNEL_FILE"])
        with path.open("a") as out:
            out.write(message.key + "\n")
        time.sleep(float(os.environ.get("CIVGRID_FAKE_CHANNEL_SLEEP", "0")))
        return message.key
