"""Front-matter values as Material may print them: text, escaped, of the type its templates expect.

MkDocs' Jinja environment does not autoescape, and Material prints several ``page.meta`` keys
raw: ``title`` (``<title>``, the header, the nav), ``status`` (a CSS class in the nav),
``description`` and ``author`` (``<meta>`` attributes), ``subtitle`` (the nav), ``icon`` (an
``{% include %}`` path), ``location`` (``redirect.html``), the revision dates (``source-file.html``).
Others must have the right type or the build aborts: ``template`` (a template that does not exist),
``hide`` (``"toc" in hide``), ``search`` (``search.get(...)``). Every page's meta goes through
:func:`clean_meta` before Material sees it, so front-matter is always data.

Pure: the theme checks (does this template or icon exist) are passed in.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from sop_hub.core.metadata import kind_of

MATERIAL_STATUSES = ("new", "deprecated")  # Material's built-in nav status icons
TEXT_KEYS: tuple[str, ...] = ("description", "author", "subtitle", "revision_date")
TEXT_KEYS += ("git_revision_date_localized", "git_creation_date_localized")
HIDE_VALUES = ("navigation", "toc", "footer", "path", "tags", "feedback")
_ICON = re.compile(r"^[a-z0-9][a-z0-9_-]*(?:/[a-z0-9][a-z0-9_-]*)+$")
_TEMPLATE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*(?:/[A-Za-z0-9_][A-Za-z0-9_.-]*)*\.html$")
_SAFE_URL = re.compile(r"^(?:https?://|/|\.|#|[^:/?#]*(?:[/?#]|$))", re.IGNORECASE)


@dataclass(slots=True)
class Cleaned:
    """What :func:`clean_meta` changed: one sentence per dropped or replaced value."""

    dropped: list[str] = field(default_factory=list)


def escape_text(value: str) -> Markup:
    """Text for Material's templates, which print it raw (in text and in attributes).

    Markup, so the templates that do escape (``{{ nav_item.title | e }}`` in an ``aria-label``)
    leave it as it is instead of escaping it twice.
    """
    return Markup(html.escape(value, quote=True))


def clean_meta(
    meta: MutableMapping[str, Any],
    *,
    title: str | None,
    statuses: tuple[str, ...],
    doc_status: str | None = None,
    template_exists: Callable[[str], bool] = lambda name: True,
    icon_exists: Callable[[str], bool] = lambda name: True,
) -> Cleaned:
    """Clean ``meta`` in place for Material.

    ``title``: the SOP Hub document's title (always used when given, so the nav, ``<title>`` and
    the header agree), or None for an ordinary page (its own ``title`` if it is text, else
    whatever MkDocs derives from the first heading or the file name). ``statuses``: the nav status
    values this site knows. ``doc_status``: ``active``/``draft``/``retired`` of an SOP Hub
    document (its ``status`` key is SOP Hub's, not Material's), None for an ordinary page.
    """
    result = Cleaned()
    drop = result.dropped

    raw_title = meta.get("title")
    if title is not None:
        meta["title"] = escape_text(title)
        if raw_title is not None and not isinstance(raw_title, str):
            drop.append(f"`title` must be text, not {kind_of(raw_title)}: the document's title is used")
    elif "title" in meta:
        if isinstance(raw_title, str) and raw_title.strip():
            meta["title"] = escape_text(raw_title)
        else:
            del meta["title"]  # MkDocs falls back to the first heading, then the file name
            if raw_title is not None and raw_title != "":
                drop.append(f"`title` must be text, not {kind_of(raw_title)}: the page's first heading is used")

    _clean_status(meta, statuses, doc_status, drop)

    for key in TEXT_KEYS:
        if key in meta:
            value = _text(meta[key])
            if value is None:
                _drop(meta, key, drop, "text")
            else:
                meta[key] = value

    if "icon" in meta:
        icon = meta["icon"]
        if not (isinstance(icon, str) and _ICON.match(icon) and icon_exists(icon)):
            _drop(meta, "icon", drop, "the name of an icon of the theme, e.g. `material/file-document`")

    if "template" in meta:
        name = meta["template"]
        if not (isinstance(name, str) and _TEMPLATE.match(name) and ".." not in name and template_exists(name)):
            shown = name if isinstance(name, str) else kind_of(name)
            del meta["template"]
            drop.append(
                f"`template: {shown}` is not a template of the theme (or of `custom_dir`): the default "
                "template is used; name an existing `.html` template or remove the key"
            )

    if "location" in meta:
        location = meta["location"]
        if isinstance(location, str) and _SAFE_URL.match(location.strip()) and "\\" not in location:
            meta["location"] = escape_text(location.strip())
        else:
            _drop(meta, "location", drop, "a relative or http(s) address")

    if "hide" in meta:
        hide = meta["hide"]
        items = [hide] if isinstance(hide, str) else hide if isinstance(hide, list) else None
        kept = [item for item in items or [] if isinstance(item, str) and item in HIDE_VALUES]
        if items is None or len(kept) != len(items):
            drop.append(f"`hide` takes a list of {', '.join(HIDE_VALUES)}: other values are ignored")
        if kept:
            meta["hide"] = kept
        else:
            del meta["hide"]

    if "tags" in meta:
        tags = meta["tags"]
        items = [tags] if isinstance(tags, (str, int, float)) and not isinstance(tags, bool) else tags
        if not isinstance(items, list):
            _drop(meta, "tags", drop, "a list of text")
        else:
            texts = [_text(item) for item in items]
            kept_tags = [text for text in texts if text]
            if len(kept_tags) != len(items):
                drop.append("`tags` must be a list of text: tags that are not text are ignored")
            meta["tags"] = kept_tags

    if "search" in meta:
        search = meta["search"]
        if not isinstance(search, dict):
            _drop(meta, "search", drop, "a mapping such as `{exclude: true}` or `{boost: 2}`")
        else:
            cleaned: dict[str, Any] = {}
            if isinstance(search.get("exclude"), bool):
                cleaned["exclude"] = search["exclude"]
            boost = search.get("boost")
            if isinstance(boost, (int, float)) and not isinstance(boost, bool) and boost > 0:
                cleaned["boost"] = boost
            if set(search) - set(cleaned):
                drop.append(
                    "`search` takes `exclude: true|false` and `boost: <positive number>`: other values are ignored"
                )
            meta["search"] = cleaned
    return result


def _clean_status(
    meta: MutableMapping[str, Any], statuses: tuple[str, ...], doc_status: str | None, drop: list[str]
) -> None:
    """Material prints ``status`` into a class attribute: only a value the site knows is kept.

    For SOP Hub documents it follows the document's status: retired -> ``retired`` when the site
    defines that status, else Material's ``deprecated``; draft -> ``draft`` when the site defines
    it, else no icon (Material's ``new`` reads "recently added", which a draft is not; the page's
    own banner says it is a draft); active -> no icon.
    """
    raw = meta.pop("status", None)
    value: str | None = None
    if doc_status is not None:
        if doc_status == "retired":
            value = next((name for name in ("retired", "deprecated") if name in statuses), None)
        elif doc_status == "draft":
            value = "draft" if "draft" in statuses else None
    elif isinstance(raw, str) and raw in statuses:
        value = raw
    elif raw is not None and raw != "":
        drop.append(f"`status` must be one of {', '.join(statuses)} (the site's `extra.status`): it is ignored")
    if value is not None:
        meta["status"] = value


def _text(value: object) -> str | None:
    if isinstance(value, str):
        return escape_text(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return escape_text(str(value))
    return None


def _drop(meta: MutableMapping[str, Any], key: str, drop: list[str], expected: str) -> None:
    value = meta.pop(key)
    if value is None or value == "":
        return
    drop.append(f"`{key}` must be {expected}, not {kind_of(value)}: it is ignored")


RETIRED_BOOST = 0.1  # search ranks a retired document below active ones (SPEC §4)


def rank_retired(meta: MutableMapping[str, Any]) -> None:
    """A retired page is found by id and title, ranked below active documents (its body is not
    indexed: the Markdown extension hands search a summary instead)."""
    search = meta.get("search")
    meta["search"] = {**(search if isinstance(search, dict) else {}), "boost": RETIRED_BOOST}
    meta["search"].pop("exclude", None)
