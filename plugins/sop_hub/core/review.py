"""Dates, review intervals and review status for one reference ("as-of") date.

Pure functions: no I/O, no MkDocs. The browser script (assets/sop-hub.js) repeats only the
last comparison (``review_status``) against the reader's clock; the date arithmetic lives here.
"""

from __future__ import annotations

import calendar
import difflib
import os
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sop_hub.core.model import DocStatus, Interval, ReviewStatus

_INTERVAL = re.compile(r"^([-+]?\d+) ?((day|week|month|year)s?)$")
_LOOSE_INTERVAL = re.compile(r"^([-+]?\d+) ?([a-z][a-z-]*)$")
_NAMED_INTERVALS = {
    "monthly": Interval(1, "months"),
    "quarterly": Interval(3, "months"),
    "half-yearly": Interval(6, "months"),
    "yearly": Interval(1, "years"),
    "annually": Interval(1, "years"),
}
INTERVAL_FORMS = "`N days`, `N weeks`, `N months`, `N years`, or " + ", ".join(f"`{name}`" for name in _NAMED_INTERVALS)
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


class InvalidValue(ValueError):
    """A value an author wrote that cannot be read; the message says what would be right."""


def parse_interval(value: object) -> Interval:
    """Read an interval (SPEC §3.4); case and spacing are forgiven, anything else gets a hint."""
    if isinstance(value, str):
        text = " ".join(value.split()).casefold()
        named = _NAMED_INTERVALS.get(text.replace(" ", "-").replace("_", "-"))
        if named:
            return named
        match = _INTERVAL.match(text)
        if match:
            count, unit = int(match.group(1)), match.group(3)
            if count > 0:
                return Interval(count, unit + "s")
            raise InvalidValue(f"`{value}`: the number must be a positive whole number, e.g. `1 {unit}`")
        loose = _LOOSE_INTERVAL.match(text)
        if loose:
            unit = loose.group(2)
            known = difflib.get_close_matches(unit, ["days", "weeks", "months", "years"], n=1, cutoff=0.7)
            hint = f" (did you mean `{loose.group(1)} {known[0]}`?)" if known else ""
            raise InvalidValue(f"`{value}`: unknown unit `{unit}`{hint}; write {INTERVAL_FORMS}")
        if text.lstrip("+-").isdigit():
            raise InvalidValue(f"`{value}` has no unit; write e.g. `{text} months`, or {INTERVAL_FORMS}")
    elif isinstance(value, int) and not isinstance(value, bool):
        raise InvalidValue(f"`{value}` has no unit; write e.g. `{value} months`, or {INTERVAL_FORMS}")
    raise InvalidValue(f"`{value}` is not an interval; write {INTERVAL_FORMS} (N a positive whole number)")


def parse_date(value: object) -> date:
    """Read ``YYYY-MM-DD``. Dates stay strings in our YAML loader, so an impossible date
    (2026-02-30) arrives here and gets a helpful message instead of a PyYAML traceback."""
    if isinstance(value, datetime):  # from a config file's own YAML loader, or `!!timestamp`
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    match = _DATE.match(text)
    if not match:
        raise InvalidValue(f"`{text}` is not a date; write it as YYYY-MM-DD, e.g. 2026-03-31")
    year, month, day = (int(part) for part in match.groups())
    if year < 1:
        raise InvalidValue(f"`{text}` is not a real date: years start at 0001")
    if not 1 <= month <= 12:
        raise InvalidValue(f"`{text}` is not a real date: there is no month {month}")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise InvalidValue(f"`{text}` is not a real date: {calendar.month_name[month]} {year} has {last} days")
    return date(year, month, day)


def add_days(start: date, days: int) -> date:
    """``start + days``, saturating at ``date.min``/``date.max`` instead of raising ``OverflowError``.

    Every date sum in SOP Hub goes through this or ``add_interval``: an author's typo such as
    ``review_by: 0001-01-01`` or ``last_reviewed_on: 9999-12-31`` must never break the build.
    """
    try:
        return start + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


def days_between(start: date, end: date) -> int:
    """Whole days from ``start`` to ``end`` (negative when ``end`` is earlier); never overflows."""
    return end.toordinal() - start.toordinal()


