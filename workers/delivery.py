"""A statement e-mail must reach the customer once: this module sends it with a fixed
Message-ID, tells the caller exactly when the point of no return (the DATA command) is
reached, and sorts failures into "provably not delivered" (temporary or permanent) and
"uncertain" (the connection died after DATA), which must never be blindly resent. The
message itself is built by workers.mime."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING

import aiosmtplib

if TYPE_CHECKING:
    from workers.smtp_sessions import SmtpSessions

_MESSAGE_ID = re.compile(rb"^message-id:\s*(<[^>\r\n]*>)", re.IGNORECASE | re.MULTILINE)


class DeliveryFailure(Exception):
    """The message was not delivered; ``permanent`` failures are not retried."""

    def __init__(self, reason: str, *, permanent: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


class UncertainDelivery(Exception):
    """The connection failed after DATA: the server may or may not have the message."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _refusal(exc: aiosmtplib.SMTPResponseException) -> DeliveryFailure:
    reason = f"SMTP {exc.code}: {exc.message}".strip()
    return DeliveryFailure(reason, permanent=500 <= exc.code < 600)


async def send_message(
    sessions: SmtpSessions,
    recipient: str,
    message: bytes,
    before_data: Callable[[], Awaitable[None]],
) -> str:
    """Send ``message`` on a kept session or a new one; ``before_data`` runs (and must
    commit) right before DATA.

    Returns the server's answer to the end of DATA (e.g. "250 queued as ..."). Raises
    DeliveryFailure when the message was provably not accepted, UncertainDelivery when the
    connection broke after DATA without an answer.
    """
    sender = sessions.config.sender
    session = sessions.kept()
    data_started = healthy = False
    try:
        if session is not None:
            try:
                await session.client.mail(sender)
            except (aiosmtplib.SMTPServerDisconnected, OSError, TimeoutError):
                session.client.close()  # dropped while idle; nothing was sent on it
                session = None
            except aiosmtplib.SMTPResponseException as exc:
                if exc.code != 421:  # 421: the server is closing this session
                    raise
                session.client.close()
                session = None
        if session is None:
            session = await sessions.open()
            await session.client.mail(sender)
        await session.client.rcpt(recipient)
        await before_data()
        data_started = True
        reply = await session.client.data(message)
        healthy = True
    except aiosmtplib.SMTPResponseException as exc:
        # the server answered with a refusal: whatever the stage, it did not take the message
        raise _refusal(exc) from exc
    except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
        reason = f"{type(exc).__name__}: {exc}".strip()
        if data_started:
            raise UncertainDelivery(reason) from exc
        raise DeliveryFailure(reason, permanent=False) from exc
    finally:
        if session is not None:
            await sessions.give_back(session, healthy=healthy)
    return f"{reply.code} {reply.message}".strip()


def accepted_by_mailbox(directory: Path, message_id: str) -> bool:
    """Whether a .eml file in ``directory`` carries ``message_id`` (the receiving side)."""
    if not directory.is_dir():
        return False
    wanted = message_id.encode()
    for path in directory.glob("*.eml"):
        with path.open("rb") as fh:
            head = fh.read(16384).split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
        match = _MESSAGE_ID.search(head)
        if match is not None and match.group(1) == wanted:
            return True
    return False
