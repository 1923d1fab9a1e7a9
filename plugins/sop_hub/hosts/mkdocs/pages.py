"""Generated pages (processes, reviews, owners, register, onboarding) and the register files.

Each generated page is a virtual Markdown file holding only its title; its body is rendered from
``templates/sop-hub/page-<key>.html`` in ``on_page_content``, with a view built here from the
catalog. Locations come from the ``pages`` config; ``false`` or ``""`` switches a page off.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from sop_hub.core.hub import Hub
from sop_hub.core.report import register_csv, report
from sop_hub.hosts.mkdocs.config import GeneratedPages, SopHubConfig
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
TRACK_PREFIX = "track:"
# Listings of what procedure pages already say: kept out of search, where they would only
# outrank the procedures themselves (and at 1000 SOPs cost more to index than the procedures).
NOT_SEARCHED = {"processes", "reviews", "owners", "register", "changes"}


def check_location(key: str, location: str) -> None:
    """A generated page must stay inside the site: a path outside it is a silent 404 in every nav."""
    text = location.strip()
    parts = text.replace("\\", "/").split("/")
    if text.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", text) or ".." in parts or ":" in text:
        raise PluginError(
            f"sop-hub config `pages.{key}: {location}` puts the page outside the site; use a path inside "
            f"docs such as `{key}/` or `hub/{key}/`, or `false` to switch the page off"
        )
    if not text.strip("/.") or any(part.startswith(".") for part in parts if part):
        raise PluginError(
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


def add_generated_pages(files: Files, config: MkDocsConfig, hub: Hub, plugin: SopHubConfig) -> dict[str, str]:
    """Add each enabled generated page to ``files``; return src_uri -> page key."""
    generated: dict[str, str] = {}
    for key, title in TITLES.items():
        location = plugin.pages[key]
        if not location:
            continue
        if location is True:
            location = getattr(GeneratedPages, key).default  # `true`: where it is by default
        check_location(key, str(location))
        if key == "onboarding" and not hub.quizzes.tracks:
            continue  # nothing to show until tracks.yml defines a track
        src_uri = location_to_src_uri(str(location), index=key == "onboarding")
        if src_uri in generated:
            raise PluginError(
                f"sop-hub config `pages.{key}: {location}` is the location of the {generated[src_uri]} page too; "
                "give each generated page its own location"
            )
        _add(files, config, src_uri, title, generated, key)
        if key == "onboarding":
            base = src_uri.rsplit("/", 1)[0] + "/" if "/" in src_uri else ""
            for track in hub.quizzes.tracks.values():
                _add(files, config, f"{base}{track.id}/index.md", track.title, generated, TRACK_PREFIX + track.id)
    return generated


def _add(files: Files, config: MkDocsConfig, src_uri: str, title: str, generated: dict[str, str], key: str) -> None:
    if files.get_file_from_path(src_uri) is not None:
        setting = key.split(":")[0]
        if key.startswith(TRACK_PREFIX):
            raise PluginError(
                f"sop-hub: docs/{src_uri} exists, so the page of track `{key[len(TRACK_PREFIX) :]}` cannot go there; "
                "rename the track in tracks.yml, move that file, or move onboarding with `pages: {onboarding: other/}`"
            )
        raise PluginError(
            f"sop-hub config `pages.{setting}`: docs/{src_uri} exists, so the generated {title.lower()} page "
            f"cannot go there; move it with `pages: {{{setting}: other/path/}}` or switch it off with `false`"
        )
    # The title is front-matter (not a Markdown heading) so it cannot be read as Markdown; the
    # plugin escapes every page's title for Material (page_meta), this one included.
    meta = f"title: {json.dumps(title)}\n"
    if key in NOT_SEARCHED:
        meta += "search:\n  exclude: true\n"
    content = f"---\n{meta}---\n"
    files.append(File.generated(config, src_uri, content=content))
    generated[src_uri] = key


def render(key: str, page: Page, renderer: Renderer, hub: Hub, generated: dict[str, str]) -> str:
    """The HTML body of one generated page."""
    renderer.page_url = page.url
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


def write_register_files(site_dir: Path, hub: Hub, config: MkDocsConfig) -> None:
    data: dict[str, Any] = report(hub.catalog, hub.problems, bool(config.use_directory_urls))
    (site_dir / "register.json").write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (site_dir / "register.csv").write_text(register_csv(data["documents"]), encoding="utf-8-sig")


def write_changes_feed(site_dir: Path, hub: Hub, config: MkDocsConfig) -> None:
    """``changes.xml``: the changes page as an Atom feed (SPEC §8)."""
    feed = changes.atom_feed(hub, site_url=config.site_url, directory_urls=bool(config.use_directory_urls))
    (site_dir / changes.FEED_FILE).write_text(feed, encoding="utf-8")
