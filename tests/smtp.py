"""A real SMTP server on loopback (aiosmtpd) for the e-mail tests, with modes that accept,
refuse (a 4xx or 5xx answer to the message) and stall (answer late)."""

from __future__ import annotations

import asyncio
import email
import email.policy
import socket
import threading

import pytest
from aiosmtpd.controller import Controller


class Recorder:
    def __init__(self):
        self.mode = "accept"
        self.delay = 0.0
        self.refusal = "451 4.3.0 Mail server unavailable, try again later"
        self.messages: list = []
        self.refused = 0
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.mode == "refuse":
            with self._lock:
                self.refused += 1
            return self.refusal
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._lock:
            self.messages.append((list(envelope.rcpt_tos), message))
        return "250 OK"


class SMTPServer:
    def __init__(self):
        self.recorder = Recorder()
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.controller = Controller(self.recorder, hostname="127.0.0.1", port=self.port, ready_timeout=10)

    def accept(self):
        self.recorder.mode, self.recorder.delay = "accept", 0.0

    def refuse(self, answer: str = "451 4.3.0 Mail server unavailable, try again later"):
        self.recorder.mode, self.recorder.refusal = "refuse", answer

    def stall(self, seconds: float):
        self.recorder.delay = seconds

    @property
    def messages(self) -> list:
        return list(self.recorder.messages)

    def recipients(self) -> list[str]:
        return [rcpt for rcpts, _message in self.messages for rcpt in rcpts]

    def settings(self) -> dict:
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": self.port,
            "EMAIL_USE_TLS": False,
            "EMAIL_USE_SSL": False,
            "EMAIL_HOST_USER": "",
            "EMAIL_HOST_PASSWORD": "",
        }


@pytest.fixture
def smtp_server(settings):
    """A running SMTP server; Django's e-mail settings point at it for the test."""
    server = SMTPServer()
    server.controller.start()
    for name, value in server.settings().items():
        setattr(settings, name, value)
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.controller.stop()
