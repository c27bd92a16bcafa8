"""Shared metadata with a naming convention, so constraint names are stable in migrations, and
the column shapes every table repeats.

Tables are plain SQLAlchemy Core `sa.Table`s: the store reads and writes them with Core
statements only. A column's Python `default` fills what an INSERT leaves out, as it always
has; it is no DDL (the migrations set no server defaults but `now()`)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import sqlalchemy as sa

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def money(
    name: str, default: Decimal | None = Decimal(0), nullable: bool = False
) -> sa.Column[Any]:
    """A NUMERIC column: exact decimals, never float."""
    return sa.Column(name, sa.Numeric(), default=default, nullable=nullable)


def text(name: str, default: str | None = "", nullable: bool = False) -> sa.Column[Any]:
    return sa.Column(name, sa.Text(), default=default, nullable=nullable)


def optional_text(name: str) -> sa.Column[Any]:
    return sa.Column(name, sa.Text(), nullable=True)


def code(name: str) -> sa.Column[Any]:
    """A TEXT primary key (a code or number the user chose)."""
    return sa.Column(name, sa.Text(), primary_key=True)


def reference(name: str, target: str, **kw: Any) -> sa.Column[Any]:
    """A required TEXT foreign key (`target` is "table.column")."""
    return sa.Column(name, sa.Text(), sa.ForeignKey(target), nullable=False, **kw)


def serial(name: str = "entry_no") -> sa.Column[Any]:
    """A BIGSERIAL primary key: numbers from the table's sequence, increasing, gaps allowed."""
    return sa.Column(name, sa.BigInteger(), primary_key=True)


def big(name: str, *args: Any, nullable: bool = False) -> sa.Column[Any]:
    return sa.Column(name, sa.BigInteger(), *args, nullable=nullable)


def date_(name: str, nullable: bool = False) -> sa.Column[Any]:
    return sa.Column(name, sa.Date(), nullable=nullable)


def flag(name: str, default: bool = False) -> sa.Column[Any]:
    return sa.Column(name, sa.Boolean(), default=default, nullable=False)


def number(name: str, default: int | None = None) -> sa.Column[Any]:
    """A required INTEGER."""
    return sa.Column(name, sa.Integer(), default=default, nullable=False)


def timestamp(name: str, nullable: bool = False) -> sa.Column[Any]:
    """TIMESTAMPTZ: `now()` on insert when required, else empty until set."""
    if nullable:
        return sa.Column(name, sa.DateTime(timezone=True), nullable=True)
    return sa.Column(name, sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False)


def created_at() -> sa.Column[Any]:
    return timestamp("created_at")
