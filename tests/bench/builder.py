"""Which host the tests and benchmarks build with: ``SOP_HUB_BUILDER=mkdocs`` (default) or ``properdocs``.

One place for the choice, used by ``tests/conftest.py`` (in-process builds) and by the benchmark
scripts (``python -m <host> build``). Stdlib only: the benchmarks run it as a sibling script.

ProperDocs installs as its own package beside MkDocs; ``properdocs build`` first imports
``properdocs.replacement``, which makes every ``import mkdocs.*`` (the plugin's, Material's) load
``properdocs.*`` instead. ``activate`` does the same for an in-process build, so it must run
before anything imports ``mkdocs``.
"""

from __future__ import annotations

import importlib
import logging
import os
import sys

ENV = "SOP_HUB_BUILDER"
HOSTS = ("mkdocs", "properdocs")


def selected() -> str:
    """The host named by $SOP_HUB_BUILDER (default mkdocs); exits with a clear message on a typo."""
    name = os.environ.get(ENV, "").strip().lower() or "mkdocs"
    if name not in HOSTS:
        sys.exit(f"{ENV}={name!r} is not a host SOP Hub builds with; use one of: {', '.join(HOSTS)}")
    return name


def activate(name: str) -> None:
    """Make ``import mkdocs...`` load the selected host in this process (a no-op for MkDocs)."""
    if name == "properdocs":
        loaded = sorted(module for module in sys.modules if module == "mkdocs" or module.startswith("mkdocs."))
        if loaded and sys.modules["mkdocs"].__name__ != "properdocs":
            raise RuntimeError(f"MkDocs was imported before ProperDocs could stand in for it: {loaded[:5]}")
        importlib.import_module("properdocs.replacement")
        # As `properdocs` does on start-up (__main__.State): plugins that log on `mkdocs.*` (ours
        # does) reach the `properdocs` logger, where `build --strict` counts warnings.
        logging.getLogger("mkdocs").parent = logging.getLogger("properdocs")


def command(name: str, *args: str) -> list[str]:
    """The command line that runs the host's CLI with this Python: ``python -m properdocs build ...``."""
    return [sys.executable, "-m", name, *args]


def logger_name(name: str) -> str:
    """The logger the host's ``build --strict`` counts warnings on."""
    return name
