"""A statement e-mail must reach the customer once: this module sends it with a fixed
Message-ID, tells the caller exactly when the point of no return (the DATA command) is
reached, and sorts failures into "provably not delivered" (temporary or permanent) and
"uncertain" (the connection died after DATA), which must never be blindly resent."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate
from pathlib import Path

import aiosmtplib

_MESSAGE_ID = re.compile(rb"^message-id:\s*(<[^>\r\n]*>)", re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True, slots=True)
class SmtpConfig:
    """Where to send (SMTP_HOST/PORT/USER/PASSWORD/FROM)."""

    host: str = "127.0.0.1"
    port: int = 8025
    user: str | None = None
    password: str | None = None
    sender: str = "statements@lettrage.invalid"
    timeout: float = 30.0


@dataclass(frozen=True, slots=True)
class DeliveryPolicy:
    """How hard to try: attempts per delivery and the first backoff (doubled each time);
    ``probe_dir`` is a directory of .eml files written by the receiving server (the demo
    sink), where an uncertain delivery can be looked up by Message-ID."""

    max_attempts: int = 5
    backoff_seconds: float = 30.0
    probe_dir: Path | None = None

    def backoff(self, attempt: int) -> float:
        return self.backoff_seconds * float(2 ** max(attempt - 1, 0))


def config_from_env(env: Mapping[str, str]) -> tuple[SmtpConfig, DeliveryPolicy]:
    """SMTP_* for the server; LETTRAGE_SMTP_MAX_ATTEMPTS, LETTRAGE_SMTP_RETRY_SECONDS and
    LETTRAGE_MAIL_PROBE_DIR for the policy."""
    smtp = SmtpConfig(
        host=env.get("SMTP_HOST") or "127.0.0.1",
        port=int(env.get("SMTP_PORT") or 8025),
        user=env.get("SMTP_USER") or None,
        password=env.get("SMTP_PASSWORD") or None,
        sender=env.get("SMTP_FROM") or "statements@lettrage.invalid",
        timeout=float(env.get("SMTP_TIMEOUT") or 30.0),
    )
    probe = env.get("LETTRAGE_MAIL_PROBE_DIR")
    policy = DeliveryPolicy(
        max_attempts=int(env.get("LETTRAGE_SMTP_MAX_ATTEMPTS") or 5),
        backoff_seconds=float(env.get("LETTRAGE_SMTP_RETRY_SECONDS") or 30.0),
        probe_dir=Path(probe) if probe else None,
    )
    return smtp, policy


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


@dataclass(frozen=True, slots=True)
class Attachment:
    filename: str
    content: bytes


def build_message(
    *,
    sender: str,
    recipient: str,
    message_id: str,
    subject: str,
    text: str,
    html: str,
    attachment: Attachment,
) -> bytes:
    """The MIME message: text and HTML alternatives, the PDF attached, our Message-ID."""
    msg = EmailMessage(policy=SMTP)
    msg["From"] = sender
    msg["To"] = recipient
    msg["Subject"] = subject
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = message_id
    msg.set_content(text)
    msg.add_alternative(html, subtype="html")
    msg.add_attachment(
        attachment.content, maintype="application", subtype="pdf", filename=attachment.filename
    )
    return msg.as_bytes()


def _refusal(exc: aiosmtplib.SMTPResponseException) -> DeliveryFailure:
    reason = f"SMTP {exc.code}: {exc.message}".strip()
    return DeliveryFailure(reason, permanent=500 <= exc.code < 600)


async def send_message(
    config: SmtpConfig,
    recipient: str,
    message: bytes,
    before_data: Callable[[], Awaitable[None]],
) -> str:
    """Send ``message``; ``before_data`` runs (and must commit) right before DATA.

    Returns the server's answer to the end of DATA (e.g. "250 queued as ..."). Raises
    DeliveryFailure when the message was provably not accepted, UncertainDelivery when the
    connection broke after DATA without an answer.
    """
    smtp = aiosmtplib.SMTP(
        hostname=config.host,
        port=config.port,
        username=config.user,
        password=config.password,
        timeout=config.timeout,
        use_tls=config.port == 465,
    )
    data_started = False
    try:
        await smtp.connect()
        await smtp.mail(config.sender)
        await smtp.rcpt(recipient)
        await before_data()
        data_started = True
        reply = await smtp.data(message)
    except aiosmtplib.SMTPResponseException as exc:
        # the server answered with a refusal: whatever the stage, it did not take the message
        raise _refusal(exc) from exc
    except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
        reason = f"{type(exc).__name__}: {exc}".strip()
        if data_started:
            raise UncertainDelivery(reason) from exc
        raise DeliveryFailure(reason, permanent=False) from exc
    finally:
        if smtp.is_connected:
            try:
                await smtp.quit()
            except (aiosmtplib.SMTPException, OSError, TimeoutError):
                smtp.close()
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
