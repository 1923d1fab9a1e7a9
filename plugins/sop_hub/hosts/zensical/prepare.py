"""``sop-hub prepare``: what Zensical cannot make itself (PROTOTYPE, issue 11 item 3).

Zensical reads ``mkdocs.yml`` but silently drops every plugin it does not know, ``sop-hub``
included; it does run the configured Python-Markdown extensions, once per page, with the page's
path, URL and front-matter. So the hub splits in two:

- before the build, this module writes what only a plugin could add: a stub Markdown file for
  each generated page (processes, reviews, owners, register, onboarding and its tracks), the nav,
  and ``mkdocs.zensical.yml`` (``INHERIT: mkdocs.yml`` plus the extension, the assets and the nav);
- during the build, the Markdown extension fills each page (header, warnings, sections, quizzes,
  the bodies of the generated pages);
- after the build (``--after-build``), this module writes ``register.json`` and ``register.csv``
  into the site folder (Zensical deletes files it did not write from ``site_dir`` on every build).

Zensical caches rendered pages and re-renders a page only when its own file, the config, the
templates or a ``watch``ed file changed; a page's header depends on other pages (its process, its
stage, the review dates), so ``.sop-hub/fingerprint`` (watched) changes whenever the hub does.

Prototype: it imports the MkDocs-flavoured modules (``pages``, ``nav``, ``config``) for their
rules; the host-neutral core of issue 11 item 2 removes that need (see the design note).
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import yaml

from sop_hub import nav as navigation
from sop_hub import pages as generated_pages
from sop_hub.cli.common import UsageError
from sop_hub.cli.project import Project, read_project, review_settings
from sop_hub.config import GeneratedPages
from sop_hub.hub import Hub, load_hub

EXTENSION = "sop_hub.markdown"
ZENSICAL_CONFIG = "mkdocs.zensical.yml"
STATE_DIR = ".sop-hub"
FINGERPRINT = "fingerprint"
ASSETS = ("sop-hub.css", "sop-hub.js", "quiz.css", "quiz.js")
ASSET_URI = "assets/sop-hub/{}"
PACKAGE_DIR = Path(__file__).resolve().parents[2]
# First line of every stub: prepare rewrites or removes only files that start with it.
STUB_MARK = "<!-- Written by `sop-hub prepare` for Zensical: do not edit, it is rewritten on every run. -->"
GENERATED_KEY = "sop_hub_page"  # front-matter key naming the generated page a stub stands for


@dataclass(slots=True)
class Prepared:
    project: Project
    hub: Hub
    generated: dict[str, str]  # src_uri -> page key ("processes", "track:new-starter", ...)
    written: list[Path]


def generated_locations(project: Project, hub: Hub) -> dict[str, str]:
    """src_uri -> key of each generated page, by the plugin's rules (``pages`` option, tracks)."""
    options = project.options.get("pages") or {}
    if not isinstance(options, dict):
        raise UsageError(f"{project.config_file}: sop-hub `pages` must be a mapping")
    generated: dict[str, str] = {}
    for key in generated_pages.TITLES:
        location = options.get(key, getattr(GeneratedPages, key).default)
        if location is True:
            location = getattr(GeneratedPages, key).default
        if not location:
            continue
        generated_pages.check_location(key, str(location))
        if key == "onboarding" and not hub.quizzes.tracks:
            continue
        src_uri = generated_pages.location_to_src_uri(str(location), index=key == "onboarding")
        if src_uri in generated:
            raise UsageError(f"sop-hub config `pages.{key}: {location}` is the location of another generated page")
        generated[src_uri] = key
        if key == "onboarding":
            base = src_uri.rsplit("/", 1)[0] + "/" if "/" in src_uri else ""
            for track in hub.quizzes.tracks.values():
                generated[f"{base}{track.id}/index.md"] = generated_pages.TRACK_PREFIX + track.id
    return generated


