"""A statement e-mail must reach the customer once: this module sends it with a fixed
Message-ID, tells the caller exactly when the point of no return (the DATA command) is
reached, and sorts failures into "provably not delivered" (temporary or permanent) and
"uncertain" (the connection died after DATA), which must never be blindly resent."""

from __future__ import annotations

import binascii
import re
import secrets
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from email.errors import MessageError
from email.headerregistry import Address
from email.policy import SMTP
from email.utils import formatdate
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

import aiosmtplib

if TYPE_CHECKING:
    from workers.smtp_sessions import SmtpSessions

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
    """The MIME message: text and HTML alternatives, the PDF attached, our Message-ID.

    Written directly as bytes (the stdlib's EmailMessage cost ~5 ms a message on the worker's
    event loop). Always 7-bit: bodies quoted-printable, the PDF base64, non-ASCII headers RFC
    2047 / RFC 2231. A line break in any header value raises ValueError (header injection),
    as do an address that is not exactly one mailbox and a Message-ID that is not plain ASCII.
    """
    head = [
        "From: " + _mailbox(sender, "From"),
        "To: " + _mailbox(recipient, "To"),
        "Subject: " + _unstructured(subject, "Subject"),
        "Date: " + formatdate(localtime=False),
        "Message-ID: " + _message_id(message_id),
        "MIME-Version: 1.0",
    ]
    disposition = _attachment_disposition(attachment.filename)
    text_body = _quoted_printable(text)
    html_body = _quoted_printable(html)
    pdf_body = _base64_lines(attachment.content)
    while True:
        # "=_" cannot occur in quoted-printable or base64 output; checked all the same
        token = "=_" + secrets.token_hex(16)
        mixed, alternative = (token + "_m").encode(), (token + "_a").encode()
        if not any(token.encode() in body for body in (text_body, html_body, pdf_body)):
            break
    head.append(f'Content-Type: multipart/mixed;\r\n boundary="{token}_m"')
    header = "\r\n".join(head).encode("ascii")
    if any(len(line) > _MAX_LINE for line in header.split(b"\r\n")):
        raise ValueError("a header line would be longer than 998 octets")
    return b"".join(
        (
            header,
            b"\r\n\r\n--",
            mixed,
            b'\r\nContent-Type: multipart/alternative;\r\n boundary="',
            alternative,
            b'"\r\n\r\n--',
            alternative,
            _TEXT_PART_HEAD % b"plain",
            text_body,
            b"\r\n--",
            alternative,
            _TEXT_PART_HEAD % b"html",
            html_body,
            b"\r\n--",
            alternative,
            b"--\r\n\r\n--",
            mixed,
            b"\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n",
            disposition,
            b"\r\n\r\n",
            pdf_body,
            b"\r\n--",
            mixed,
            b"--\r\n",
        )
    )


