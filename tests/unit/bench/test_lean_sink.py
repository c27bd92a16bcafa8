"""The statements bench counts e-mails in its lean sink: it must keep exactly what a client
sent (dot-stuffing undone), one message per DATA, over one or several connections."""

from __future__ import annotations

import asyncio

import aiosmtplib
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.smtp_sink import LeanSink


def _message(n: int, body: bytes) -> bytes:
    return b"Message-ID: <m%d@x>\r\nSubject: s\r\n\r\n%s" % (n, body)


async def _send_all(port: int, messages: list[bytes]) -> list[str]:
    smtp = aiosmtplib.SMTP(hostname="127.0.0.1", port=port)
    await smtp.connect()
    replies = []
    for m in messages:
        await smtp.mail("a@example.com")
        await smtp.rcpt("b@example.com")
        replies.append((await smtp.data(m)).message)
    await smtp.quit()
    return replies


lines = st.lists(
    st.sampled_from([b".", b"..", b".x", b"x.", b"", b"abc", b". .", b"x" * 1000]), max_size=30
)


@settings(max_examples=25, deadline=None)
@given(st.lists(lines, min_size=1, max_size=4))
def test_keeps_what_was_sent(bodies: list[list[bytes]]) -> None:
    sink = LeanSink()
    try:
        sent = [_message(i, b"\r\n".join(b) + b"\r\n") for i, b in enumerate(bodies)]
        replies = asyncio.run(_send_all(sink.port, sent))
        assert sink.box.messages == sent
        assert replies == [f"queued as {i + 1}" for i in range(len(sent))]
        assert sink.box.message_ids() == [b"<m%d@x>" % i for i in range(len(sent))]
    finally:
        sink.stop()


def test_large_message_in_many_packets() -> None:
    sink = LeanSink()
    try:
        body = b"".join(b"%076d\r\n" % i for i in range(5000))  # ~390 KB
        asyncio.run(_send_all(sink.port, [_message(1, body), _message(2, b".\r\n")]))
        assert sink.box.messages == [_message(1, body), _message(2, b".\r\n")]
    finally:
        sink.stop()
