"""A statement run sends thousands of e-mails to one SMTP server, and opening a session
(TCP connect, a name lookup in a thread, the greeting, EHLO, QUIT) cost the worker as much as
sending the message itself. Sessions are kept open between messages and reused, one message
at a time each. Reuse changes nothing about exactly-once: every message is still its own
MAIL/RCPT/DATA transaction, and a kept session that turns out to be dead fails before DATA,
where sending again on a new session is safe."""

from __future__ import annotations

import asyncio
import socket
import time
from contextlib import suppress

import aiosmtplib

from workers.config import SmtpConfig

# Servers close idle sessions (Postfix after 300 s) and some cap the messages per session;
# staying well under both avoids most failed first commands on a kept session.
IDLE_SECONDS = 30.0
MESSAGES_PER_SESSION = 100


class SmtpSession:
    """One connected client and how much it has been used."""

    def __init__(self, client: aiosmtplib.SMTP) -> None:
        self.client = client
        self.messages = 0
        self.last_used = time.monotonic()

    @property
    def reusable(self) -> bool:
        fresh = time.monotonic() - self.last_used < IDLE_SECONDS
        return self.client.is_connected and fresh and self.messages < MESSAGES_PER_SESSION


class SmtpSessions:
    """Up to ``keep`` idle sessions to the configured server (0: a new session per message)."""

    def __init__(self, config: SmtpConfig, keep: int) -> None:
        self.config = config
        self.keep = keep
        self._idle: list[SmtpSession] = []
        # the EHLO name; asked of the resolver once, not on every connect
        self._local_hostname: str | None = None

    async def open(self) -> SmtpSession:
        """A new connected session (raises what connecting raises)."""
        c = self.config
        if self._local_hostname is None:  # a resolver call: off the event loop
            self._local_hostname = await asyncio.to_thread(socket.getfqdn)
        client = aiosmtplib.SMTP(
            hostname=c.host,
            port=c.port,
            username=c.user,
            password=c.password,
            timeout=c.timeout,
            use_tls=c.port == 465,
            local_hostname=self._local_hostname,
        )
        await client.connect()
        return SmtpSession(client)

    def kept(self) -> SmtpSession | None:
        """The most recently used idle session still worth trying, if any."""
        while self._idle:
            session = self._idle.pop()
            if session.reusable:
                return session
            session.client.close()
        return None

    async def give_back(self, session: SmtpSession, *, healthy: bool) -> None:
        """After a message: keep the session for the next one, or end it politely."""
        session.messages += 1
        session.last_used = time.monotonic()
        if healthy and session.reusable and len(self._idle) < self.keep:
            self._idle.append(session)
            return
        await _quit(session.client)

    async def close(self) -> None:
        idle, self._idle = self._idle, []
        for session in idle:
            await _quit(session.client)


async def _quit(client: aiosmtplib.SMTP) -> None:
    if not client.is_connected:
        return
    try:
        await client.quit()
    except (aiosmtplib.SMTPException, OSError, TimeoutError):
        with suppress(Exception):
            client.close()
