"""The generated pages as MkDocs files, and the register files written into the site.

What the pages are, where they go and what they hold is ``sop_hub.render.pages``; this module
only adds their stubs to MkDocs' ``Files`` and writes ``register.json``/``register.csv`` and
``changes.xml``.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from sop_hub.core.hub import Hub
from sop_hub.hosts.mkdocs.config import SopHubConfig
from sop_hub.render import changes, pages
from sop_hub.render.pages import PageLocationError


def add_generated_pages(files: Files, config: MkDocsConfig, hub: Hub, plugin: SopHubConfig) -> dict[str, str]:
    """Add each enabled generated page to ``files``; return src_uri -> page key."""
    locations = {key: plugin.pages[key] for key in pages.TITLES}
    try:
        planned = pages.plan(locations, hub, exists=lambda src_uri: files.get_file_from_path(src_uri) is not None)
    except PageLocationError as error:
        raise PluginError(str(error)) from None
    for page in planned:
        files.append(File.generated(config, page.src_uri, content=page.stub))
    return {page.src_uri: page.key for page in planned}


def write_register_files(site_dir: Path, hub: Hub, directory_urls: bool) -> None:
    for name, content in pages.register_files(hub, directory_urls).items():
        (site_dir / name).write_bytes(content)


def write_changes_feed(site_dir: Path, hub: Hub, config: MkDocsConfig) -> None:
    """``changes.xml``: the changes page as an Atom feed (SPEC §8)."""
    feed = changes.atom_feed(hub, site_url=config.site_url, directory_urls=bool(config.use_directory_urls))
    (site_dir / changes.FEED_FILE).write_text(feed, encoding="utf-8")
