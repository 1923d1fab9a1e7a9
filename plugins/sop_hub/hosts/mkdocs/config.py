"""The plugin's typed config (``plugins: - sop-hub: ...`` in mkdocs.yml), see SPEC §6."""

from __future__ import annotations

from datetime import date

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError

from sop_hub.core.hub import settings_from
from sop_hub.core.review import (
    DEFAULT_CHANGES_DAYS,
    DEFAULT_DUE_SOON,
    DEFAULT_PROCEDURE_INTERVAL,
    DEFAULT_PROCESS_INTERVAL,
    InvalidValue,
    ReviewSettings,
)
from sop_hub.render.pages import DEFAULT_LOCATIONS


class ReviewIntervals(base.Config):
    procedure = c.Type(str, default=str(DEFAULT_PROCEDURE_INTERVAL))
    process = c.Type(str, default=str(DEFAULT_PROCESS_INTERVAL))


class GeneratedPages(base.Config):
    """Where each generated page goes; an empty string (or ``false``) switches it off."""

    processes = c.Type((str, bool), default=DEFAULT_LOCATIONS["processes"])
    reviews = c.Type((str, bool), default=DEFAULT_LOCATIONS["reviews"])
    owners = c.Type((str, bool), default=DEFAULT_LOCATIONS["owners"])
    register = c.Type((str, bool), default=DEFAULT_LOCATIONS["register"])
    changes = c.Type((str, bool), default=DEFAULT_LOCATIONS["changes"])  # with changes.xml (Atom) at the site root
    onboarding = c.Type((str, bool), default=DEFAULT_LOCATIONS["onboarding"])


class SopHubConfig(base.Config):
    quizzes_dir = c.Type(str, default="quizzes")
    as_of = c.Optional(c.Type((str, date)))
    due_soon = c.Type(str, default=str(DEFAULT_DUE_SOON))
    review_in = c.SubConfig(ReviewIntervals)
    strict_reviews = c.Type(bool, default=False)
    nav = c.Type(bool, default=True)
    # On a process's pages, show all processes in the sidebar, or only that one (plus a link to
    # them all); `auto`: only that one when the hub has more than 12 processes.
    nav_processes = c.Choice(("auto", "all", "current"), default="auto")
    pages = c.SubConfig(GeneratedPages)
    register_files = c.Type(bool, default=True)  # register.json and register.csv at the site root
    # Document control (SPEC §6, §8):
    require_approval = c.Type(bool, default=False)  # an active document without approved_by is an error
    acknowledge = c.Type(bool, default=False)  # every procedure asks for read-and-understood (§5.4)
    changes_days = c.Type(int, default=DEFAULT_CHANGES_DAYS)  # how far back changes/ and changes.xml go
    # Problem boxes on pages (SPEC §4): `serve` only under `mkdocs serve`, `always`, or `never`;
    # problems always go to the build log and `sop-hub check`.
    show_problems = c.Choice(("serve", "always", "never"), default="serve")


def review_settings(config: SopHubConfig) -> ReviewSettings:
    """The review settings of this build (as-of date: ``$SOP_HUB_AS_OF``, ``as_of``, today)."""
    try:
        return settings_from(
            as_of_flag=None,
            as_of=config.as_of,
            due_soon=config.due_soon,
            procedure=config.review_in.procedure,
            process=config.review_in.process,
            require_approval=config.require_approval,
            changes_days=config.changes_days,
        )
    except InvalidValue as error:
        raise PluginError(f"sop-hub: {error}") from None
