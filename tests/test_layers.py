"""The test layers: every test gets one layer marker, contradictions stop the run, guards hold."""

from __future__ import annotations

import sys

import psycopg2
import pytest

from support.layers import LayerError, implied_layer, is_hidden_airflow_import, resolve_layer

# Stand-ins for the fixtures of tests/conftest.py that imply a layer (the rule goes by name).
_CONFTEST = """
import pytest

@pytest.fixture
def pg_server():
    return "postgresql://nobody@127.0.0.1:1/postgres"

@pytest.fixture
def db_url(pg_server):
    return pg_server

@pytest.fixture
def airflow_db():
    return None
"""

_INI = """
[pytest]
addopts = --strict-markers -p support.layer_plugin
markers =
    unit: u
    db: d
    airflow: a
    cluster: c
    bench: b
    corpus: s
"""


@pytest.fixture
def sample(pytester: pytest.Pytester) -> pytest.Pytester:
    """A pytester project with the layer plugin and stand-in layer fixtures."""
    pytester.makeini(_INI)
    pytester.makeconftest(_CONFTEST)
    return pytester


def _layers(pytester: pytest.Pytester) -> dict[str, list[str]]:
    """Collect the sample project; layer markers of each test by name."""
    items, _ = pytester.inline_genitems()
    wanted = {"unit", "db", "airflow", "cluster", "bench", "corpus"}
    return {item.name: sorted({m.name for m in item.iter_markers()} & wanted) for item in items}


def test_rule_from_fixtures_and_markers() -> None:
    assert implied_layer(["tmp_path"]) == ("unit", None)
    assert implied_layer(["engine", "db_url", "pg_server"]) == ("db", "pg_server")
    assert implied_layer(["pg_server", "airflow_db"]) == ("airflow", "airflow_db")
    assert resolve_layer("t", [], ["monkeypatch"]) == "unit"
    assert resolve_layer("t", ["cluster", "cluster"], ["meta_url", "pg_server"]) == "cluster"
    assert resolve_layer("t", ["bench"], ["pg_server"]) == "bench"
    with pytest.raises(LayerError, match="marked unit but uses the fixture pg_server"):
        resolve_layer("t", ["unit"], ["pg_server"])
    with pytest.raises(LayerError, match="marked db but uses the fixture airflow_db"):
        resolve_layer("t", ["db"], ["airflow_db", "pg_server"])
    with pytest.raises(LayerError, match="several layer markers"):
        resolve_layer("t", ["db", "airflow"], [])


def test_every_collected_test_gets_one_layer(sample: pytest.Pytester) -> None:
    sample.makepyfile(
        test_sample="""
        import pytest

        def test_pure():
            pass

        def test_database(db_url):
            pass

        def test_dag(airflow_db, db_url):
            pass

        @pytest.mark.cluster
        def test_processes(db_url):
            pass

        @pytest.mark.db
        def test_own_server(tmp_path):
            pass

        @pytest.mark.bench
        def test_bench_script(pg_server):
            pass

        def test_reads_shared(shared_dir):
            pass

        @pytest.fixture
        def shared_dir(tmp_path):
            return tmp_path
        """
    )
    assert _layers(sample) == {
        "test_pure": ["unit"],
        "test_database": ["db"],
        "test_dag": ["airflow"],
        "test_processes": ["cluster"],
        "test_own_server": ["db"],
        "test_bench_script": ["bench"],
        "test_reads_shared": ["corpus", "unit"],
    }
    fast = sample.runpytest("-m", "unit or db", "-q")
    fast.assert_outcomes(passed=4, deselected=3)


def test_contradicting_markers_are_a_collection_error(sample: pytest.Pytester) -> None:
    sample.makepyfile(
        test_sample="""
        import pytest

        pytestmark = pytest.mark.db

        @pytest.mark.unit
        def test_two_layers():
            pass

        def test_fine(db_url):
            pass

        def test_needs_airflow(airflow_db):
            pass
        """
    )
    result = sample.runpytest("-q")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    errors = result.stderr.str()
    assert "ERROR: test layers:" in errors
    assert "test_sample.py::test_two_layers: several layer markers ['db', 'unit']" in errors
    assert "test_sample.py::test_needs_airflow: marked db but uses the fixture airflow_db" in errors
    assert "test_fine" not in errors


def test_unit_tests_cannot_open_a_database_or_import_airflow(sample: pytest.Pytester) -> None:
    sample.makepyfile(
        test_sample="""
        import psycopg2
        import pytest

        def test_swallows_the_refusal():
            try:
                psycopg2.connect("postgresql://nobody@127.0.0.1:1/news")
            except Exception:
                pass

        def test_imports_airflow():
            from airflow.sdk import dag  # noqa: F401

        @pytest.mark.db
        def test_db_imports_airflow():
            import airflow  # noqa: F401

        def test_leaves_a_task_context(monkeypatch):
            import os
            os.environ["AIRFLOW_CTX_DAG_ID"] = "left-behind"

        def test_sees_no_task_context():
            import os
            assert "AIRFLOW_CTX_DAG_ID" not in os.environ
        """
    )
    result = sample.runpytest("-q")
    result.assert_outcomes(passed=3, failed=2, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*a unit test called psycopg2.connect: mark it db*",
            "*airflow is hidden from unit tests: a test that imports it is airflow*",
            "*airflow is hidden from db tests: a test that imports it is airflow*",
        ]
    )


def test_this_unit_test_is_guarded() -> None:
    assert sys.modules.get("airflow", "absent") is None
    with pytest.raises(ModuleNotFoundError) as refused:
        import airflow  # noqa: F401
    assert is_hidden_airflow_import(refused.value)
    assert type(psycopg2.connect).__name__ == "_Refused"


def test_hidden_airflow_import_is_recognised_through_a_chain() -> None:
    try:
        try:
            from airflow.models import DagRun  # noqa: F401
        except ModuleNotFoundError as error:
            raise RuntimeError("wrapped") from error
    except RuntimeError as wrapped:
        assert is_hidden_airflow_import(wrapped)
    assert not is_hidden_airflow_import(ModuleNotFoundError("No module named 'x'", name="x"))
