"""Schemathesis hooks: strategies for Lettrage's Decimal and Date scalars (strings on the wire).

Used by scripts/fuzz.sh through SCHEMATHESIS_HOOKS=scripts.fuzz_hooks.
"""

from __future__ import annotations

import schemathesis.graphql as sg
from hypothesis import strategies as st
from schemathesis.graphql import nodes

decimals = st.one_of(
    st.decimals(
        min_value=-(10**9), max_value=10**9, places=2, allow_nan=False, allow_infinity=False
    ).map(lambda d: format(d, "f")),
    st.text(max_size=12),
)
dates = st.one_of(st.dates().map(lambda d: d.isoformat()), st.text(max_size=12))

sg.scalar("Decimal", decimals.map(nodes.String))
sg.scalar("Date", dates.map(nodes.String))
