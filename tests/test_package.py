"""The package: modules import their own stage, earlier stages and the top; they stay small."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "plugins" / "newswire"

# Each room of the package and its layer: a module may import from its own layer and lower
# ones, never from a higher one. The demo source stands apart: only the base and the front
# (the CLI serves it) may import it, and it imports the base only.
LAYERS: dict[str, int] = {
    "models": 0,
    "errors": 0,
    "settings": 0,
    "cputime": 0,
    "db": 1,
    "fetch": 2,
    "clean": 3,
    "extract": 4,
    "discover": 5,
    "dedup": 6,
    "load": 7,
    "run": 8,
    "query": 9,
    "cli": 9,
}
DEMO = "demo"
BASE = 0
FRONT = 9

# Largest module, in lines.
MAX_LINES = 450


def _modules() -> list[Path]:
    return sorted(
        p for p in PACKAGE.rglob("*.py") if p.name != "__init__.py" or p.parent != PACKAGE
    )


def _room(path: Path) -> str:
    rel = path.relative_to(PACKAGE)
    return rel.parts[0].removesuffix(".py")


def _imported_rooms(path: Path) -> set[str]:
    """The rooms of newswire a module imports, at any depth (lazy imports included)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            parts = node.module.split(".")
            if parts[0] != "newswire":
                continue
            if len(parts) > 1:
                found.add(parts[1])
            else:  # from newswire import a, b
                found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "newswire" and len(parts) > 1:
                    found.add(parts[1])
    return found


def test_every_room_has_a_layer() -> None:
    rooms = {_room(p) for p in _modules()}
    assert rooms <= {*LAYERS, DEMO}, rooms - {*LAYERS, DEMO}


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_imports_a_later_stage(path: Path) -> None:
    room = _room(path)
    for other in _imported_rooms(path) - {room}:
        if room == DEMO:
            assert LAYERS.get(other) == BASE, f"{path.name}: the demo imports {other}"
        elif other == DEMO:
            assert LAYERS[room] == FRONT, f"{room} imports the demo"
        else:
            assert LAYERS[other] <= LAYERS[room], f"{room} imports the later stage {other}"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_modules_stay_small(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(PACKAGE)}: {lines} lines"
