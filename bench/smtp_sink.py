"""A receiving SMTP server for the statements bench that costs next to nothing, so the bench's
two cores go to Lettrage and not to the sink: aiosmtpd reads a message line by line in Python
(~1,400 lines for a statement with its PDF, ~9 ms of CPU per e-mail on the bench VM). This one
looks for the end of DATA with one `bytes.find` per packet and keeps each message in memory.
It speaks just what a client needs (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT)."""

from __future__ import annotations

import asyncio
import re
import threading
from dataclasses import dataclass, field

_END = b"\r\n.\r\n"
_MESSAGE_ID = re.compile(rb"^message-id:\s*(<[^>\r\n]*>)", re.IGNORECASE | re.MULTILINE)


@dataclass
class Mailbox:
    """What the sink received: every message (dot-stuffing undone) in arrival order."""

    messages: list[bytes] = field(default_factory=list)
    sessions: int = 0  # connections accepted
    open: set[asyncio.Transport] = field(default_factory=set)

    def message_ids(self) -> list[bytes]:
        ids = []
        for m in self.messages:
            match = _MESSAGE_ID.search(m.split(b"\r\n\r\n", 1)[0])
            ids.append(match.group(1) if match else b"")
        return ids


class SinkSession(asyncio.Protocol):
    def __init__(self, box: Mailbox) -> None:
        self.box = box
        self.buffer = bytearray()
        self.in_data = False
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self.box.sessions += 1
        self.box.open.add(transport)
        transport.write(b"220 bench-sink ESMTP\r\n")

    def connection_lost(self, exc: Exception | None) -> None:
        if self.transport is not None:
            self.box.open.discard(self.transport)

    def data_received(self, data: bytes) -> None:
        start = max(len(self.buffer) - 4, 0)
        self.buffer += data
        while self.buffer:
            if self.in_data:
                # the message so far ends with CRLF, so its end is CRLF "." CRLF
                end = self.buffer.find(_END, start)
                if end < 0:
                    return
                # undo dot-stuffing, then drop the CRLF put in front at DATA
                body = bytes(self.buffer[: end + 2]).replace(b"\r\n..", b"\r\n.")
                self.box.messages.append(body[2:])
                del self.buffer[: end + len(_END)]
                self.in_data = False
                self._reply(f"250 queued as {len(self.box.messages)}")
                start = 0
                continue
            eol = self.buffer.find(b"\r\n")
            if eol < 0:
                return
            line = bytes(self.buffer[:eol])
            del self.buffer[: eol + 2]
            self._command(line)
            start = 0

    def _command(self, line: bytes) -> None:
        verb = line[:4].upper()
        if verb == b"EHLO":
            self._reply("250-bench-sink\r\n250 8BITMIME")
        elif verb in (b"HELO", b"MAIL", b"RCPT", b"RSET", b"NOOP"):
            self._reply("250 OK")
        elif verb == b"DATA":
            self.in_data = True
            self.buffer[:0] = b"\r\n"  # so a message's first line can be found as CRLF "."
            self._reply("354 end with <CRLF>.<CRLF>")
        elif verb == b"QUIT":
            self._reply("221 bye")
            assert self.transport is not None
            self.transport.close()
        else:
            self._reply("502 not implemented")

    def _reply(self, text: str) -> None:
        assert self.transport is not None
        self.transport.write(text.encode() + b"\r\n")


class LeanSink:
    """Started in its own thread and event loop on a free port; `.port`, `.box`, `.stop()`."""

    def __init__(self, host: str = "127.0.0.1", session: type[SinkSession] = SinkSession) -> None:
        self.box = Mailbox()
        self._session = session
        self._loop = asyncio.new_event_loop()
        ready = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(host, ready), daemon=True)
        self._thread.start()
        ready.wait()

    def _run(self, host: str, ready: threading.Event) -> None:
        asyncio.set_event_loop(self._loop)
        server = self._loop.run_until_complete(
            self._loop.create_server(lambda: self._session(self.box), host, 0)
        )
        self.port: int = server.sockets[0].getsockname()[1]
        ready.set()
        self._loop.run_forever()
        server.close()
        self._loop.run_until_complete(server.wait_closed())
        self._loop.close()

    def drop_sessions(self) -> None:
        """Close every open connection from the server side (as an idle timeout does)."""

        def drop() -> None:
            for transport in list(self.box.open):
                transport.close()

        self._loop.call_soon_threadsafe(drop)

    def stop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join()
