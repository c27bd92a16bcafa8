"""The format of an uploaded file is recognised from its first bytes."""

from __future__ import annotations

from pathlib import Path

import pytest

from domain.bank import ParseError, StatementFormat, detect_format
from tests.unit.bank.sample_files import sample_paths

KINDS = {
    "camt053": StatementFormat.CAMT053,
    "camt054": StatementFormat.CAMT054,
    "mt940": StatementFormat.MT940,
    "ofx": StatementFormat.OFX,
}


@pytest.mark.parametrize(
    ("path", "kind"),
    [(path, kind) for folder, kind in KINDS.items() for path in sample_paths(folder)],
    ids=lambda value: value.name if isinstance(value, Path) else str(value),
)
def test_every_sample_is_recognised_as_its_format(path: Path, kind: StatementFormat) -> None:
    assert detect_format(path.read_bytes()) is kind


@pytest.mark.parametrize("path", sample_paths("csv"), ids=lambda p: p.name)
def test_a_csv_file_is_not_guessed(path: Path) -> None:
    with pytest.raises(ParseError, match="needs a column mapping"):
        detect_format(path.read_bytes())


def test_other_xml_is_not_taken_for_a_statement() -> None:
    with pytest.raises(ParseError, match="neither a camt"):
        detect_format(b'<?xml version="1.0"?><Invoice xmlns="urn:oasis:ubl"/>')


def test_a_byte_order_mark_does_not_hide_the_format() -> None:
    (path,) = sample_paths("camt053", "no-entries_oca.camt053.xml")

    assert detect_format(b"\xef\xbb\xbf" + path.read_bytes()) is StatementFormat.CAMT053