def add_interval(start: date, interval: Interval) -> date:
    """Calendar arithmetic: months and years clamp to the month's last day (31 Jan + 1 month = 28/29 Feb).

    Saturates at ``date.min``/``date.max`` so that a typo such as ``last_reviewed_on: 9999-12-01``
    gives a far-future review date rather than an ``OverflowError``.
    """
    if interval.unit in ("days", "weeks"):
        return add_days(start, interval.count * (7 if interval.unit == "weeks" else 1))
    months = interval.count * (12 if interval.unit == "years" else 1)
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    if year > date.max.year:
        return date.max
    if year < date.min.year:
        return date.min
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


DEFAULT_DUE_SOON = Interval(30, "days")
DEFAULT_PROCEDURE_INTERVAL = Interval(3, "months")
DEFAULT_PROCESS_INTERVAL = Interval(12, "months")
DEFAULT_CHANGES_DAYS = 90


@dataclass(frozen=True, slots=True)
class ReviewSettings:
    """The review rhythm of a hub, from the plugin config (both front doors read the same)."""

    as_of: date
    due_soon: Interval = DEFAULT_DUE_SOON
    procedure_interval: Interval = DEFAULT_PROCEDURE_INTERVAL
    process_interval: Interval = DEFAULT_PROCESS_INTERVAL
    # Document control (SPEC §6, §8): the hub's settings travel together, to the plugin and the CLI alike.
    require_approval: bool = False  # an active document without `approved_by` is an error
    changes_days: int = DEFAULT_CHANGES_DAYS  # how far back the changes page and feed go


def next_review(
    last_reviewed_on: date | None, review_in: Interval | None, review_by: date | None, default: Interval
) -> date | None:
    if review_by is not None:
        return review_by
    if last_reviewed_on is None:
        return None
    return add_interval(last_reviewed_on, review_in or default)


def review_status(next_date: date | None, status: DocStatus, settings: ReviewSettings) -> ReviewStatus:
    """Overdue before as-of; due soon from as-of through as-of + due_soon (both ends included).

    An active document with no readable review date counts as overdue: nothing shows it was ever
    reviewed, and "not required" would hide it from the review dashboard and the CI check.
    """
    if status is not DocStatus.ACTIVE:
        return ReviewStatus.NOT_REQUIRED
    if next_date is None:
        return ReviewStatus.OVERDUE
    if next_date < settings.as_of:
        return ReviewStatus.OVERDUE
    if next_date <= add_interval(settings.as_of, settings.due_soon):
        return ReviewStatus.DUE_SOON
    return ReviewStatus.CURRENT


ENV_AS_OF = "SOP_HUB_AS_OF"


def resolve_as_of(flag: str | None = None, configured: str | date | None = None) -> date:
    """The as-of date, first found: command-line flag, ``SOP_HUB_AS_OF``, the config, today."""
    for source, value in (
        ("--as-of", flag),
        (ENV_AS_OF, os.environ.get(ENV_AS_OF) or None),
        ("sop-hub config `as_of`", configured),
    ):
        if value is not None and value != "":
            try:
                return parse_date(value)
            except InvalidValue as error:
                raise InvalidValue(f"{source}: {error}") from None
    return date.today()


def due_soon_from(next_date: date, due_soon: Interval) -> date:
    """The first as-of date on which ``next_date`` counts as due soon (for the browser re-check).

    Exact for calendar months too: the smallest d with ``add_interval(d, due_soon) >= next_date``.
    Saturates at ``date.min`` (a review date near year 1, or a due-soon window of thousands of years).
    """
    if due_soon.unit in ("days", "weeks"):
        return add_days(next_date, -due_soon.count * (7 if due_soon.unit == "weeks" else 1))
    candidate = add_interval(next_date, Interval(-due_soon.count, due_soon.unit))
    # Clamping to a month's last day moves the sum by at most three days: both loops are short.
    while candidate < date.max and add_interval(candidate, due_soon) < next_date:
        candidate = add_days(candidate, 1)
    while candidate > date.min and add_interval(add_days(candidate, -1), due_soon) >= next_date:
        candidate = add_days(candidate, -1)
    return candidate
