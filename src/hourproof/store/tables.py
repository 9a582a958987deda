"""SQLAlchemy ``Table`` objects, built from ``store/schema.py`` (never written by hand).

Imported only where SQLAlchemy is wanted (it is not on the hot CLI path).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
    text,
)
from sqlalchemy.schema import SchemaItem
from sqlalchemy.types import TypeEngine

from hourproof.store import schema

_TYPES: dict[str, type[TypeEngine[Any]]] = {
    schema.INTEGER: Integer,
    schema.TEXT: Text,
    schema.BLOB: LargeBinary,
}


def _column(col: schema.Column) -> Column[Any]:
    args: list[Any] = [col.name, _TYPES[col.type]()]
    if col.references is not None:
        table, rest = col.references.split("(", 1)
        args.append(ForeignKey(f"{table.strip()}.{rest.rstrip(')').strip()}",
                               ondelete=col.on_delete))  # fmt: skip
    if col.check is not None:
        args.append(CheckConstraint(col.check))
    return Column(
        *args,
        primary_key=col.primary_key,
        nullable=col.nullable and not col.primary_key,
        unique=col.unique or None,
        server_default=text(col.default) if col.default is not None else None,
    )


def build(metadata: MetaData) -> None:
    for t in schema.TABLES:
        items: list[SchemaItem] = [_column(c) for c in t.columns]
        if t.primary_key:
            items.append(PrimaryKeyConstraint(*t.primary_key))
        Table(t.name, metadata, *items)
    for i in schema.INDEXES:
        table = metadata.tables[i.table]
        where: dict[str, Any] = {"sqlite_where": text(i.where)} if i.where else {}
        Index(i.name, *(table.c[c] for c in i.columns), unique=i.unique, **where)


metadata = MetaData()
build(metadata)


def __getattr__(name: str) -> Table:
    """``tables.leaves``, ``tables.git_repos`` … as attributes."""
    try:
        return metadata.tables[name]
    except KeyError:
        raise AttributeError(name) from None
