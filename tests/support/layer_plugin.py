"""The pytest side of the test layers (support/layers.py): markers at collection, the guards.

Loaded by tests/conftest.py (pytest_plugins).
"""

from __future__ import annotations

import contextlib
from collections.abc import Generator, Iterator

import pytest

from support.layers import (
    CORPUS_FIXTURES,
    LAYERS,
    LayerError,
    is_hidden_airflow_import,
    no_airflow,
    no_database,
    resolve_layer,
    task_context_restored,
)


@pytest.hookimpl(tryfirst=True)  # before -m selects by marker
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Give every test its layer marker (support/layers.py); contradictions stop the run."""
    errors = []
    for item in items:
        marked = [m.name for m in item.iter_markers() if m.name in LAYERS]
        fixtures = getattr(item, "fixturenames", ())
        try:
            layer = resolve_layer(item.nodeid, marked, fixtures)
        except LayerError as error:
            errors.append(str(error))
            continue
        if not marked:
            item.add_marker(layer)
        if CORPUS_FIXTURES.intersection(fixtures):
            item.add_marker("corpus")
    if errors:
        raise pytest.UsageError("test layers:\n  " + "\n  ".join(errors))


def _layer(node: pytest.Item) -> str:
    """The layer marker pytest_collection_modifyitems gave a test."""
    return next(m.name for m in node.iter_markers() if m.name in LAYERS)


@pytest.fixture(autouse=True)
def _layer_guard(request: pytest.FixtureRequest) -> Iterator[None]:
    """No database for a unit test, no Airflow for a unit or db test; no task context left."""
    layer = _layer(request.node)
    with contextlib.ExitStack() as stack:
        stack.enter_context(task_context_restored())
        refused = stack.enter_context(no_database(layer)) if layer == "unit" else []
        if layer in ("unit", "db"):
            stack.enter_context(no_airflow())
        yield
    if refused:
        pytest.fail(f"a unit test called {', '.join(refused)}: mark it db", pytrace=False)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Say why an airflow import failed in a unit or db test."""
    report = yield
    if call.excinfo is not None and is_hidden_airflow_import(call.excinfo.value):
        hint = f"airflow is hidden from {_layer(item)} tests: a test that imports it is airflow"
        report.sections.append(("test layer", hint))
    return report