def is_stub(path: Path) -> bool:
    """A file prepare wrote (the mark follows its front-matter): left out of the hub, rewritten freely."""
    try:
        with open(path, encoding="utf-8") as handle:
            return STUB_MARK in handle.read(4096).splitlines()
    except (OSError, UnicodeDecodeError):
        return False


def load(config_file: str | None, as_of: str | None = None) -> tuple[Project, Hub, dict[str, str]]:
    """The project, its hub (stubs left out) and its generated pages: what prepare and the extension share."""
    project = read_project(config_file)
    settings = review_settings(project, as_of)
    sources = [(src, path) for src, path in project.pages() if not is_stub(Path(path))]
    hub = load_hub(sources, root=project.root, quizzes_dir=project.quizzes_dir, settings=settings)
    return project, hub, generated_locations(project, hub)


def stub_text(key: str, title: str) -> str:
    """Front-matter only (title, which page, search exclusion): the extension renders the body."""
    meta: dict[str, Any] = {"title": title, GENERATED_KEY: key}
    if key in generated_pages.NOT_SEARCHED:
        meta["search"] = {"exclude": True}
    return f"---\n{yaml.safe_dump(meta, sort_keys=False, allow_unicode=True)}---\n{STUB_MARK}\n"


def prepare(config_file: str | None, *, extension: str = EXTENSION, as_of: str | None = None) -> Prepared:
    project, hub, generated = load(config_file, as_of)
    written: list[Path] = []
    docs = project.docs_dir
    titles = {f"{generated_pages.TRACK_PREFIX}{t.id}": t.title for t in hub.quizzes.tracks.values()}
    titles.update(generated_pages.TITLES)
    for src_uri, key in generated.items():
        target = docs / src_uri
        if target.exists() and not is_stub(target):
            raise UsageError(
                f"docs/{src_uri} exists, so the generated {titles[key].lower()} page cannot go there; "
                f"move it with `pages: {{{key.split(':')[0]}: other/path/}}` or switch it off with `false`"
            )
        if _write_if_changed(target, stub_text(key, titles[key])):
            written.append(target)
    _remove_stale_stubs(docs, set(generated))
    state = project.root / STATE_DIR
    state.mkdir(exist_ok=True)
    (state / ".gitignore").write_text("*\n", encoding="utf-8")
    if _write_if_changed(state / FINGERPRINT, _fingerprint(project, hub) + "\n"):
        written.append(state / FINGERPRINT)
    config = project.root / ZENSICAL_CONFIG
    if _write_if_changed(config, zensical_config(project, hub, generated, extension)):
        written.append(config)
    return Prepared(project, hub, generated, written)


def zensical_config(project: Project, hub: Hub, generated: dict[str, str], extension: str) -> str:
    """``mkdocs.zensical.yml``: the user's config (INHERIT), plus what the plugin would have added.

    Zensical merges INHERIT with deepmerge's ``always_merger``: lists are *appended* to (MkDocs
    replaces them), so this file lists only additions; a nav of the user's own cannot be replaced.
    """
    data: dict[str, Any] = {
        "INHERIT": project.config_file.name,
        "markdown_extensions": [{extension: {"config_file": project.config_file.name}}],
        "extra_css": [ASSET_URI.format("sop-hub.css"), ASSET_URI.format("quiz.css")],
        "extra_javascript": [ASSET_URI.format("sop-hub.js"), ASSET_URI.format("quiz.js")],
        "watch": [STATE_DIR, project.quizzes_dir.relative_to(project.root).as_posix()],
    }
    if project.options.get("nav", True):
        user_nav = _raw(project.config_file).get("nav")
        if user_nav:
            raise UsageError(
                f"{project.config_file} has a `nav`; the Zensical preview cannot replace it yet "
                "(Zensical appends to lists it inherits): remove it to let sop-hub build the nav"
            )
        files = SimpleNamespace(
            documentation_pages=lambda: [SimpleNamespace(src_uri=src) for src, _ in project.pages()]
        )
        data["nav"] = _plain(navigation.build(None, hub.catalog, files, generated))  # type: ignore[arg-type]
    head = "# Written by `sop-hub prepare`: do not edit. Build with `zensical build -f mkdocs.zensical.yml`.\n"
    return head + yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def _plain(value: Any) -> Any:
    """Nav titles are ``Markup`` (escaped for Material's templates): YAML takes plain strings.

    Open question for phase B: whether Zensical's templates escape nav titles themselves.
    """
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    return str(value)


