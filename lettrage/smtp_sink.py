"""A local SMTP server for `lettrage demo` and tests: mail is kept as .eml files, never relayed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller


class _MaildirHandler:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.count = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.count += 1
        self.directory.mkdir(parents=True, exist_ok=True)
        name = f"{self.count:06d}-{abs(hash(envelope.content)) % 10**8:08d}.eml"
        (self.directory / name).write_bytes(envelope.original_content or envelope.content)
        return "250 Message accepted for delivery"


def start_smtp_sink(directory: Path, host: str = "127.0.0.1", port: int = 0) -> Controller:
    """Start the sink on a free port (port 0); the caller reads `.port` and calls `.stop()`."""
    controller = Controller(_MaildirHandler(directory), hostname=host, port=port or 8025)
    if port == 0:
        import socket

        with socket.socket() as s:
            s.bind((host, 0))
            controller.port = s.getsockname()[1]
    controller.start()
    return controller
