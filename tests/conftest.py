"""Shared fixtures: write a small hub from strings, build it with the real MkDocs (or ProperDocs:
``SOP_HUB_BUILDER=properdocs``, see tests/bench/builder.py), serve it, and open it in headless Chromium.

    def test_something(make_hub, build):
        root = make_hub({"docs/a.md": "---\\nprocess: x\\n...---\\n# A\\n"})
        result = build(root)            # BuildResult: .site, .log, .ok, .html("a/")
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import importlib
import logging
import os
import textwrap
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.bench import builder

pytest_plugins = ["tests.lrs.fixture"]  # `lrs`, `make_lrs`: a real Learning Record Store (Ralph)

# Before any test module imports `mkdocs`: under ProperDocs every `mkdocs.*` import loads `properdocs.*`.
BUILDER = builder.selected()
builder.activate(BUILDER)

CHROMIUM = os.environ.get("SOP_HUB_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
AS_OF = "2026-06-15"  # the fixed "today" of build tests, so they do not drift with the calendar

BASE_CONFIG: dict[str, Any] = {
    "site_name": "Test hub",
    "theme": {"name": "material", "font": False, "features": ["navigation.indexes"]},
    "plugins": ["search", {"sop-hub": {"as_of": AS_OF}}],
    "markdown_extensions": ["admonition", "attr_list", "md_in_html", "toc"],
}


def _host() -> tuple[Callable[..., Any], Callable[..., Any], type[Exception]]:
    """The selected host's ``load_config``, ``build`` and ``Abort``."""
    config = importlib.import_module(f"{BUILDER}.config")
    commands = importlib.import_module(f"{BUILDER}.commands.build")
    exceptions = importlib.import_module(f"{BUILDER}.exceptions")
    return config.load_config, commands.build, exceptions.Abort


def build_project(root: Path, site: Path | None = None) -> Path:
    """Build ``root/mkdocs.yml`` with the selected host, as ``mkdocs build`` does; return the site.

    For module- and session-scoped fixtures; tests use the ``build`` fixture, which also keeps
    the log. Raises on an aborted build.
    """
    load_config, host_build, _ = _host()
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    site = site or root / "site"
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(site))
    config.plugins.on_startup(command="build", dirty=False)
    try:
        host_build(config)
    finally:
        config.plugins.on_shutdown()
    return site


@pytest.fixture(autouse=True)
def _quiet_material(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.delenv("SOP_HUB_AS_OF", raising=False)


@pytest.fixture
def make_hub(tmp_path: Path) -> Callable[..., Path]:
    """Write files (path -> text, dedented) and an mkdocs.yml; return the project root.

    ``config`` is merged into BASE_CONFIG (top-level keys replace); ``plugin`` is merged into
    the sop-hub plugin's options.
    """

    def make(
        files: dict[str, str], *, config: dict[str, Any] | None = None, plugin: dict[str, Any] | None = None
    ) -> Path:
        root = tmp_path / "hub"
        root.mkdir(exist_ok=True)
        for rel, text in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        if not (root / "docs").exists():
            (root / "docs").mkdir()
        full = {**BASE_CONFIG, **(config or {})}
        if plugin:
            full["plugins"] = ["search", {"sop-hub": {"as_of": AS_OF, **plugin}}]
        (root / "mkdocs.yml").write_text(yaml.safe_dump(full, sort_keys=False), encoding="utf-8")
        return root

    return make


@dataclass
class BuildResult:
    root: Path
    site: Path
    log: str
    ok: bool
    error: str | None

    def html(self, url: str) -> str:
        """The built HTML at a site URL: ``"a/"`` -> site/a/index.html."""
        path = self.site / url
        if url.endswith("/") or url == "":
            path = path / "index.html"
        return path.read_text(encoding="utf-8")

    def warnings(self) -> list[str]:
        return [line for line in self.log.splitlines() if line.startswith("WARNING")]


@pytest.fixture
def build() -> Callable[..., BuildResult]:
    """Build a project with the selected host (in-process, as `mkdocs build` does)."""
    load_config, host_build, abort = _host()

    def run(root: Path, *, strict: bool = False, site_dir: Path | None = None) -> BuildResult:
        site = site_dir or root / "site"
        records: list[str] = []
        handler = _ListHandler(records)
        logger = logging.getLogger(builder.logger_name(BUILDER))  # where the host counts strict warnings
        logger.addHandler(handler)
        error = None
        try:
            config = load_config(str(root / "mkdocs.yml"), site_dir=str(site), strict=strict)
            config.plugins.on_startup(command="build", dirty=False)
            try:
                host_build(config)
            finally:
                config.plugins.on_shutdown()
        except abort as exc:  # strict mode, or a plugin error
            error = str(exc)
        finally:
            logger.removeHandler(handler)
        return BuildResult(root, site, "\n".join(records), error is None, error)

    return run


class _ListHandler(logging.Handler):
    def __init__(self, records: list[str]) -> None:
        super().__init__(logging.DEBUG)
        self.records = records

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.INFO:
            self.records.append(f"{record.levelname} {record.getMessage()}")


# -- browser -------------------------------------------------------------------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return None


@contextlib.contextmanager
def site_servers() -> Iterator[Callable[..., str]]:
    """``start(site, handler=_QuietHandler)`` serves a built site on 127.0.0.1 (an ephemeral port)
    and returns its base URL; every server started is stopped on the way out, also on failure."""
    servers: list[http.server.ThreadingHTTPServer] = []

    def start(site: Path, handler: type[http.server.SimpleHTTPRequestHandler] = _QuietHandler) -> str:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    try:
        yield start
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()


@pytest.fixture
def serve() -> Iterator[Callable[..., str]]:
    """``serve(site)`` (or ``serve(site, handler)``): the site's base URL; see ``site_servers``."""
    with site_servers() as start:
        yield start


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Debian Chromium driven by Playwright. Fails (never skips) when it is missing."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium); `make test` needs it")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh browser context and page; console errors fail the test that caused them."""
    context = browser.new_context()
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.console_errors = errors
    yield tab
    context.close()
    assert not errors, f"JavaScript errors in the page: {errors}"


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's own demo hub, built once per test session."""
    return build_project(Path(__file__).resolve().parents[1], tmp_path_factory.mktemp("demo-site"))
