"""API keys (only a hash is stored) and idempotency keys for posting mutations."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

from store.tables.base import code, created_at, metadata

API_KEYS = sa.Table(
    "api_keys",
    metadata,
    sa.Column("id", sa.Integer(), primary_key=True),
    sa.Column("name", sa.Text(), nullable=False),
    sa.Column("key_hash", sa.Text(), nullable=False, unique=True),
    sa.Column("scopes", ARRAY(sa.Text()), nullable=False),
    created_at(),
)

IDEMPOTENCY_KEYS = sa.Table(
    "idempotency_keys",
    metadata,
    code("key"),
    code("operation"),
    sa.Column("request_hash", sa.Text(), nullable=False),
    sa.Column("response", JSONB(), nullable=False),
    created_at(),
)
