"""Offline checks of the deployment files: docker-compose.yml, Dockerfile, .env.example.

No Docker engine is needed:
- docker-compose.yml is validated against the Compose specification schema that ships
  inside check-jsonschema (``--builtin-schema vendor.compose-spec``: no network);
- where a ``docker-compose`` command exists (Debian's package, or the ``docker compose``
  plugin), ``config -q`` also interpolates it with the values of .env.example;
- structural assertions with PyYAML guard what the schema cannot: services, health checks,
  the two separate databases, a scalable worker, migrations, and secrets kept out of the file.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import SplitResult, urlsplit

import pytest
import yaml

from newswire.run.cluster import MIN_HEARTBEAT_INTERVAL, local_airflow_env

ROOT = Path(__file__).resolve().parents[1]
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
ENV_EXAMPLE = ROOT / ".env.example"
DOCKERIGNORE = ROOT / ".dockerignore"
LOCK_FILE = ROOT / "requirements.lock"
# The image installs runtime dependencies only: the same pins without the dev tools.
RUNTIME_LOCK = ROOT / "requirements-runtime.lock"
# Dev-only packages (and their own dependencies) that the runtime lock must not carry.
DEV_ONLY = ("pytest", "ruff", "mypy", "check-jsonschema", "uv")

AIRFLOW_SERVICES = {
    "airflow-apiserver",
    "airflow-scheduler",
    "airflow-dag-processor",
    "airflow-triggerer",
    "airflow-worker",
}
ONE_SHOT_SERVICES = {"airflow-init"}
EXPECTED_SERVICES = {"postgres", "news-db", "redis"} | AIRFLOW_SERVICES | ONE_SHOT_SERVICES

# ${VAR}, ${VAR:-default}, ${VAR:?message} and friends (compose interpolation).
_VAR_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}")
# A whole value that is one required reference: ${VAR:?message} (no default to fall back on).
_REQUIRED_VAR_REF = re.compile(r"^\$\{[A-Za-z_][A-Za-z0-9_]*:?\?[^}]*\}$")
_SECRET_KEY = re.compile(r"PASSWORD|SECRET|FERNET|TOKEN", re.IGNORECASE)


# --------------------------------------------------------------------------- helpers


def _venv_tool(name: str) -> Path:
    """A console script installed next to this interpreter (the project venv)."""
    tool = Path(sys.executable).parent / name
    if not tool.exists():
        pytest.fail(f"{name} is not installed in {tool.parent}: install the dev extra")
    return tool


def _env_example() -> dict[str, str]:
    """KEY=VALUE lines of .env.example (comments and blank lines skipped)."""
    values: dict[str, str] = {}
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        assert sep, f".env.example: not KEY=VALUE: {line!r}"
        values[key.strip()] = value.strip()
    return values


def _compose_commands() -> list[list[str]]:
    """The compose front-ends available here: docker-compose and/or `docker compose`."""
    commands = []
    if shutil.which("docker-compose"):
        commands.append(["docker-compose"])
    if shutil.which("docker"):
        probe = subprocess.run(
            ["docker", "compose", "version"], capture_output=True, text=True, timeout=60
        )
        if probe.returncode == 0:
            commands.append(["docker", "compose"])
    return commands


def _clean_env() -> dict[str, str]:
    """This process's environment without any variable that docker-compose.yml uses."""
    used = set(_VAR_REF.findall(COMPOSE_FILE.read_text(encoding="utf-8")))
    names = {name for name, _, _ in used}
    return {k: v for k, v in os.environ.items() if k not in names}


