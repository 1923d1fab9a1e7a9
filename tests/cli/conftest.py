"""Helpers for the command-line tests: a small hub with one document of each review status,
and ``run`` to call ``sop-hub`` in-process with the hub as the working folder."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from sop_hub.cli import main

PROCESS = """\
---
type: process
title: Customer complaint handling
owner: Sarah Whitfield <sarah@example.com>
last_reviewed_on: 2026-01-05
stages: [Record, Respond]
---
# Complaints
"""


def procedure(title: str, last_reviewed_on: str | None, *, stage: str = "record", extra: str = "") -> str:
    date_line = f"last_reviewed_on: {last_reviewed_on}\n" if last_reviewed_on else ""
    return (
        f"---\ntitle: {title}\nprocess: complaints\nstage: {stage}\nowner: Tom Okafor\n{date_line}{extra}---\n# Body\n"
    )


# As of 2026-06-15 (the config's as_of) with the default 3-month interval:
OVERDUE = procedure("Intake", "2026-01-10")  # next review 2026-04-10
DUE_SOON = procedure("Escalation", "2026-03-20", stage="respond")  # 2026-06-20
CURRENT = procedure("Customer response", "2026-05-01", stage="respond")  # 2026-08-01
DRAFT = procedure("New form", None, extra="status: draft\n")
INVALID = procedure("Paper form", "2026-02-30")  # no such date: an error
TYPO = procedure("Closure", "2026-05-02", extra="verison: 2\n")  # unknown key: a warning


@dataclass
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def hub(make_hub: Callable[..., Path]) -> Callable[..., Path]:
    """``hub(record=OVERDUE, ...)``: the complaints process plus the named procedures."""

    def write(*, config: dict | None = None, plugin: dict | None = None, **procedures: str) -> Path:
        files = {"docs/index.md": "# Home\n", "docs/complaints/index.md": PROCESS}
        for name, text in procedures.items():
            files[f"docs/complaints/{name.replace('_', '-')}.md"] = text
        return make_hub(files, config=config, plugin=plugin)

    return write


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Callable[..., Run]:
    def call(root: Path, *args: str) -> Run:
        monkeypatch.chdir(root)
        capsys.readouterr()
        code = main(list(args))
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return call


_COMMAND = re.compile(r"^::(?P<kind>\w+) (?P<props>[^:]*)::(?P<message>.*)$")


def unescape(text: str) -> str:
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")


def workflow_commands(output: str) -> list[dict[str, str]]:
    """Parse GitHub workflow commands the way the runner does: one command per line."""
    commands = []
    for line in output.splitlines():
        match = _COMMAND.match(line)
        if line.startswith("::"):
            assert match, f"malformed workflow command: {line!r}"
        if not match:
            continue
        props = dict(prop.split("=", 1) for prop in match["props"].split(","))
        commands.append(
            {"kind": match["kind"], **{k: unescape(v) for k, v in props.items()}, "message": unescape(match["message"])}
        )
    return commands
