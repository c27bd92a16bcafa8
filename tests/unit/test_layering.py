"""Conventions that keep each layer to its job, checked on the source itself."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _sources(*packages: str) -> list[Path]:
    return [p for package in packages for p in sorted((ROOT / package).rglob("*.py"))]


def _hits(pattern: str, *packages: str) -> list[str]:
    regex = re.compile(pattern)
    return [
        f"{path.relative_to(ROOT)}:{n}"
        for path in _sources(*packages)
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if regex.search(line)
    ]


def test_domain_and_store_errors_do_not_name_graphql_paths() -> None:
    """Rules say which field of the request is wrong; api/ says where that is in GraphQL."""
    assert _hits(r"""["']input["']""", "domain", "store") == []


def test_only_the_composition_root_reads_the_environment() -> None:
    """lettrage/settings.py reads it once; everything else is handed its configuration."""
    pattern = r"\bos\.environ\b|\bgetenv\b|\bfrom os import\b.*\benviron\b"
    assert _hits(pattern, "api", "domain", "store", "workers") == []