_MAX_LINE = 998
_TEXT_PART_HEAD = (
    b'\r\nContent-Type: text/%s; charset="utf-8"\r\n'
    b"Content-Transfer-Encoding: quoted-printable\r\n\r\n"
)
# what str.splitlines() breaks on: the stdlib's EmailPolicy refuses the same in header values
_LINE_BREAK = re.compile("[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_ATOM = re.compile(_ATEXT)
_PLAIN_ADDRESS = re.compile(rf"{_ATEXT}(?:\.{_ATEXT})*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*")
_VISIBLE_ASCII = re.compile(r"[\x21-\x7e]+")
_FILENAME_TOKEN = re.compile(r"[A-Za-z0-9._-]{1,60}")
_WORD_BYTES = 45  # "=?utf-8?b?" + base64 of 45 bytes + "?=" is 74 characters (RFC 2047: 75)


def _no_line_break(value: str, field: str) -> None:
    if _LINE_BREAK.search(value):
        raise ValueError(f"{field} must not contain a line break: {value!r}")


@lru_cache(maxsize=1024)
def _mailbox(value: str, field: str) -> str:
    """One mailbox, as a header value. A bare address is used as is; anything else is read
    with the stdlib's parser (slow, hence the cache: the sender is constant) and rewritten."""
    _no_line_break(value, field)
    if _PLAIN_ADDRESS.fullmatch(value) and "=?" not in value:
        return value
    try:
        parsed = SMTP.header_factory(field, value)
        addresses, groups = parsed.addresses, parsed.groups
        if parsed.defects or len(addresses) != 1 or groups[0].display_name is not None:
            raise ValueError(f"{field} is not exactly one mailbox: {value!r}")
        found: Address = addresses[0]
        name, address = found.display_name, found.addr_spec
    except (IndexError, MessageError) as exc:  # the stdlib's parser can fail either way
        raise ValueError(f"{field} is not an e-mail address: {value!r}") from exc
    if not found.domain or not address.isascii():
        raise ValueError(f"{field} needs an ASCII address with a domain: {value!r}")
    if not name:
        return address
    phrase = _phrase(name)
    return (
        f"{phrase} <{address}>" if len(phrase) + len(address) < 64 else f"{phrase}\r\n <{address}>"
    )


def _phrase(name: str) -> str:
    """A display name that RFC 2047 readers and Python's parser both give back: quoted when
    plain ASCII, else one encoded word. A long one is split into ASCII words and runs of
    encoded ones (runs of blanks then read as one space, as in any phrase); a run stays one
    word even past 75 characters, because Python reads the space between two encoded words
    in a phrase as a space where RFC 2047 says to drop it."""
    if name.isascii() and name.isprintable() and "=?" not in name:
        return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if len(name.encode("utf-8")) <= _WORD_BYTES:
        return _encoded_word(name)
    tokens: list[str] = []
    run: list[str] = []
    for word in re.split(r"[ \t]+", name.strip(" \t")):
        if _ATOM.fullmatch(word) and "=?" not in word:
            if run:
                tokens.append(_encoded_word(" ".join(run)))
                run = []
            tokens.append(word)
        else:
            run.append(word)
    if run:
        tokens.append(_encoded_word(" ".join(run)))
    return "\r\n ".join(tokens)


def _encoded_word(value: str) -> str:
    encoded = binascii.b2a_base64(value.encode("utf-8"), newline=False).decode("ascii")
    return f"=?utf-8?b?{encoded}?="


def _message_id(value: str) -> str:
    """Verbatim: it is how an interrupted delivery is found again in the mailbox."""
    if not _VISIBLE_ASCII.fullmatch(value):
        raise ValueError(f"Message-ID must be visible ASCII without spaces: {value!r}")
    return value


def _unstructured(value: str, field: str) -> str:
    """A plain-ASCII value that fits on the header's line as is, anything else as RFC 2047
    "B" encoded words, one per line."""
    _no_line_break(value, field)
    if (
        value.isascii()
        and value.isprintable()
        and "=?" not in value
        and value == value.strip()
        and len(field) + 2 + len(value) <= 78
    ):
        return value
    return "\r\n ".join(_encoded_words(value.encode("utf-8")))


def _encoded_words(data: bytes) -> list[str]:
    """Words of at most ``_WORD_BYTES`` bytes, never cutting a UTF-8 sequence."""
    words = []
    start = 0
    while start < len(data):
        end = min(start + _WORD_BYTES, len(data))
        while end < len(data) and data[end] & 0xC0 == 0x80:  # continuation byte
            end -= 1
        words.append(_encoded_word(data[start:end].decode("utf-8")))
        start = end
    return words or [_encoded_word("")]


def _attachment_disposition(filename: str) -> bytes:
    """``attachment`` with the filename, RFC 2231-encoded (and continued over several lines
    when long) unless it is a short plain token."""
    _no_line_break(filename, "the attachment filename")
    if _FILENAME_TOKEN.fullmatch(filename):
        return f'Content-Disposition: attachment; filename="{filename}"'.encode("ascii")
    pieces: list[str] = []
    piece = "utf-8''"
    for char in filename:  # a piece never splits a character's percent-encoded bytes
        quoted = quote(char, safe="")
        if len(piece) + len(quoted) > 60:
            pieces.append(piece)
            piece = ""
        piece += quoted
    pieces.append(piece)
    if len(pieces) == 1:
        params = [f"filename*={pieces[0]}"]
    else:
        params = [f"filename*{n}*={p}" for n, p in enumerate(pieces)]
    return ("Content-Disposition: attachment;\r\n " + ";\r\n ".join(params)).encode("ascii")


def _quoted_printable(text: str) -> bytes:
    """UTF-8, line ends made CRLF as the stdlib does (bytes.splitlines), ending with one."""
    body = b"\r\n".join(text.encode("utf-8").splitlines()) + b"\r\n"
    return binascii.b2a_qp(body, istext=True)


def _base64_lines(data: bytes) -> bytes:
    encoded = binascii.b2a_base64(data, newline=False)
    lines = [encoded[i : i + 76] for i in range(0, len(encoded), 76)]
    return b"\r\n".join(lines) + b"\r\n"


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
