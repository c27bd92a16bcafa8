"""Access to the copied bank samples and their expected JSON (shared by the bank tests)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

SAMPLES = Path(__file__).parent / "samples"


def sample_paths(folder: str, suffix: str = "") -> list[Path]:
    """Every statement file of a sample folder (not the JSON/upstream side files)."""
    return sorted(
        path
        for path in (SAMPLES / folder).iterdir()
        if not path.name.endswith((".json", ".pydata")) and path.name.endswith(suffix)
    )


def expected(path: Path) -> dict[str, Any]:
    """The expected JSON next to a sample."""
    result: dict[str, Any] = json.loads(path.with_name(path.name + ".expected.json").read_text())
    return result


def dec(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def all_sample_bytes() -> list[bytes]:
    """The raw bytes of every sample of every format (seeds for mutation fuzzing)."""
    return [
        path.read_bytes()
        for folder in ("camt053", "camt054", "mt940", "ofx", "csv")
        for path in sample_paths(folder)
    ]
