"""Generated pages (processes, reviews, owners, register, onboarding, tracks) and the register files.

Host-neutral: which pages there are and where, what their source stub holds, their HTML body and
the register files' bytes. A host only adds the stubs to its file list and writes the files::

    plan(locations, hub, exists)            -> [GeneratedPage(src_uri, key, title, stub)]
    render(key, url, renderer, hub, generated) -> the HTML body of one generated page
    register_files(hub, directory_urls)     -> {"register.json": bytes, "register.csv": bytes}

Each generated page is a virtual Markdown file holding only its title (``stub``); its body is
rendered from ``templates/sop-hub/page-<key>.html`` with a view built from the catalog.
Locations come from the ``pages`` setting; ``false`` or ``""`` switches a page off, ``true``
puts it at its default location. A location a page cannot have raises ``PageLocationError``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sop_hub.core.hub import Hub
from sop_hub.core.report import register_csv, report
from sop_hub.render import changes, views
from sop_hub.render import onboarding as quiz_pages
from sop_hub.render.renderer import Renderer

TITLES = {
    "processes": "Processes",
    "reviews": "Reviews",
    "owners": "Owners",
    "register": "Document register",
    "changes": "Changes",
    "onboarding": "Onboarding",
}
DEFAULT_LOCATIONS = {key: f"{key}/" for key in TITLES}
TRACK_PREFIX = "track:"
# Listings of what procedure pages already say: kept out of search, where they would only
# outrank the procedures themselves (and at 1000 SOPs cost more to index than the procedures).
NOT_SEARCHED = {"processes", "reviews", "owners", "register", "changes"}


class PageLocationError(ValueError):
    """A ``pages`` setting the site cannot have; the message says what to write instead."""


@dataclass(frozen=True, slots=True)
class GeneratedPage:
    src_uri: str  # e.g. reviews.md
    key: str  # processes | reviews | owners | register | onboarding | track:<id>
    title: str
    stub: str  # the page's Markdown source: front-matter only


def check_location(key: str, location: str) -> None:
    """A generated page must stay inside the site: a path outside it is a silent 404 in every nav."""
    text = location.strip()
    parts = text.replace("\\", "/").split("/")
    if text.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", text) or ".." in parts or ":" in text:
        raise PageLocationError(
            f"sop-hub config `pages.{key}: {location}` puts the page outside the site; use a path inside "
            f"docs such as `{key}/` or `hub/{key}/`, or `false` to switch the page off"
        )
    if not text.strip("/.") or any(part.startswith(".") for part in parts if part):
        raise PageLocationError(
            f"sop-hub config `pages.{key}: {location}` is not a page location; use a path such as `{key}/`, "
            "or `false` to switch the page off"
        )


def location_to_src_uri(location: str, *, index: bool = False) -> str:
    """``reviews/`` -> ``reviews.md`` (URL ``reviews/``); ``quality/reviews.md`` stays as it is.

    Only the onboarding page is an ``index.md``: it is its tracks' section index. The listings
    are plain pages so they can share one nav section without one of them becoming its index.
    """
    location = location.strip().strip("/")
    if location.endswith(".md"):
        return location
    return f"{location}/index.md" if index else f"{location}.md"


def plan(locations: Mapping[str, str | bool], hub: Hub, exists: Callable[[str], bool]) -> list[GeneratedPage]:
    """The generated pages of this build, in nav order. ``exists(src_uri)``: is there a page there already?"""
    planned: list[GeneratedPage] = []
    keys: dict[str, str] = {}  # src_uri -> key

    def add(src_uri: str, title: str, key: str) -> None:
        if exists(src_uri) or src_uri in keys:
            setting = key.split(":")[0]
            if key.startswith(TRACK_PREFIX):
                raise PageLocationError(
                    f"sop-hub: docs/{src_uri} exists, so the page of track `{key[len(TRACK_PREFIX) :]}` cannot go "
                    "there; rename the track in tracks.yml, move that file, or move onboarding with "
                    "`pages: {onboarding: other/}`"
                )
            raise PageLocationError(
                f"sop-hub config `pages.{setting}`: docs/{src_uri} exists, so the generated {title.lower()} page "
                f"cannot go there; move it with `pages: {{{setting}: other/path/}}` or switch it off with `false`"
            )
        planned.append(GeneratedPage(src_uri, key, title, _stub(title, key)))
        keys[src_uri] = key

    for key, title in TITLES.items():
        location = locations.get(key, DEFAULT_LOCATIONS[key])
        if not location:
            continue
        if location is True:
            location = DEFAULT_LOCATIONS[key]  # `true`: where it is by default
        check_location(key, str(location))
        if key == "onboarding" and not hub.quizzes.tracks:
            continue  # nothing to show until tracks.yml defines a track
        src_uri = location_to_src_uri(str(location), index=key == "onboarding")
        if src_uri in keys:
            raise PageLocationError(
                f"sop-hub config `pages.{key}: {location}` is the location of the {keys[src_uri]} page too; "
                "give each generated page its own location"
            )
        add(src_uri, title, key)
        if key == "onboarding":
            base = src_uri.rsplit("/", 1)[0] + "/" if "/" in src_uri else ""
            for track in hub.quizzes.tracks.values():
                add(f"{base}{track.id}/index.md", track.title, TRACK_PREFIX + track.id)
    return planned


def _stub(title: str, key: str) -> str:
    # The title is front-matter (not a Markdown heading) so it cannot be read as Markdown; the
    # MkDocs host escapes every page's title for Material (page_meta), this one included.
    meta = f"title: {json.dumps(title)}\n"
    if key in NOT_SEARCHED:
        meta += "search:\n  exclude: true\n"
    return f"---\n{meta}---\n"


def render(key: str, url: str, renderer: Renderer, hub: Hub, generated: dict[str, str]) -> str:
    """The HTML body of the generated page ``key`` at ``url``. ``generated``: src_uri -> key of each."""
    renderer.page_url = url
    urls = {page_key: src for src, page_key in generated.items()}
    if key.startswith(TRACK_PREFIX):
        track = hub.quizzes.tracks[key[len(TRACK_PREFIX) :]]
        return renderer.render("sop-hub/page-track.html", view=quiz_pages.track(track, hub, renderer), urls=urls)
    if key == "onboarding":
        return renderer.render("sop-hub/page-onboarding.html", view=quiz_pages.onboarding(hub, renderer), urls=urls)
    if key == "changes":
        return renderer.render("sop-hub/page-changes.html", view=changes.changes_view(hub, renderer), urls=urls)
    view = getattr(views, key)(hub, renderer)
    return renderer.render(f"sop-hub/page-{key}.html", view=view, urls=urls)


def register_files(hub: Hub, directory_urls: bool) -> dict[str, bytes]:
    """``register.json`` and ``register.csv`` (UTF-8 with a BOM, so spreadsheet programs read it), by name."""
    data: dict[str, Any] = report(hub.catalog, hub.problems, directory_urls)
    return {
        "register.json": (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8"),
        "register.csv": register_csv(data["documents"]).encode("utf-8-sig"),
    }
