"""Read the settings sop-hub needs from mkdocs.yml, without MkDocs' config machinery.

``mkdocs.config.load_config`` would load the theme and every plugin (a third of a second, and a
failure when an unrelated plugin is missing in CI) to read five settings. Used by the CLI and by
the Markdown extension when it is configured standalone (``SopHubExtension(config_file=...)``)::

    project = read_project("mkdocs.yml")     # ProjectError: the message says what to fix
    settings = review_settings(project, as_of_flag=None)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from sop_hub.core.history import read_history
from sop_hub.core.hub import Hub, load_hub, markdown_pages, settings_from
from sop_hub.core.review import (
    DEFAULT_CHANGES_DAYS,
    DEFAULT_DUE_SOON,
    DEFAULT_PROCEDURE_INTERVAL,
    DEFAULT_PROCESS_INTERVAL,
    InvalidValue,
    ReviewSettings,
)

PLUGIN = "sop-hub"
# ProperDocs' own order (properdocs/config/base.py): a project that has a properdocs.yml builds
# with it under `properdocs build`, so the check reads the same file. MkDocs reads only the last two.
CONFIG_NAMES = ("properdocs.yml", "properdocs.yaml", "mkdocs.yml", "mkdocs.yaml")


class ProjectError(ValueError):
    """The project's config cannot be read; the message says what to fix."""


@dataclass(slots=True)
class Project:
    config_file: Path
    root: Path  # the folder holding mkdocs.yml: problems' paths are relative to it
    docs_dir: Path
    options: dict[str, Any] = field(default_factory=dict)  # the sop-hub plugin's options
    has_plugin: bool = True
    directory_urls: bool = True
    exclude_docs: str = ""
    draft_docs: str = ""
    site_url: str = ""  # learning records' activity ids start with it (SPEC §9)

    @property
    def quizzes_dir(self) -> Path:
        return self.root / str(self.options.get("quizzes_dir") or "quizzes")

    def pages(self) -> list[tuple[str, str]]:
        """The Markdown pages ``mkdocs build`` would build: docs_dir minus MkDocs's default exclusions
        (dot-files and folders, which markdown_pages skips, and ``templates/`` at the docs root),
        ``exclude_docs`` and ``draft_docs``.

        Drafts are left out on purpose: ``mkdocs build`` (what CI publishes) leaves them out, and a
        check that failed on a page nobody can read would block the pipeline for nothing;
        ``mkdocs serve`` shows them, with their problems on the page.
        """
        pages = [(src, path) for src, path in markdown_pages(self.docs_dir) if not src.startswith("templates/")]
        settings = [text for text in (self.exclude_docs, self.draft_docs) if text.strip()]
        if not settings:
            return pages
        import pathspec  # a MkDocs dependency: what MkDocs itself matches exclude_docs and draft_docs with

        # Two specs, as MkDocs has: a `!pattern` in one setting does not undo the other.
        specs = [pathspec.GitIgnoreSpec.from_lines(text.splitlines()) for text in settings]
        return [(src, path) for src, path in pages if not any(spec.match_file(src) for spec in specs)]


class _ConfigLoader(yaml.SafeLoader):
    """MkDocs's YAML as data: ``!ENV`` resolved as MkDocs does, any other tag (``!relative``,
    ``!!python/name:...``) read as nothing instead of importing or running code."""


