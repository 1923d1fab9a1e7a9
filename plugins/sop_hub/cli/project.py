"""The project's settings for the commands: ``core.project``, its errors as usage errors (exit 2)."""

from __future__ import annotations

from sop_hub.cli.common import UsageError
from sop_hub.core import project as _project
from sop_hub.core.hub import Hub
from sop_hub.core.project import CONFIG_NAMES, PLUGIN, Project
from sop_hub.core.review import ReviewSettings

__all__ = ["CONFIG_NAMES", "PLUGIN", "Project", "load_project_hub", "read_project", "review_settings"]


def read_project(given: str | None) -> Project:
    """Read the settings sop-hub needs from the MkDocs config (following ``INHERIT``)."""
    try:
        return _project.read_project(given)
    except _project.ProjectError as error:
        raise UsageError(str(error)) from None


def review_settings(project: Project, as_of_flag: str | None) -> ReviewSettings:
    """The plugin's review settings, with the as-of date first found in: flag, env, config, today."""
    try:
        return _project.review_settings(project, as_of_flag)
    except _project.ProjectError as error:
        raise UsageError(str(error)) from None


def load_project_hub(project: Project, as_of_flag: str | None = None, *, history: bool = True) -> tuple[Hub, str]:
    """``core.project.load_project_hub``, a bad as-of date being a usage error."""
    try:
        return _project.load_project_hub(project, as_of_flag, history=history)
    except _project.ProjectError as error:
        raise UsageError(str(error)) from None
