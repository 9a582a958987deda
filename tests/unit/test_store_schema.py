"""One schema definition: new homes, migrated homes and SQLAlchemy all agree with it."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from hourproof.store import migrations, schema
from hourproof.store.db import migrate
from hourproof.store.migrations import SCHEMA_VERSION


def _normalized(sql: str) -> str:
    sql = re.sub(r"\s+", " ", sql.strip())
    return re.sub(r"\( ", "(", re.sub(r" \)", ")", sql))


def _schema_of(db: sqlite3.Connection) -> dict[str, str]:
    rows = db.execute(
        "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'"
    )
    return {name: _normalized(sql) for name, sql in rows}


def _open(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path)
    db.isolation_level = None
    return db


def _at_version_1(path: Path) -> sqlite3.Connection:
    """A database as the first released hourproof left it."""
    db = _open(path)
    for statement in migrations.MIGRATIONS[0].sql():
        db.execute(statement)
    db.execute("PRAGMA user_version = 1")
    return db


def test_a_new_home_is_created_from_the_schema_definition(tmp_path):
    db = _open(tmp_path / "new.db")
    assert migrate(db) == 0
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert set(_schema_of(db).values()) == {_normalized(s) for s in schema.create_statements()}


def test_an_old_home_migrated_step_by_step_has_exactly_the_new_schema(tmp_path):
    fresh = _open(tmp_path / "new.db")
    migrate(fresh)
    old = _at_version_1(tmp_path / "old.db")
    assert migrate(old) == 1
    assert _schema_of(old) == _schema_of(fresh)
    assert old.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_migrating_keeps_what_an_old_home_holds(tmp_path):
    old = _at_version_1(tmp_path / "old.db")
    old.execute(
        "INSERT INTO leaves (seq, kind, recorded_at, data, hash) VALUES (0, 'k', 't', x'00', x'01')"
    )
    migrate(old)
    assert old.execute("SELECT seq, kind FROM leaves").fetchall() == [(0, "k")]


def test_a_new_table_step_takes_its_ddl_from_the_definition():
    assert list(migrations.create("watches")) == [schema.table("watches").ddl()]
    assert list(migrations.create("entries"))[1:] == [
        i.ddl() for i in schema.INDEXES if i.table == "entries"
    ]
    with pytest.raises(KeyError, match="no table"):
        list(migrations.create("no_such_table"))


def test_every_table_is_created_once():
    names = [t.name for t in schema.TABLES]
    assert len(names) == len(set(names))
    assert {i.table for i in schema.INDEXES} <= set(names)


def test_sqlalchemy_tables_are_built_from_the_definition(tmp_path):
    from sqlalchemy import create_engine, inspect

    from hourproof.store import tables

    assert set(tables.metadata.tables) == {t.name for t in schema.TABLES}
    engine = create_engine(f"sqlite:///{tmp_path / 'sa.db'}")
    tables.metadata.create_all(engine)
    made = _open(tmp_path / "ddl.db")
    migrate(made)
    insp = inspect(engine)
    for t in schema.TABLES:
        by_sa = {(c["name"], str(c["type"]).upper()) for c in insp.get_columns(t.name)}
        by_ddl = {(r[1], r[2]) for r in made.execute(f"PRAGMA table_info({t.name})")}
        by_sa = {(n, "BLOB" if ty == "BLOB" else ty) for n, ty in by_sa}
        assert by_sa == by_ddl, t.name
        pk = insp.get_pk_constraint(t.name)["constrained_columns"]
        assert tuple(pk) == t.key, t.name
        fks = {
            (f["constrained_columns"][0], f["referred_table"])
            for f in insp.get_foreign_keys(t.name)
        }
        ddl_fks = {(r[3], r[2]) for r in made.execute(f"PRAGMA foreign_key_list({t.name})")}
        assert fks == ddl_fks, t.name
    sa_indexes = {i["name"] for name in tables.metadata.tables for i in insp.get_indexes(name)}
    assert {i.name for i in schema.INDEXES} <= sa_indexes
    engine.dispose()


def test_opening_an_up_to_date_home_does_not_load_the_schema_definition(tmp_path):
    import subprocess
    import sys

    db = _open(tmp_path / "h.db")
    migrate(db)
    db.close()
    code = (
        "import sys; from pathlib import Path; from hourproof.store.db import connect; "
        f"connect(Path({str(tmp_path / 'h.db')!r})); "
        "print('hourproof.store.schema' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
