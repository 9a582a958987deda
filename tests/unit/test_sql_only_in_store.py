"""One store: no SQL statement, SQL-running call or SQLAlchemy query outside store/."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "hourproof"
STORE = SRC / "store"

#: The start of an SQL statement inside a string literal.
SQL_TEXT = re.compile(
    r"^\s*(SELECT\s.+\sFROM|INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|"
    r"CREATE\s+(UNIQUE\s+)?(TABLE|INDEX|VIEW|TRIGGER)|DROP\s+(TABLE|INDEX)|ALTER\s+TABLE|"
    r"PRAGMA\s+\w+|WITH\s+\w+\s+AS\s*\()",
    re.IGNORECASE | re.DOTALL,
)
#: Transaction control, as a whole statement (written in capitals, as SQL is here).
#: (A bare "BEGIN" is also iCalendar's word; it counts when passed to an execute call.)
TRANSACTION_TEXT = re.compile(
    r"^\s*(BEGIN\s+(IMMEDIATE|DEFERRED|EXCLUSIVE)|COMMIT|ROLLBACK)\s*;?\s*$"
)
#: Calls that run SQL on a connection, and SQLAlchemy's query constructors.
SQL_CALLS = {"execute", "executemany", "executescript", "exec_driver_sql", "scalar", "scalars"}
SQLALCHEMY_QUERY = {"select", "insert", "update", "delete", "text", "join", "outerjoin"}


def _sources() -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py") if STORE not in p.parents)


def _findings(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if SQL_TEXT.match(node.value) or TRANSACTION_TEXT.match(node.value):
                found.append(f"line {node.lineno}: SQL text {node.value[:40]!r}")
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "sqlalchemy" or node.module.startswith("sqlalchemy."):
                names = {a.name for a in node.names}
                if names & SQLALCHEMY_QUERY or node.module.startswith("sqlalchemy.sql"):
                    found.append(f"line {node.lineno}: SQLAlchemy query import {sorted(names)}")
            if node.module in ("hourproof.store.sql", "hourproof.store.tables"):
                found.append(f"line {node.lineno}: imports {node.module}")
            if node.module == "hourproof.store" and {a.name for a in node.names} & {
                "sql",
                "tables",
            }:
                found.append(f"line {node.lineno}: imports the store's SQL helpers")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in SQL_CALLS
            and _runs_sql(node)
        ):
            found.append(f"line {node.lineno}: .{node.func.attr}(...) runs SQL")
    return found


def _runs_sql(call: ast.Call) -> bool:
    """``x.execute("…")`` with SQL text, or on something called db/conn/cursor."""
    receiver = call.func.value  # type: ignore[attr-defined]
    name = receiver.attr if isinstance(receiver, ast.Attribute) else getattr(receiver, "id", "")
    if name in ("db", "conn", "connection", "cursor", "cur", "con", "raw", "dbapi_connection"):
        return True
    return any(
        isinstance(a, ast.Constant) and isinstance(a.value, str)
        and bool(SQL_TEXT.match(a.value) or TRANSACTION_TEXT.match(a.value)
                 or a.value.strip().upper() == "BEGIN")
        for a in call.args
    )  # fmt: skip


@pytest.mark.parametrize("path", _sources(), ids=lambda p: str(p.relative_to(SRC)))
def test_no_sql_outside_the_store(path):
    assert _findings(path) == [], f"{path.relative_to(SRC)}: move this into store/"


def test_the_scan_catches_sql(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from sqlalchemy import select\n"
        "def f(txn):\n"
        "    txn.db.execute('UPDATE entries SET note = 1')\n"
        '    q = "SELECT id FROM entries WHERE x = 1"\n'
        "    txn.db.execute('COMMIT')\n"
        "    print('commit', 'Begin the day')\n"
    )
    found = _findings(bad)
    assert len(found) == 6, found  # the import, 2 calls, 3 texts; plain words pass
