"""The folders are the architecture: imports point down only (hosts -> markdown -> render -> core; cli -> core).

The core must run with no site generator at all (``sop-hub check`` in CI, a future host), so it
imports nothing from MkDocs, Material, Jinja or the layers above it.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import sop_hub

PACKAGE = Path(sop_hub.__file__).parent
# What each layer may import from the package (besides itself and the package root).
ALLOWED = {
    "core": {"core"},
    "render": {"core", "render"},
    "markdown": {"core", "render"},  # the Python-Markdown extension, at the seam
    "cli": {"core", "cli", "render", "hosts"},  # hosts: only the stdlib-only MkDocs-2 guard
    "hosts": {"core", "render", "markdown", "hosts"},
}


def _modules(layer: str) -> list[Path]:
    module = PACKAGE / f"{layer}.py"
    return [module] if module.is_file() else sorted((PACKAGE / layer).rglob("*.py"))


def _package_imports(path: Path) -> set[str]:
    """The sop_hub sub-packages a module imports (``sop_hub.core.model`` -> ``core``)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] if node.level == 0 else []
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "sop_hub" and len(parts) > 1:
                found.add(parts[1])
    return found


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_imports_point_down_only(layer: str) -> None:
    wrong = {
        str(path.relative_to(PACKAGE)): sorted(imports - ALLOWED[layer])
        for path in _modules(layer)
        if (imports := _package_imports(path)) - ALLOWED[layer]
    }
    assert not wrong, f"{layer}/ imports from layers above it: {wrong}"


SITE_GENERATORS = ("mkdocs", "properdocs", "material")


def _loaded_after_importing(names: list[str], packages: tuple[str, ...]) -> str:
    """Which of ``packages`` a fresh interpreter has loaded after importing ``names`` (printed list)."""
    probe = (
        "import importlib, sys\n"
        f"for name in {names!r}:\n"
        "    importlib.import_module(name)\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {packages!r}))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return result.stdout.strip()


def test_the_core_and_the_cli_load_no_site_generator_or_template_engine() -> None:
    core = [f"sop_hub.core.{path.stem}" for path in _modules("core") if path.stem != "__init__"]
    cli = ["sop_hub.cli", "sop_hub.cli.check", "sop_hub.cli.new", "sop_hub.cli.review"]
    assert _loaded_after_importing(core + cli, (*SITE_GENERATORS, "jinja2")) == "[]"


def test_the_renderer_loads_no_site_generator() -> None:
    """Any Python-Markdown host can render the hub: render/ needs only Jinja, MarkupSafe, Markdown and nh3."""
    render = [f"sop_hub.render.{path.stem}" for path in _modules("render") if path.stem != "__init__"]
    assert _loaded_after_importing(render, SITE_GENERATORS) == "[]"
    assert len(render) >= 8, render  # the probe imported every module of render/, not none


def test_the_zensical_host_and_the_extension_load_no_mkdocs() -> None:
    """The Zensical preview installs the package without MkDocs (`make test-zensical`): its path needs none."""
    names = [
        "sop_hub.markdown",
        "sop_hub.hosts.zensical.context",
        "sop_hub.hosts.zensical.prepare",
        "sop_hub.cli.prepare",
    ]
    assert _loaded_after_importing(names, SITE_GENERATORS) == "[]"
