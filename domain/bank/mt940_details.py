"""The :86: text says who paid and for which invoice, in one of three dialects; read all three."""

from __future__ import annotations

import re
from dataclasses import dataclass

import mt940.processors
from mt940.models import Transactions
from mt940.options import Options
from mt940.tags import TransactionDetails

from domain.bank.errors import ParseError
from domain.bank.fields import clean, compact, join_text

# German/Polish "?xx" layout: a 3-digit business code, then ?00..?63 sub-fields.
_GVC_LAYOUT = re.compile(r"\d{3}\?\d{2}")
# Dutch SWIFT layout: /EREF/..., /CNTP/iban/bic/name/city/, /REMI/..., /NAME/...
_DUTCH_KEYS = (
    "ADDR|BENM|BIC|BUSP|CHGS|CNTP|CSID|EREF|EXCH|IBAN|ISDT|KREF|MARF|NAME|OCMT|ORDP|PREF|"
    "PURP|REMI|RTRN|SVCL|TRCD|ULTB|ULTC|ULTD"
)
_DUTCH_KEY = re.compile(rf"/({_DUTCH_KEYS})/")
_NOT_PROVIDED = {"NOTPROVIDED", "NONREF"}

# One collection is enough: the processor only reads its options.
_GVC_CONTEXT = Transactions(options=Options(applicant_iban=True))
_GVC_TAG = TransactionDetails()


@dataclass(frozen=True, slots=True)
class Details:
    """What the :86: text says about the counterparty and the payment."""

    counterparty_name: str | None = None
    counterparty_iban: str | None = None
    remittance_text: str | None = None
    end_to_end_id: str | None = None


def interpret_details(text: str, where: str) -> Details:
    """Read structured :86: sub-fields when present; otherwise the text is the remittance."""
    joined = "".join(line.strip("\r") for line in text.split("\n")).strip()
    if _GVC_LAYOUT.match(joined):
        return _german(joined, where)
    if _DUTCH_KEY.match(joined):
        return _dutch(joined)
    return Details(remittance_text=join_text([text]))


def _german(joined: str, where: str) -> Details:
    """German GVC layout, read with the mt940 library's own sub-field processor.

    ?20-?29 (and ?60-?63) are the purpose, split on SEPA keywords (EREF+, SVWZ+, ...);
    ?31 the counterparty account, ?32/?33 its name.
    """
    try:
        result = mt940.processors.transaction_details_post_processor(
            _GVC_CONTEXT,
            _GVC_TAG,
            {"transaction_details": joined},
            {"transaction_details": joined},
        )
    except Exception as exc:  # the library raises assorted errors on hostile text
        raise ParseError(f"the :86: sub-fields cannot be read ({exc})", where) from exc
    end_to_end = clean(result.get("end_to_end_reference"))
    return Details(
        counterparty_name=clean(result.get("applicant_name")),
        counterparty_iban=compact(result.get("applicant_iban")),
        remittance_text=join_text([result.get("purpose"), result.get("additional_purpose")])
        or join_text([joined]),
        end_to_end_id=None if end_to_end is None or end_to_end in _NOT_PROVIDED else end_to_end,
    )


def _dutch(joined: str) -> Details:
    """Dutch SWIFT layout (ING, Rabobank, ABN AMRO SEPA, bunq, ASN)."""
    values: dict[str, str] = {}
    matches = list(_DUTCH_KEY.finditer(joined))
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(joined)
        values.setdefault(match.group(1), joined[match.end() : end])

    name = _value(values.get("NAME"))
    iban = _value(values.get("IBAN"))
    counterparty = values.get("CNTP")
    if counterparty is not None:
        parts = counterparty.split("/")
        iban = iban or _value(parts[0])
        name = name or (_value(parts[2]) if len(parts) > 2 else None)
    end_to_end = _value(values.get("EREF"))
    return Details(
        counterparty_name=name,
        counterparty_iban=compact(iban),
        remittance_text=_remittance(values.get("REMI")) or join_text([joined]),
        end_to_end_id=None if end_to_end is None or end_to_end in _NOT_PROVIDED else end_to_end,
    )


def _value(raw: str | None) -> str | None:
    """A sub-field value without the separating slashes around it."""
    if raw is None:
        return None
    return clean(raw.strip("/"))


def _remittance(raw: str | None) -> str | None:
    """``USTD//free text/`` or ``STRD/CUR/reference/`` (ING), else the text itself."""
    text = _value(raw)
    if text is None:
        return None
    if text.startswith("USTD//"):
        return _value(text[len("USTD//") :])
    if text.startswith("STRD/"):
        return join_text(part for part in text[len("STRD/") :].split("/") if part != "CUR")
    return join_text([text])