def after_build(config_file: str | None, *, as_of: str | None = None) -> list[Path]:
    """Write ``register.json`` and ``register.csv`` (and the assets) into the built site."""
    project, hub, _generated = load(config_file, as_of)
    site_dir = project.root / str(_raw(project.config_file).get("site_dir") or "site")
    if not site_dir.is_dir():
        raise UsageError(f"{site_dir} does not exist: run `zensical build -f {ZENSICAL_CONFIG}` first")
    written = []
    if project.options.get("register_files", True):
        config = SimpleNamespace(use_directory_urls=project.directory_urls)
        generated_pages.write_register_files(site_dir, hub, config)  # type: ignore[arg-type]
        written += [site_dir / "register.json", site_dir / "register.csv"]
    return written


def copy_assets(project: Project) -> list[Path]:
    """Zensical serves what docs_dir holds: the assets go to ``docs/assets/sop-hub/`` (git-ignored)."""
    target = project.docs_dir / "assets" / "sop-hub"
    target.mkdir(parents=True, exist_ok=True)
    (target / ".gitignore").write_text("*\n", encoding="utf-8")
    out = []
    for name in ASSETS:
        source = PACKAGE_DIR / "assets" / name
        if _write_if_changed(target / name, source.read_text(encoding="utf-8")):
            out.append(target / name)
    return out


def _raw(config_file: Path) -> dict[str, Any]:
    with open(config_file, encoding="utf-8") as handle:
        data = yaml.load(handle, Loader=_Plain)
    return data if isinstance(data, dict) else {}


class _Plain(yaml.SafeLoader):
    """Any tag read as nothing (``!ENV``, ``!!python/name:...``): only keys are looked at here."""


_Plain.add_multi_constructor("", lambda loader, suffix, node: None)


def _fingerprint(project: Project, hub: Hub) -> str:
    digest = hashlib.sha256()
    digest.update(str(hub.catalog.settings).encode())
    for src in sorted(hub.texts):
        digest.update(src.encode() + b"\0" + hub.texts[src].encode() + b"\0")
    quizzes = project.quizzes_dir
    if quizzes.is_dir():
        for path in sorted(quizzes.rglob("*.y*ml")):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _remove_stale_stubs(docs: Path, keep: set[str]) -> None:
    for path in docs.rglob("*.md"):
        src = path.relative_to(docs).as_posix()
        if src not in keep and is_stub(path):
            path.unlink()
            if path.parent != docs and not any(path.parent.iterdir()):
                shutil.rmtree(path.parent)


def _write_if_changed(path: Path, text: str) -> bool:
    """Unchanged files keep their mtime: Zensical re-renders every page when a watched file changes."""
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="sop-hub prepare", description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("-f", "--config-file", dest="config")
    parser.add_argument("--as-of")
    parser.add_argument("--after-build", action="store_true", help="write register.json/.csv into the site")
    parser.add_argument("--extension", default=EXTENSION, help="the Markdown extension to configure")
    args = parser.parse_args(argv)
    try:
        if args.after_build:
            paths = after_build(args.config, as_of=args.as_of)
        else:
            prepared = prepare(args.config, extension=args.extension, as_of=args.as_of)
            paths = prepared.written + copy_assets(prepared.project)
    except UsageError as error:
        print(f"sop-hub prepare: {error}", file=sys.stderr)
        return 2
    for path in paths:
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
