"""Banks mangle names and references (case, accents, legal forms, truncation), so names,
IBANs and document numbers are compared in one normalised form."""

from __future__ import annotations

import re
import unicodedata

# A run of letters or digits; anything else (space, '-', '/', '.', '_') separates tokens.
_RUN = re.compile(r"[^\W_]+")

# Legal forms and filler words that say nothing about who the party is.
LEGAL_FORMS = frozenset(
    """
    ab ag aps as asa bv bvba co corp corporation cv eurl ev gbr gmbh inc kg kft llc llp ltd
    limited nv oy oyj plc sa sarl sas sasu snc spa sprl srl sro the vof
    """.split()
)

# BC: "Text matching is only possible for text longer than four characters."
MIN_DOCUMENT_NO_LENGTH = 5
# Name tokens shorter than this ("de", "van", initials) are not indexed.
MIN_NAME_TOKEN_LENGTH = 3


def normalize_iban(value: str | None) -> str:
    """Compact upper-case form ('nl91 abna 0417...' -> 'NL91ABNA0417...'); '' when absent."""
    if not value:
        return ""
    return "".join(value.split()).upper()


def normalize_name(value: str | None) -> str:
    """Lower case, no accents, no punctuation, no legal form: 'Acme B.V.' -> 'acme'."""
    if not value:
        return ""
    if value.isascii():
        plain = value.lower()
    else:
        decomposed = unicodedata.normalize("NFKD", value)
        plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    # 'B.V.' and 'S.A.' are legal forms written with dots: join single letters first.
    words = [w for w in _RUN.findall(plain.replace(".", "")) if w not in LEGAL_FORMS]
    return " ".join(words)


def sorted_token_form(normalized: str) -> str:
    """The distinct tokens, sorted: what token_set_ratio compares when no token is shared."""
    return " ".join(sorted(set(normalized.split())))


def name_index_tokens(normalized: str) -> frozenset[str]:
    return frozenset(t for t in normalized.split() if len(t) >= MIN_NAME_TOKEN_LENGTH)


def document_key(value: str | None) -> tuple[str, int] | None:
    """Upper-case key of a document number and its count of alphanumeric runs.

    None when the number is too short to be searched in free text (BC's rule).
    """
    if not value:
        return None
    if value.isalnum():  # the common case: 'SI100234'
        return (value.upper(), 1) if len(value) >= MIN_DOCUMENT_NO_LENGTH else None
    runs = _RUN.findall(value)
    if not runs:
        return None
    start = value.find(runs[0])
    end = value.rfind(runs[-1]) + len(runs[-1])
    key = value[start:end].upper()
    if len(key) < MIN_DOCUMENT_NO_LENGTH:
        return None
    return key, len(runs)


def text_phrases(text: str, max_runs: int) -> set[str]:
    """Every stretch of 1..max_runs consecutive alphanumeric runs, as written, upper case.

    A document number matches when it equals one of these: it then stands in the text as a
    whole token, with a non-alphanumeric (or the text's edge) on each side.
    """
    spans = [m.span() for m in _RUN.finditer(text)]
    phrases: set[str] = set()
    count = len(spans)
    for i in range(count):
        start = spans[i][0]
        for j in range(i, min(count, i + max_runs)):
            phrase = text[start : spans[j][1]]
            if len(phrase) >= MIN_DOCUMENT_NO_LENGTH:
                phrases.add(phrase.upper())
    return phrases