def _env_tag(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    import yaml_env_tag  # type: ignore[import-untyped]  # a MkDocs dependency: the same !ENV semantics MkDocs has

    return yaml_env_tag.construct_env_tag(loader, node)


# Dates stay text, as in front-matter: an impossible `as_of: 2026-02-30` gets our message, not a traceback.
_ConfigLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_ConfigLoader.add_constructor("!ENV", _env_tag)
_ConfigLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def find_config(given: str | None) -> Path:
    if given:
        path = Path(given)
        if path.is_dir():
            found = [path / name for name in CONFIG_NAMES if (path / name).is_file()]
            if found:
                return found[0]
        if not path.is_file():
            raise ProjectError(f"config file `{given}` not found")
        return path
    for name in CONFIG_NAMES:
        if Path(name).is_file():
            return Path(name)
    raise ProjectError(
        f"no mkdocs.yml or properdocs.yml in {Path.cwd()}; run from the project folder or pass -f path/to/mkdocs.yml"
    )


def read_project(given: str | None) -> Project:
    """Read the settings sop-hub needs from the MkDocs config (following ``INHERIT``)."""
    config_file = find_config(given)
    data = _load_yaml(config_file, seen=set())
    root = config_file.resolve().parent
    docs_dir = root / str(data.get("docs_dir") or "docs")
    if not docs_dir.is_dir():
        raise ProjectError(f"{config_file}: docs_dir `{data.get('docs_dir') or 'docs'}` is not a folder")
    options, has_plugin = _plugin_options(config_file, data.get("plugins"))
    exclude, drafts = data.get("exclude_docs") or "", data.get("draft_docs") or ""
    return Project(
        config_file=config_file,
        root=root,
        docs_dir=docs_dir,
        options=options,
        has_plugin=has_plugin,
        directory_urls=data.get("use_directory_urls") is not False,
        exclude_docs=exclude if isinstance(exclude, str) else "",
        draft_docs=drafts if isinstance(drafts, str) else "",
        site_url=data["site_url"] if isinstance(data.get("site_url"), str) else "",
    )


def _load_yaml(path: Path, seen: set[Path]) -> dict[str, Any]:
    try:
        with open(path, "rb") as handle:
            data = yaml.load(handle, Loader=_ConfigLoader)  # a SafeLoader subclass
    except OSError as error:
        raise ProjectError(f"cannot read {path}: {error.strerror}") from None
    except yaml.YAMLError as error:
        raise ProjectError(f"{path} is not valid YAML: {error}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ProjectError(f"{path} must be a mapping of settings")
    parent = data.pop("INHERIT", None)
    if parent:
        parent_path = (path.parent / str(parent)).resolve()
        if parent_path in seen or not parent_path.is_file():
            raise ProjectError(f"{path}: INHERIT `{parent}` not found (or inherits itself)")
        data = _merge(_load_yaml(parent_path, seen | {path.resolve()}), data)
    return dict(data)


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """MkDocs's INHERIT merge: mappings merge key by key, everything else is replaced."""
    out = dict(base)
    for key, value in override.items():
        out[key] = _merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def _plugin_options(config_file: Path, plugins: object) -> tuple[dict[str, Any], bool]:
    entries: list[tuple[str, object]] = []
    if isinstance(plugins, dict):
        entries = [(str(name), options) for name, options in plugins.items()]
    elif isinstance(plugins, list):
        for entry in plugins:
            if isinstance(entry, str):
                entries.append((entry, None))
            elif isinstance(entry, dict):
                entries += [(str(name), options) for name, options in entry.items()]
    for name, options in entries:
        if name != PLUGIN:
            continue
        if options is None:
            return {}, True
        if not isinstance(options, dict):
            raise ProjectError(f"{config_file}: the `{PLUGIN}` plugin's options must be a mapping")
        return options, True
    return {}, False


def review_settings(project: Project, as_of_flag: str | None) -> ReviewSettings:
    """The plugin's review settings, with the as-of date first found in: flag, env, config, today."""
    options = project.options
    review_in = options.get("review_in") or {}
    if not isinstance(review_in, dict):
        raise ProjectError(f"{project.config_file}: sop-hub `review_in` must be a mapping {{procedure, process}}")
    try:
        return settings_from(
            as_of_flag=as_of_flag,
            as_of=options.get("as_of"),
            due_soon=str(options.get("due_soon") or DEFAULT_DUE_SOON),
            procedure=str(review_in.get("procedure") or DEFAULT_PROCEDURE_INTERVAL),
            process=str(review_in.get("process") or DEFAULT_PROCESS_INTERVAL),
            require_approval=options.get("require_approval", False),
            changes_days=options.get("changes_days", DEFAULT_CHANGES_DAYS),
        )
    except InvalidValue as error:
        raise ProjectError(str(error)) from None


def load_project_hub(
    project: Project,
    as_of_flag: str | None = None,
    *,
    pages: list[tuple[str, str]] | None = None,
    history: bool = True,
) -> tuple[Hub, str]:
    """The project's hub as the build sees it, with its git history (SPEC §8) unless ``history``
    is false; and the one-line hint to show when the history is unavailable (else "").

    One place for the CLI, the standalone Markdown extension and the Zensical preparation, so
    their revisions agree with the MkDocs plugin's.
    """
    pages = project.pages() if pages is None else pages
    found = read_history(project.docs_dir, [src_uri for src_uri, _ in pages]) if history else None
    hub = load_hub(
        pages,
        root=project.root,
        quizzes_dir=project.quizzes_dir,
        settings=review_settings(project, as_of_flag),
        history=found,
    )
    return hub, found.hint if found is not None else ""
