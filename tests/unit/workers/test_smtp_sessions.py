"""Kept SMTP sessions: messages share a session, a session the server dropped or is closing
is replaced before anything is sent, and worn or idle sessions are ended."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from bench.smtp_sink import LeanSink, SinkSession
from workers import smtp_sessions
from workers.config import SmtpConfig
from workers.delivery import DeliveryFailure, send_message
from workers.smtp_sessions import SmtpSessions


@pytest.fixture
def sink() -> Iterator[LeanSink]:
    s = LeanSink()
    yield s
    s.stop()


def _message(n: int) -> bytes:
    return b"Message-ID: <m%d@x>\r\nSubject: s\r\n\r\nbody %d\r\n" % (n, n)


async def _send(sessions: SmtpSessions, numbers: range) -> list[str]:
    steps: list[int] = []

    async def before_data() -> None:
        steps.append(1)

    replies = [
        await send_message(sessions, "b@example.com", _message(n), before_data) for n in numbers
    ]
    assert len(steps) == len(replies)
    return replies


def _sessions(port: int, keep: int = 4) -> SmtpSessions:
    return SmtpSessions(SmtpConfig(port=port, sender="a@example.com"), keep=keep)


def test_messages_share_one_session(sink: LeanSink) -> None:
    async def run() -> list[str]:
        sessions = _sessions(sink.port)
        replies = await _send(sessions, range(3))
        await sessions.close()
        return replies

    assert asyncio.run(run()) == ["250 queued as 1", "250 queued as 2", "250 queued as 3"]
    assert sink.box.messages == [_message(n) for n in range(3)]
    assert sink.box.sessions == 1


def test_without_keeping_every_message_opens_a_session(sink: LeanSink) -> None:
    asyncio.run(_send(_sessions(sink.port, keep=0), range(3)))
    assert (len(sink.box.messages), sink.box.sessions) == (3, 3)


def test_a_session_dropped_by_the_server_is_replaced(sink: LeanSink) -> None:
    async def run() -> None:
        sessions = _sessions(sink.port)
        await _send(sessions, range(1))
        sink.drop_sessions()
        while sink.box.open:  # the server has closed it
            await asyncio.sleep(0.01)
        await _send(sessions, range(1, 2))
        await sessions.close()

    asyncio.run(run())
    assert sink.box.messages == [_message(0), _message(1)]
    assert sink.box.sessions == 2


def _answering_mail_after_one(reply: str) -> type[SinkSession]:
    """A server that answers ``reply`` to every MAIL of a session but the first."""

    class Session(SinkSession):
        mails = 0

        def _command(self, line: bytes) -> None:
            if line[:4].upper() == b"MAIL":
                self.mails += 1
                if self.mails > 1:
                    self._reply(reply)
                    return
            super()._command(line)

    return Session


def test_a_session_the_server_is_closing_is_replaced() -> None:
    sink = LeanSink(session=_answering_mail_after_one("421 too many messages, closing"))
    try:
        asyncio.run(_send(_sessions(sink.port), range(3)))
    finally:
        sink.stop()
    assert sink.box.messages == [_message(n) for n in range(3)]
    assert sink.box.sessions == 3  # the second MAIL of each session was answered 421


def test_a_refusal_on_a_kept_session_is_a_refusal_not_a_retry() -> None:
    sink = LeanSink(session=_answering_mail_after_one("550 sender refused"))
    try:
        with pytest.raises(DeliveryFailure) as failure:
            asyncio.run(_send(_sessions(sink.port), range(2)))
    finally:
        sink.stop()
    assert failure.value.permanent
    assert "550" in failure.value.reason
    assert (len(sink.box.messages), sink.box.sessions) == (1, 1)


def test_worn_and_idle_sessions_are_ended(sink: LeanSink, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(smtp_sessions, "MESSAGES_PER_SESSION", 2)
    asyncio.run(_send(_sessions(sink.port), range(5)))
    assert (len(sink.box.messages), sink.box.sessions) == (5, 3)

    monkeypatch.setattr(smtp_sessions, "MESSAGES_PER_SESSION", 100)
    monkeypatch.setattr(smtp_sessions, "IDLE_SECONDS", 0.0)
    before = sink.box.sessions
    asyncio.run(_send(_sessions(sink.port), range(2)))
    assert sink.box.sessions - before == 2
