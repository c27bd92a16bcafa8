"""Conventions that keep each layer to its job, checked on the source itself."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _sources(*packages: str) -> list[Path]:
    return [p for package in packages for p in sorted((ROOT / package).rglob("*.py"))]


def _hits(pattern: str, *packages: str) -> list[str]:
    regex = re.compile(pattern)
    return [
        f"{path.relative_to(ROOT)}:{n}"
        for path in _sources(*packages)
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if regex.search(line)
    ]


def test_domain_and_store_errors_do_not_name_graphql_paths() -> None:
    """Rules say which field of the request is wrong; api/ says where that is in GraphQL."""
    assert _hits(r"""["']input["']""", "domain", "store") == []


def test_only_the_composition_root_reads_the_environment() -> None:
    """lettrage/settings.py reads it once; everything else is handed its configuration."""
    pattern = r"\bos\.environ\b|\bgetenv\b|\bfrom os import\b.*\benviron\b"
    assert _hits(pattern, "api", "domain", "store", "workers") == []


_WRITE_SQL = re.compile(r"\b(UPDATE|INSERT|DELETE)\b|lettrage_finish_delivery", re.IGNORECASE)
_RUNS_SQL = {"execute", "executemany", "fetch", "fetchrow", "fetchval"}


def _sql_text(node: ast.expr, constants: dict[str, str]) -> str:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(_sql_text(v, constants) for v in node.values)
    if isinstance(node, ast.Name):
        return constants.get(node.id, "")
    return ""


def test_delivery_steps_write_through_the_unit_of_work() -> None:
    """The statement and document delivery steps write in a unit of work of store.uow
    (UnitOfWork / run_in_transaction, or run_statement for a step of one statement), never
    in a transaction of their own nor with SQL sent straight to a driver connection."""
    paths = [*_sources("store/statements"), ROOT / "store/collections/deliveries.py"]
    found = []
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants: dict[str, str] = {}
        for statement in tree.body:
            if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
                target = statement.targets[0]
                if isinstance(target, ast.Name):
                    constants[target.id] = _sql_text(statement.value, constants)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
                continue
            name = node.func.attr
            writes = (
                name in _RUNS_SQL
                and node.args
                and _WRITE_SQL.search(_sql_text(node.args[0], constants))
            )
            if name == "begin" or writes:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {name}")
    assert found == []
