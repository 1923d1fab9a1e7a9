"""Which host is installed: SOP Hub runs on MkDocs 1.x and on ProperDocs, its maintained fork.

MkDocs 2.0 has no plugins, no config file and no front-matter: a site built with it loses the
hub without a word. So the plugin's import (``sop_hub/__init__``) and every ``sop-hub`` command
check the version and say what to do instead. Pure and cheap: it never imports MkDocs (the CLI
must not, ``sop-hub check`` stays fast) and reads the installed version from the ``.dist-info``
folder beside the package, falling back to ``importlib.metadata`` (10 ms of imports) only for
unusual installs.
"""

from __future__ import annotations

import importlib.util
import os
import sys

MKDOCS_2_ADVICE = "SOP Hub needs MkDocs 1.x: pin `mkdocs<2` or use ProperDocs (`pip install properdocs`)"


class UnsupportedHost(Exception):
    """The plugin was loaded by a host it cannot run on (MkDocs 2)."""


def installed_version(name: str) -> str | None:
    """The installed version of package ``name``, named as its distribution (mkdocs, properdocs), or None.

    Does not import the package. ``None`` also when it is not installed. Once loaded, the
    module's own ``__version__`` (under ProperDocs ``mkdocs`` is ProperDocs: what runs counts).
    """
    loaded = getattr(sys.modules.get(name), "__version__", None)
    if isinstance(loaded, str):
        return loaded
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    if spec is None:
        return None
    if spec.submodule_search_locations:
        folder = os.path.dirname(next(iter(spec.submodule_search_locations)))
    elif spec.origin:
        folder = os.path.dirname(spec.origin)
    else:
        folder = ""
    try:
        entries = os.listdir(folder) if folder else []
    except OSError:
        entries = []
    for entry in entries:  # a wheel install: site-packages/mkdocs-1.6.1.dist-info beside mkdocs/
        if entry.endswith(".dist-info"):
            project, _, version = entry.removesuffix(".dist-info").rpartition("-")
            if project.lower().replace("-", "_") == name:
                return version
    from importlib import metadata  # an editable or system install: ask the slow way

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def is_mkdocs_2(version: str | None) -> bool:
    """True for MkDocs 2.x (pre-releases included, "2.0.dev6"), False for 1.x or no MkDocs."""
    if not version:
        return False
    major = version.split(".", 1)[0]
    return major.isdigit() and int(major) >= 2


def check_loaded_host() -> None:
    """Raise UnsupportedHost when the ``mkdocs`` module already loaded (by the host) is 2.x.

    Under ProperDocs, ``mkdocs`` is ProperDocs itself (it aliases the name), version 1.6.x.
    """
    version = getattr(sys.modules.get("mkdocs"), "__version__", None)
    if isinstance(version, str) and is_mkdocs_2(version):
        raise UnsupportedHost(f"MkDocs {version} is installed and cannot load plugins. {MKDOCS_2_ADVICE}.")


def guard_mkdocs_imports() -> None:
    """With MkDocs 2 installed but not loaded yet, make the MkDocs 1.x imports below raise
    UnsupportedHost instead of ``ModuleNotFoundError: No module named 'mkdocs.config'``.

    For ``import sop_hub.hosts.mkdocs.plugin`` outside a host (a script, a REPL); a host has loaded ``mkdocs``
    already and gets ``check_loaded_host``. Installs nothing when MkDocs 1.x (or none) is installed,
    and only changes the message of an import that would fail anyway. ProperDocs' own alias finder,
    inserted ahead of this one, still wins.
    """
    version = installed_version("mkdocs")
    if is_mkdocs_2(version) and not any(isinstance(finder, _MkDocs1Imports) for finder in sys.meta_path):
        sys.meta_path.insert(0, _MkDocs1Imports())


class _MkDocs1Imports:
    """A meta-path finder that refuses the MkDocs 1.x modules the plugin imports, while the loaded
    (or about to be loaded) ``mkdocs`` is 2.x."""

    MODULES = frozenset({"commands", "config", "exceptions", "plugins", "structure", "utils"})

    def find_spec(self, fullname: str, path: object = None, target: object = None) -> None:
        top, _, rest = fullname.partition(".")
        if top == "mkdocs" and rest.split(".", 1)[0] in self.MODULES:
            version = getattr(sys.modules.get("mkdocs"), "__version__", None)
            if isinstance(version, str) and is_mkdocs_2(version):
                raise UnsupportedHost(
                    f"MkDocs {version} is installed and has no `{fullname}`: it cannot load plugins. {MKDOCS_2_ADVICE}."
                )
        return None


def cli_host_message() -> tuple[bool, str] | None:
    """What ``sop-hub`` says about the installed host: None when all is well, else (fatal, message).

    With MkDocs 2 and no ProperDocs, no build of this project keeps the hub: fatal (the command
    exits 2). With ProperDocs installed too, ``properdocs build`` works and the command runs; the
    note warns that ``mkdocs build`` would drop the hub.
    """
    version = installed_version("mkdocs")
    if not is_mkdocs_2(version):
        return None
    if installed_version("properdocs") is not None:
        return False, (
            f"note: MkDocs {version} is installed and cannot load SOP Hub: build with `properdocs build`, "
            "not `mkdocs build`"
        )
    return True, (
        f"error: MkDocs {version} is installed; it has no plugins, so `mkdocs build` would drop SOP Hub "
        f"without a word. {MKDOCS_2_ADVICE}"
    )
