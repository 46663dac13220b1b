"""The documentation: a short README, every module and command documented, links that resolve,
and no text about the project's own past (machines, sessions, measurement runs, issue numbers)."""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import typer.main

from newswire.cli import app

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DOCS = ROOT / "docs"
PLUGINS = ROOT / "plugins"
PACKAGE = PLUGINS / "newswire"

# The README is an overview: everything longer belongs in docs/.
README_MAX_LINES = 200

# Markdown files whose relative links must resolve.
LINKED_FILES = (README, ROOT / "CHANGELOG.md")

# Where repo text must not talk about the project's history (sql/ is left out: applied
# migrations cannot change).
HISTORY_ROOTS = (
    "README.md",
    "CHANGELOG.md",
    "Makefile",
    "docs",
    "plugins",
    "dags",
    "tests",
    "bench",
    "scripts",
)

# Text files searched for history phrases, by suffix.
TEXT_SUFFIXES = frozenset({".md", ".py", ".sh", ".sql", ".toml", ".txt", ".json", ".html", ".cfg"})

# Phrases about the project's own past; the words are joined by \s+ so this file's own source
# does not match them. Case-insensitive.
HISTORY_PATTERNS = {
    "issue number": r"\bissues?\s+#?\d+",
    "machine": (
        r"\b(?:previous|earlier|last|other|old|faster|slower|fastest|slowest|bench)\s+machines?\b"
    ),
    "work session": r"\b(?:this|previous|last|earlier|that)\s+session\b|\bsessions?\s+ago\b",
    "measurement run": r"\b(?:in|from)\s+an?\s+(?:earlier|previous)\s+run\b",
}

# Case-sensitive: a sentence opening with the figures of a past measurement. The newest
# ingestion run is a product term (the `last_run` of `newswire stats`) and stays.
HISTORY_CASED = {"measurement run": r"\b(?:Last|Previous)\s+run\b"}

# '#' and two or more digits in prose (Markdown text and code comments): an issue reference.
ISSUE_REFERENCE = re.compile(r"(?<![\w&/])#\d{2,}\b")

# An inline Markdown link or image: [text](target "title").
MARKDOWN_LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")

# A link target with a scheme (https:, mailto:) is not a file of the repository.
EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)

# A Markdown heading line.
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$")

# A fenced code block delimiter (headings and links inside code blocks are not Markdown).
FENCE = re.compile(r"^\s*(```|~~~)")


def docs_files() -> list[Path]:
    """Every Markdown file under docs/."""
    return sorted(DOCS.rglob("*.md"))


def docs_text() -> str:
    """The text of every docs/*.md file, joined."""
    return "\n".join(p.read_text(encoding="utf-8") for p in docs_files())


