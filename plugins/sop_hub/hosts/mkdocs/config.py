"""The plugin's typed config (``plugins: - sop-hub: ...`` in mkdocs.yml), see SPEC §6."""

from __future__ import annotations

from datetime import date

from mkdocs.config import base
from mkdocs.config import config_options as c

from sop_hub.core.review import DEFAULT_DUE_SOON, DEFAULT_PROCEDURE_INTERVAL, DEFAULT_PROCESS_INTERVAL


class ReviewIntervals(base.Config):
    procedure = c.Type(str, default=str(DEFAULT_PROCEDURE_INTERVAL))
    process = c.Type(str, default=str(DEFAULT_PROCESS_INTERVAL))


class GeneratedPages(base.Config):
    """Where each generated page goes; an empty string (or ``false``) switches it off."""

    processes = c.Type((str, bool), default="processes/")
    reviews = c.Type((str, bool), default="reviews/")
    owners = c.Type((str, bool), default="owners/")
    register = c.Type((str, bool), default="register/")
    onboarding = c.Type((str, bool), default="onboarding/")


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
    # Read-and-understood for every procedure (SPEC §5.4); a page's `acknowledge:` overrides it.
    acknowledge = c.Type(bool, default=False)
    # xAPI settings (SPEC §9): {endpoint, auth}; checked by core.training.learning_records_settings.
    learning_records = c.Optional(c.Type(dict))