def _strings(node: Any) -> list[str]:
    """Every string inside a YAML node (command lists, healthcheck tests, ...)."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for value in node.values() for s in _strings(value)]
    if isinstance(node, list):
        return [s for item in node for s in _strings(item)]
    return []


def _env(service: dict[str, Any]) -> dict[str, str]:
    environment = service.get("environment") or {}
    assert isinstance(environment, dict), "use the mapping form for environment"
    return {str(k): str(v) for k, v in environment.items()}


def _depends_on(service: dict[str, Any]) -> dict[str, str]:
    depends = service.get("depends_on") or {}
    assert isinstance(depends, dict), "use the long form of depends_on (with conditions)"
    return {name: spec.get("condition", "") for name, spec in depends.items()}


def _url(value: str) -> SplitResult:
    """Split a URL whose parts may be ${VAR...} references (their ':' and '?' would
    confuse urlsplit): a required ${NAME:?...} becomes the token varref-NAME first, any
    other reference (which may fall back to a default) optref-NAME."""

    def token(match: re.Match[str]) -> str:
        required = match.group(2) in (":?", "?")
        return f"{'varref' if required else 'optref'}-{match.group(1)}"

    return urlsplit(_VAR_REF.sub(token, value))


def _airflow_version_in_lock() -> str:
    match = re.search(r"^apache-airflow==([0-9][^\s\\]*)", LOCK_FILE.read_text(), re.MULTILINE)
    assert match, "requirements.lock does not pin apache-airflow"
    return match.group(1)


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    data = yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))  # resolves <<: merges
    assert isinstance(data, dict)
    return data


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return compose["services"]


# --------------------------------------------------------------------------- schema


def test_compose_file_matches_compose_spec_schema() -> None:
    result = subprocess.run(
        [
            str(_venv_tool("check-jsonschema")),
            "--builtin-schema",
            "vendor.compose-spec",
            str(COMPOSE_FILE),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_schema_check_rejects_an_invalid_compose_file(tmp_path: Path) -> None:
    """The validator is not a no-op: an unknown key and a wrong type are reported."""
    bad = tmp_path / "docker-compose.yml"
    bad.write_text("services:\n  web:\n    image: 5\n    healthcheck_typo: {}\n")
    result = subprocess.run(
        [str(_venv_tool("check-jsonschema")), "--builtin-schema", "vendor.compose-spec", str(bad)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0, result.stdout


# --------------------------------------------------------------------------- docker-compose


@pytest.mark.parametrize("command", _compose_commands() or [None], ids=lambda c: " ".join(c or []))
def test_compose_config_with_env_example(command: list[str] | None, tmp_path: Path) -> None:
    if command is None:
        pytest.skip("neither docker-compose nor the docker compose plugin is installed")
    env = _clean_env() | _env_example()
    result = subprocess.run(
        [*command, "-f", str(COMPOSE_FILE), "--env-file", str(ENV_EXAMPLE), "config", "-q"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("command", _compose_commands() or [None], ids=lambda c: " ".join(c or []))
def test_compose_config_refuses_missing_secrets(command: list[str] | None, tmp_path: Path) -> None:
    """Without .env values compose must stop (${VAR:?}), not start with empty passwords."""
    if command is None:
        pytest.skip("neither docker-compose nor the docker compose plugin is installed")
    empty = tmp_path / "empty.env"
    empty.write_text("")
    result = subprocess.run(
        [*command, "-f", str(COMPOSE_FILE), "--env-file", str(empty), "config", "-q"],
        cwd=ROOT,
        env=_clean_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "in .env" in result.stdout + result.stderr


# --------------------------------------------------------------------------- structure


def test_expected_services_exist(services: dict[str, dict[str, Any]]) -> None:
    missing = EXPECTED_SERVICES - set(services)
    assert not missing, f"missing services: {sorted(missing)}"


def test_every_long_running_service_has_a_healthcheck(services: dict[str, Any]) -> None:
    for name, service in services.items():
        if name in ONE_SHOT_SERVICES:
            continue
        check = service.get("healthcheck")
        assert check and not check.get("disable"), f"{name} has no healthcheck"
        test = check.get("test")
        assert test and test not in (["NONE"], "NONE"), f"{name}: empty healthcheck test"
        assert service.get("restart") in ("always", "unless-stopped", "on-failure"), name


def test_healthchecks_probe_the_right_thing(services: dict[str, Any]) -> None:
    def probe(name: str) -> str:
        return " ".join(_strings(services[name]["healthcheck"]["test"]))

    assert "pg_isready" in probe("postgres")
    assert "pg_isready" in probe("news-db")
    assert "redis-cli ping" in probe("redis")
    assert "http://localhost:8080/api/v2/version" in probe("airflow-apiserver")
    assert "localhost:8974/health" in probe("airflow-scheduler")
    assert "DagProcessorJob" in probe("airflow-dag-processor")
    assert "TriggererJob" in probe("airflow-triggerer")
    assert "inspect ping" in probe("airflow-worker")


def test_images_and_commands(services: dict[str, Any]) -> None:
    assert services["postgres"]["image"] == "postgres:16"
    assert services["news-db"]["image"] == "postgres:16"
    assert services["redis"]["image"] == "redis:7.2-bookworm"
    commands = {
        "airflow-apiserver": "api-server",
        "airflow-scheduler": "scheduler",
        "airflow-dag-processor": "dag-processor",
        "airflow-triggerer": "triggerer",
        "airflow-worker": "celery worker",
    }
    for name, command in commands.items():
        assert services[name]["command"] == command, name
    assert "8080" in " ".join(map(str, services["airflow-apiserver"].get("ports", [])))


def test_airflow_services_share_the_built_image_and_settings(services: dict[str, Any]) -> None:
    for name in AIRFLOW_SERVICES | ONE_SHOT_SERVICES:
        service = services[name]
        build = service.get("build")
        assert build, f"{name} does not build the project image"
        context = build if isinstance(build, str) else build.get("context")
        dockerfile = (
            "Dockerfile" if isinstance(build, str) else build.get("dockerfile", "Dockerfile")
        )
        assert (ROOT / context / dockerfile).resolve() == DOCKERFILE, name

        env = _env(service)
        assert env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor", name
        assert env["AIRFLOW__CELERY__BROKER_URL"] == "redis://redis:6379/0", name
        assert env["AIRFLOW__CORE__LOAD_EXAMPLES"] == "false", name
        assert env["AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION"] == "true", name
        assert env["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"] == (
            "http://airflow-apiserver:8080/execution/"
        ), name
        assert _REQUIRED_VAR_REF.match(env["AIRFLOW__API_AUTH__JWT_SECRET"]), name
        assert env["AIRFLOW__WORKERS__MIN_HEARTBEAT_INTERVAL"] == str(MIN_HEARTBEAT_INTERVAL)
        assert _url(env["AIRFLOW__CELERY__RESULT_BACKEND"]).hostname == "postgres", name

        mounts = {_VAR_REF.sub("x", str(v)).split(":")[1] for v in service.get("volumes", [])}
        for folder in ("dags", "logs", "config", "plugins"):
            assert f"/opt/airflow/{folder}" in mounts, f"{name}: no {folder} volume"

        depends = _depends_on(service)
        assert depends.get("postgres") == "service_healthy", name
        assert depends.get("redis") == "service_healthy", name
        if name not in ONE_SHOT_SERVICES:
            assert depends.get("airflow-init") == "service_completed_successfully", name
            assert service["user"] == "${AIRFLOW_UID:-50000}:0", name


def test_news_db_is_separate_from_the_airflow_metadata_db(services: dict[str, Any]) -> None:
    metadata, news = services["postgres"], services["news-db"]
    assert metadata is not news
    assert metadata["volumes"] != news["volumes"], "the two databases share a volume"
    assert metadata["environment"]["POSTGRES_DB"] != news["environment"]["POSTGRES_DB"]

    for name in AIRFLOW_SERVICES | ONE_SHOT_SERVICES:
        env = _env(services[name])
        airflow_db = _url(env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"])
        news_db = _url(env["AIRFLOW_CONN_NEWS_DB"])
        assert airflow_db.hostname == "postgres", name
        assert news_db.hostname == "news-db", name
        assert news_db.scheme == "postgresql", name
        assert news_db.username == news["environment"]["POSTGRES_USER"], name
        assert news_db.path.lstrip("/") == news["environment"]["POSTGRES_DB"], name
        assert news_db.port == 5432, name
        assert news_db.password == "varref-NEWS_DB_PASSWORD", name
        assert airflow_db.password == "varref-AIRFLOW_DB_PASSWORD", name


def test_worker_can_be_scaled(services: dict[str, Any]) -> None:
    worker = services["airflow-worker"]
    assert "container_name" not in worker
    assert "hostname" not in worker
    for port in worker.get("ports", []):
        # Only a container port alone (a random host port) would allow --scale.
        assert ":" not in str(port) and not isinstance(port, dict), port
    assert not worker.get("ports"), "the worker needs no published port"


def test_airflow_init_runs_both_migrations_and_creates_the_admin(services: dict[str, Any]) -> None:
    init = services["airflow-init"]
    script = "\n".join(_strings(init.get("command")) + _strings(init.get("entrypoint")))
    assert "airflow db migrate" in script
    assert "newswire db upgrade" in script
    assert script.index("airflow db migrate") < script.index("newswire db upgrade")
    assert "airflow users create" in script
    assert "set -e" in script, "a failed migration must fail airflow-init"
    assert "restart" not in init or init["restart"] == "no", "airflow-init is one-shot"
    assert _depends_on(init).get("news-db") == "service_healthy"


def test_no_literal_secrets(compose: dict[str, Any], services: dict[str, Any]) -> None:
    for name, service in services.items():
        for key, value in _env(service).items():
            if _SECRET_KEY.search(key):
                assert _REQUIRED_VAR_REF.match(value), (
                    f"{name}: {key} is not a required ${{VAR:?}} reference"
                )
            if "://" in value:
                password = _url(value).password
                if password is not None:
                    assert re.fullmatch(r"varref-\w+", password), f"{name}: {key} embeds a password"
    # Nothing that looks like a real key anywhere in the file (e.g. a pasted Fernet key).
    text = COMPOSE_FILE.read_text(encoding="utf-8")
    assert not re.search(r"[A-Za-z0-9_-]{43}=", text), "a Fernet-like key is in the file"


def test_env_example_documents_every_required_variable(compose: dict[str, Any]) -> None:
    example = _env_example()
    references = [ref for text in _strings(compose) for ref in _VAR_REF.findall(text)]
    required = {name for name, op, _ in references if op in (":?", "?")}
    assert required, "docker-compose.yml should require its secrets with ${VAR:?...}"
    assert required <= set(example), f"missing in .env.example: {sorted(required - set(example))}"
    for key, value in example.items():
        if _SECRET_KEY.search(key):
            assert value.startswith("change-me"), f".env.example: {key} must be a placeholder"


def test_dockerignore_keeps_secrets_and_local_state_out() -> None:
    patterns = {
        line.strip()
        for line in DOCKERIGNORE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    for pattern in (".env", ".venv", ".git", ".data"):
        assert pattern in patterns, f".dockerignore lacks {pattern}"
    for needed in (
        "requirements-runtime.lock",
        "pyproject.toml",
        "plugins",
        "dags",
        "sql",
        "README.md",
    ):
        assert needed not in patterns, f".dockerignore excludes {needed}, which the image needs"


# --------------------------------------------------------------------------- Dockerfile


def test_dockerfile_base_image_matches_the_locked_airflow() -> None:
    text = DOCKERFILE.read_text(encoding="utf-8")
    bases = re.findall(r"^FROM\s+(\S+)", text, re.MULTILINE)
    assert bases, "no FROM line"
    match = re.fullmatch(r"apache/airflow:(3\.3\.\d+)-python3\.11", bases[0])
    assert match, f"unexpected base image {bases[0]}"
    assert match.group(1) == _airflow_version_in_lock(), (
        "the Dockerfile's Airflow version differs from apache-airflow in requirements.lock"
    )


def test_dockerfile_installs_the_lock_then_the_package() -> None:
    text = DOCKERFILE.read_text(encoding="utf-8")
    lock_install = re.search(r"pip install [^\n]*-r \S*requirements-runtime\.lock", text)
    package_install = re.search(r"pip install [^\n]*--no-deps \S*", text)
    assert lock_install and package_install
    assert lock_install.start() < package_install.start()
    for source in (
        "requirements-runtime.lock",
        "pyproject.toml",
        "README.md",
        "plugins/",
        "dags/",
        "sql/",
    ):
        assert re.search(rf"^COPY\b[^\n]*\s{re.escape(source)}", text, re.MULTILINE), source
        assert (ROOT / source).exists(), f"the Dockerfile copies {source}, which is missing"
    # The migrations travel as package data (db/migrations links to sql/): sql/ is copied
    # beside plugins/ before the package is installed, so the link resolves in the build.
    copies = [m.start() for m in re.finditer(r"^COPY\b[^\n]*\ssql/", text, re.MULTILINE)]
    assert copies and copies[0] < package_install.start()


def _pins(path: Path) -> dict[str, str]:
    """Package name -> pinned version of a uv/pip-compile lock file."""
    found = re.findall(r"^([A-Za-z0-9_.\-]+)==([^\s\\]+)", path.read_text(), re.MULTILINE)
    return {name.lower(): version for name, version in found}


def test_runtime_lock_pins_what_the_dev_lock_pins_without_dev_tools() -> None:
    runtime, dev = _pins(RUNTIME_LOCK), _pins(LOCK_FILE)
    assert runtime, "requirements-runtime.lock pins nothing"
    differing = {name: (v, dev.get(name)) for name, v in runtime.items() if dev.get(name) != v}
    assert not differing, f"regenerate requirements-runtime.lock (make lock): {differing}"
    assert not [name for name in DEV_ONLY if name in runtime], "dev tools in the runtime lock"
    assert "--hash=sha256:" in RUNTIME_LOCK.read_text()


def test_compose_image_tag_names_the_same_airflow_version(services: dict[str, Any]) -> None:
    tag = services["airflow-apiserver"]["image"]
    assert _airflow_version_in_lock() in tag, tag


# --------------------------------------------------------------------------- scripts


# Settings the shell scripts spell out again; newswire.run.cluster.local_airflow_env (tests, bench)
# is the reference they must agree with.
_SHARED_SETTINGS = (
    "AIRFLOW__CORE__DAGS_FOLDER",
    "AIRFLOW__CORE__PLUGINS_FOLDER",
    "AIRFLOW__CORE__LOAD_EXAMPLES",
    "AIRFLOW__WORKERS__MIN_HEARTBEAT_INTERVAL",
)


def test_shell_environments_agree_with_local_airflow_env(tmp_path: Path) -> None:
    """`make airflow` and `make cluster` set what the tests' and the bench's Airflow sets."""
    reference = local_airflow_env(ROOT, tmp_path, "postgresql://meta@127.0.0.1:1/airflow", 1)
    assert reference["AIRFLOW__WORKERS__MIN_HEARTBEAT_INTERVAL"] == str(MIN_HEARTBEAT_INTERVAL)
    env = {"PATH": os.environ["PATH"], "ROOT": str(ROOT)}
    env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"] = reference["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]
    script = f'source "{ROOT}/scripts/airflow-env.sh"; '
    script += "; ".join(f'echo "{key}=${key}"' for key in _SHARED_SETTINGS)
    shown = subprocess.run(["bash", "-c", script], env=env, capture_output=True, text=True)
    assert shown.returncode == 0, shown.stderr
    sourced = dict(line.split("=", 1) for line in shown.stdout.splitlines())
    assert sourced == {key: reference[key] for key in _SHARED_SETTINGS}
    # cluster.sh exports them inside `start`: read its export lines ($ROOT, ${VAR:-default}).
    exported = {}
    cluster = (ROOT / "scripts" / "cluster.sh").read_text(encoding="utf-8")
    for key, value in re.findall(r"^\s*export (AIRFLOW__\w+)=(.*)$", cluster, re.MULTILINE):
        value = re.sub(r"^\$\{\w+:-(.*)\}$", r"\1", value.strip('"'))
        exported[key] = value.replace("$ROOT", str(ROOT))
    for key in (*_SHARED_SETTINGS, "AIRFLOW__WORKERS__EXECUTION_API_TIMEOUT"):
        assert exported[key] == reference[key], key


@pytest.mark.parametrize("script", ["airflow-standalone.sh", "airflow-stop.sh"])
def test_scripts_parse(script: str) -> None:
    path = ROOT / "scripts" / script
    assert os.access(path, os.X_OK), f"{path} is not executable"
    assert "set -euo pipefail" in path.read_text(encoding="utf-8")
    result = subprocess.run(["bash", "-n", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    if shutil.which("shellcheck"):
        lint = subprocess.run(
            ["shellcheck", "-x", str(path.relative_to(ROOT))],
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        assert lint.returncode == 0, lint.stdout