def modules() -> list[tuple[str, str]]:
    """(dotted name, path under plugins/) of every module of the package."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        parts = path.relative_to(PLUGINS).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found.append((".".join(parts), path.relative_to(PLUGINS).as_posix()))
    return found


def commands(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """The name path of every visible command and group under a click command, recursively."""
    for name, sub in sorted((getattr(command, "commands", None) or {}).items()):
        if getattr(sub, "hidden", False):
            continue
        yield (*path, name)
        yield from commands(sub, (*path, name))


def prose_lines(text: str) -> Iterator[tuple[int, str]]:
    """(line number, line) of a Markdown text outside fenced code blocks."""
    fenced = False
    for number, line in enumerate(text.splitlines(), 1):
        if FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            yield number, line


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"`|\*\*|\[([^\]]*)\]\([^)]*\)", r"\1", heading.strip().lower())
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """Anchors of every heading of a Markdown file (repeated headings get -1, -2...)."""
    seen: dict[str, int] = {}
    found: set[str] = set()
    for _, line in prose_lines(path.read_text(encoding="utf-8")):
        match = HEADING.match(line)
        if not match:
            continue
        base = slug(match.group(1))
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return found


def history_files() -> list[Path]:
    """Tracked-looking text files where history phrases are searched."""
    files = []
    for name in HISTORY_ROOTS:
        top = ROOT / name
        if top.is_file():
            files.append(top)
            continue
        for path in sorted(top.rglob("*")):
            skipped = {"__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache"}
            if any(part in skipped or part.endswith(".egg-info") for part in path.parts):
                continue
            if path.is_file() and path.suffix in TEXT_SUFFIXES:
                files.append(path)
    return files


def comments(source: str) -> Iterator[tuple[int, str]]:
    """(line number, text) of every comment of a Python source."""
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            yield token.start[0], token.string


# --------------------------------------------------------------------------- README


def test_readme_is_at_most_200_lines() -> None:
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= README_MAX_LINES, (
        f"README.md has {len(lines)} lines (at most {README_MAX_LINES}): move details to docs/"
    )


def test_readme_starts_with_the_two_commands() -> None:
    text = README.read_text(encoding="utf-8")
    first_block = text[text.index("```") : text.index("```", text.index("```") + 3)]
    assert "make run" in first_block and "make test" in first_block


# --------------------------------------------------------------------------- coverage


def test_every_module_is_named_in_the_docs() -> None:
    text = docs_text()
    missing = [
        name
        for name, path in modules()
        if not re.search(rf"(?<![\w.]){re.escape(name)}(?!\w|\.\w)", text) and path not in text
    ]
    assert not missing, f"modules named nowhere in docs/*.md: {', '.join(missing)}"


def test_every_cli_command_is_named_in_the_docs() -> None:
    text = docs_text()
    found = list(commands(typer.main.get_command(app)))
    assert ("run",) in found and ("db", "upgrade") in found  # the walk reaches subcommands
    missing = [
        " ".join(path)
        for path in found
        if not re.search(rf"\bnewswire {re.escape(' '.join(path))}(?![\w-])", text)
    ]
    assert not missing, "commands named nowhere in docs/*.md as `newswire …`: " + ", ".join(missing)


# --------------------------------------------------------------------------- links


def test_relative_links_point_at_files_that_exist() -> None:
    broken = []
    checked = 0
    for source in (*LINKED_FILES, *docs_files()):
        for number, line in prose_lines(source.read_text(encoding="utf-8")):
            for target in MARKDOWN_LINK.findall(line):
                if EXTERNAL.match(target):
                    continue
                file_part, _, fragment = target.partition("#")
                linked = (source.parent / file_part).resolve() if file_part else source
                where = f"{source.relative_to(ROOT)}:{number}: {target}"
                checked += 1
                if not linked.exists():
                    broken.append(f"{where} (no such file)")
                elif fragment and linked.suffix == ".md" and fragment not in anchors(linked):
                    broken.append(f"{where} (no heading #{fragment})")
    assert checked, "no relative links found: the link pattern is broken"
    assert not broken, "broken links:\n" + "\n".join(broken)


def test_slugs_follow_github() -> None:
    assert slug("Throughput (`make bench`)") == "throughput-make-bench"
    assert slug("Failures and retries") == "failures-and-retries"
    assert slug("Access: free, metered, paywalled") == "access-free-metered-paywalled"


# --------------------------------------------------------------------------- history


def test_no_text_about_machines_sessions_runs_or_issue_numbers() -> None:
    patterns = [(why, re.compile(p, re.IGNORECASE)) for why, p in HISTORY_PATTERNS.items()]
    patterns += [(why, re.compile(p)) for why, p in HISTORY_CASED.items()]
    hits = []
    files = history_files()
    assert README in files and Path(__file__) in files
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), 1):
            for why, pattern in patterns:
                if match := pattern.search(line):
                    hits.append(f"{path.relative_to(ROOT)}:{number}: {why}: {match.group(0)!r}")
        if path.suffix == ".md":
            prose = list(prose_lines(text))
        elif path.suffix == ".py":
            prose = list(comments(text))
        else:
            prose = []
        for number, line in prose:
            if match := ISSUE_REFERENCE.search(line):
                hits.append(f"{path.relative_to(ROOT)}:{number}: an issue reference: {match[0]!r}")
    assert not hits, "text about the project's past:\n" + "\n".join(hits)


def test_history_patterns_catch_what_they_name() -> None:
    # Each sample is split where a space goes, so this file's own text does not match.
    samples = {
        "issue number": "Against the targets of issue" + " 7",
        "machine": "on the previous" + " machine, half as fast",
        "work session": "measured in this" + " session",
        "measurement run": "118 MiB in an earlier" + " run",
    }
    for why, sample in samples.items():
        assert re.search(HISTORY_PATTERNS[why], sample, re.IGNORECASE), why
    assert re.search(HISTORY_CASED["measurement run"], "Last" + " run (230 pages)")
    assert not re.search(HISTORY_CASED["measurement run"], "the last run of a source")
    assert ISSUE_REFERENCE.search("fixed in #42") and not ISSUE_REFERENCE.search("run_key#12")
