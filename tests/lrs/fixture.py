"""A real Learning Record Store for tests: Ralph 5.1.0 (``ralph-malph[cli,lrs]``), file-system backend.

A pytest plugin module; tests/conftest.py registers it (``pytest_plugins = ["tests.lrs.fixture"]``).

    def test_something(lrs):                 # a started Ralph, emptied before each test
        lrs.post([statement])                # as the browser does, with the write-only credential
        lrs.statements()                     # every statement, `more` links followed (read credential)

    def test_browser(make_lrs, serve):       # phase B: the endpoint is known before the site is built
        server = make_lrs()                  # a port is reserved, nothing runs yet
        ... build the site with server.endpoint and server.write_auth, serve it on SITE ...
        server.start(site_origin=SITE)       # CORS allows that origin; stop() / start() again at will

Each server runs Ralph's own app (tests/lrs/ralph_launcher.py: one upstream write defect worked
around) in its own process group, from an empty working folder, with its own ``RALPH_APP_DIR``
and data folder under the test's tmp_path; it is killed (the whole group) when the test ends,
failed or not. Two credentials, made once per session with ``ralph auth ... -w``:

- ``write_auth``: the browser's, scope ``statements/write`` only (Ralph refuses it for reading:
  the server runs with ``RALPH_LRS_RESTRICT_BY_SCOPES``, so the public key cannot read records);
- ``read_auth``: ``sop-hub training``'s, scope ``statements/read``.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

LAUNCHER = Path(__file__).with_name("ralph_launcher.py")
HOST = "127.0.0.1"
XAPI_VERSION = "1.0.3"
PAGE_SIZE = 100  # Ralph's RUNSERVER_MAX_SEARCH_HITS_COUNT default: a GET returns at most this many
WRITER = ("sop-hub-browser", "public-write-only-key")
READER = ("sop-hub-training", "training-read-key")
START_TIMEOUT = 30.0
DATA_FILE = "fs_lrs.jsonl"  # Ralph's FSLRSBackendSettings.DEFAULT_LRS_FILE


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode("ascii")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _ralph_env(app_dir: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("RALPH_")}
    env["RALPH_APP_DIR"] = str(app_dir)
    env["RALPH_RUNSERVER_BACKEND"] = "fs"  # even `ralph auth` loads the LRS app, whose default is Elasticsearch
    return env


def make_credentials(app_dir: Path) -> None:
    """``auth.json`` in ``app_dir`` with the writer and the reader, written by ``ralph auth -w``."""
    app_dir = app_dir.resolve()  # ralph runs in app_dir: a relative RALPH_APP_DIR would nest in itself
    app_dir.mkdir(parents=True, exist_ok=True)
    for (user, password), scope in ((WRITER, "statements/write"), (READER, "statements/read")):
        subprocess.run(
            [
                sys.executable,
                "-m",
                "ralph",
                "auth",
                "-u",
                user,
                "-p",
                password,
                "-s",
                scope,
                "-M",
                f"mailto:{user}@example.com",
                "-w",
            ],
            env=_ralph_env(app_dir),
            cwd=app_dir,
            check=True,
            capture_output=True,
        )


class Ralph:
    """One Ralph server: a reserved port, its own folders, started and stopped at will."""

    def __init__(self, root: Path, credentials: Path, port: int | None = None) -> None:
        self.root = root
        self.app_dir, self.data_dir, self.cwd = root / "app", root / "data", root / "cwd"
        for folder in (self.app_dir, self.data_dir, self.cwd):
            folder.mkdir(parents=True, exist_ok=True)
        shutil.copy(credentials / "auth.json", self.app_dir / "auth.json")
        self.port = port or free_port()
        self.base = f"http://{HOST}:{self.port}"
        self.endpoint = f"{self.base}/xAPI/"  # what `learning_records.endpoint` holds
        self.write_auth, self.read_auth = basic(*WRITER), basic(*READER)
        self.log = root / "ralph.log"
        self.process: subprocess.Popen[bytes] | None = None

    # -- life cycle ------------------------------------------------------------------------------

    def start(self, *, site_origin: str | None = None) -> Ralph:
        """Start the server (CORS allowing ``site_origin``, e.g. ``http://127.0.0.1:8000``) and
        wait until it answers. The statements written before a stop() are still there."""
        if self.running:
            return self
        env = _ralph_env(self.app_dir)
        env.update(
            RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH=str(self.data_dir),
            RALPH_LRS_RESTRICT_BY_SCOPES="true",
            RALPH_LRS_RESTRICT_BY_AUTHORITY="true",  # Ralph requires it with RESTRICT_BY_SCOPES
        )
        if site_origin:
            env["RALPH_RUNSERVER_CORS_ALLOW_ORIGINS"] = json.dumps([site_origin.rstrip("/")])
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, str(LAUNCHER), HOST, str(self.port)],
                cwd=self.cwd,  # empty: nothing there for anything to pick up
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: stop() kills all of it
            )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Ralph exited with {self.process.returncode}:\n{self.log.read_text()[-3000:]}")
            with (
                contextlib.suppress(OSError),
                urllib.request.urlopen(f"{self.base}/__lbheartbeat__", timeout=2) as answer,
            ):
                if answer.status == 200:
                    return self
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"Ralph did not answer within {START_TIMEOUT} s:\n{self.log.read_text()[-3000:]}")

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    # -- xAPI, as the browser and `sop-hub training` use it ---------------------------------------

    def request(
        self, method: str, path: str, body: Any = None, *, auth: str | None = None, params: dict[str, str] | None = None
    ) -> tuple[int, Any]:
        """(status, decoded JSON body or None); an HTTP error status is returned, not raised."""
        url = urllib.parse.urljoin(self.endpoint, path)
        if params:
            url += "?" + urllib.parse.urlencode(params)
        data = None if body is None else json.dumps(body).encode("utf-8")
        headers = {"X-Experience-API-Version": XAPI_VERSION, "Authorization": auth or self.write_auth}
        if data is not None:
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, raw = error.code, error.read()
        try:
            return status, json.loads(raw) if raw else None
        except ValueError:
            return status, raw.decode("utf-8", "replace")

    def post(self, statements: list[dict[str, Any]] | dict[str, Any], *, auth: str | None = None) -> int:
        """POST statements with the write-only credential (as the browser does); the status."""
        status, _ = self.request("POST", "statements", statements, auth=auth)
        return status

    def post_all(self, statements: list[dict[str, Any]], batch: int = 500) -> None:
        for start in range(0, len(statements), batch):
            status = self.post(statements[start : start + batch])
            assert status == 200, f"Ralph refused a batch: {status}"

    def statements(self, **params: str) -> list[dict[str, Any]]:
        """Every statement (``more`` followed), read with the read credential."""
        found: list[dict[str, Any]] = []
        status, body = self.request("GET", "statements", auth=self.read_auth, params=params or None)
        while True:
            assert status == 200, (status, body)
            found += body["statements"]
            if not body.get("more"):
                return found
            status, body = self.request("GET", urllib.parse.urljoin(self.base, body["more"]), auth=self.read_auth)


@pytest.fixture(scope="session")
def lrs_credentials(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An ``auth.json`` made once per session (bcrypt is slow on purpose), copied to each server."""
    folder = tmp_path_factory.mktemp("ralph-credentials")
    make_credentials(folder)
    return folder


@pytest.fixture
def make_lrs(tmp_path: Path, lrs_credentials: Path) -> Iterator[Callable[..., Ralph]]:
    """A factory of Ralph servers (not started: call ``.start(site_origin=...)``); all of them are
    stopped when the test ends, passed or failed."""
    servers: list[Ralph] = []

    def make(port: int | None = None) -> Ralph:
        server = Ralph(tmp_path / f"ralph-{len(servers)}", lrs_credentials, port)
        servers.append(server)
        return server

    try:
        yield make
    finally:
        for server in servers:
            server.stop()


@pytest.fixture(scope="session")
def _shared_lrs(tmp_path_factory: pytest.TempPathFactory, lrs_credentials: Path) -> Iterator[Ralph]:
    server = Ralph(tmp_path_factory.mktemp("ralph-shared"), lrs_credentials)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def lrs(_shared_lrs: Ralph) -> Ralph:
    """A started Ralph with no statements yet (CORS off: no site origin).

    One server for the session (starting Ralph takes seconds), emptied before each test: its fs
    backend reads its one data file on every request, so removing the file empties the LRS. A test
    may stop it; the next one starts it again."""
    (_shared_lrs.data_dir / DATA_FILE).unlink(missing_ok=True)
    return _shared_lrs.start()
