"""Shared metadata with a naming convention, so constraint names are stable in migrations."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

metadata = SQLModel.metadata
metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def money(default: Decimal | None = Decimal(0), nullable: bool = False) -> Any:
    """A NUMERIC column: exact decimals, never float."""
    return Field(default=default, sa_type=sa.Numeric(), nullable=nullable)


def text(default: str | None = "", nullable: bool = False, **kw: Any) -> Any:
    return Field(default=default, sa_type=sa.Text(), nullable=nullable, **kw)
