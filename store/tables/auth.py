"""API keys (only a hash is stored) and idempotency keys for posting mutations."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlmodel import Field, SQLModel


class ApiKey(SQLModel, table=True):
    __tablename__ = "api_keys"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_type=sa.Text(), nullable=False)
    key_hash: str = Field(sa_type=sa.Text(), nullable=False, unique=True)
    scopes: list[str] = Field(sa_type=ARRAY(sa.Text()), nullable=False)
    created_at: datetime = Field(
        sa_type=sa.DateTime(timezone=True),
        sa_column_kwargs={"server_default": sa.func.now()},
        nullable=False,
    )


class IdempotencyKey(SQLModel, table=True):
    __tablename__ = "idempotency_keys"

    key: str = Field(sa_type=sa.Text(), primary_key=True)
    operation: str = Field(sa_type=sa.Text(), primary_key=True)
    request_hash: str = Field(sa_type=sa.Text(), nullable=False)
    response: dict[str, Any] = Field(sa_type=JSONB(), nullable=False)
    created_at: datetime = Field(
        sa_type=sa.DateTime(timezone=True),
        sa_column_kwargs={"server_default": sa.func.now()},
        nullable=False,
    )
