"""Intervals, month arithmetic, review status and the as-of date (SPEC §3.4, §3.5, §6)."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

import pytest

from sop_hub.core.model import DocStatus, Interval, ReviewStatus
from sop_hub.core.review import (
    InvalidValue,
    ReviewSettings,
    add_days,
    add_interval,
    days_between,
    due_soon_from,
    next_review,
    parse_date,
    parse_interval,
    resolve_as_of,
    review_status,
)

AS_OF = date(2026, 6, 15)
SETTINGS = ReviewSettings(as_of=AS_OF)
QUARTER = Interval(3, "months")
YEAR = Interval(12, "months")


# -- intervals -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 day", Interval(1, "days")),
        ("2 days", Interval(2, "days")),
        ("1 week", Interval(1, "weeks")),
        ("6 weeks", Interval(6, "weeks")),
        ("1 month", Interval(1, "months")),
        ("3 months", Interval(3, "months")),
        ("1 year", Interval(1, "years")),
        ("2 years", Interval(2, "years")),
        ("monthly", Interval(1, "months")),
        ("quarterly", Interval(3, "months")),
        ("half-yearly", Interval(6, "months")),
        ("yearly", Interval(1, "years")),
        ("annually", Interval(1, "years")),
    ],
)
def test_every_interval_form_is_read(text: str, expected: Interval) -> None:
    assert parse_interval(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3 Months", Interval(3, "months")),
        ("  3   months  ", Interval(3, "months")),
        ("3months", Interval(3, "months")),
        ("QUARTERLY", Interval(3, "months")),
        (" Yearly ", Interval(1, "years")),
        ("Half Yearly", Interval(6, "months")),
        ("1 Days", Interval(1, "days")),
    ],
)
def test_intervals_forgive_case_and_spacing(text: str, expected: Interval) -> None:
    assert parse_interval(text) == expected


@pytest.mark.parametrize("text", ["0 days", "0 months", "-1 month", "-3 weeks"])
def test_zero_or_negative_interval_asks_for_a_positive_number(text: str) -> None:
    with pytest.raises(InvalidValue, match="positive whole number"):
        parse_interval(text)


def test_misspelt_unit_suggests_the_right_one() -> None:
    with pytest.raises(InvalidValue) as error:
        parse_interval("3 monthz")
    assert "did you mean `3 months`?" in str(error.value)
    assert "`quarterly`" in str(error.value)  # and lists the forms that work


@pytest.mark.parametrize("value", [3, "3"])
def test_interval_without_unit_suggests_months(value: object) -> None:
    with pytest.raises(InvalidValue) as error:
        parse_interval(value)
    assert "has no unit; write e.g. `3 months`" in str(error.value)


@pytest.mark.parametrize("value", ["1.5 months", "every month", "", None, True, ["3 months"], "3 months 2 days"])
def test_other_interval_garbage_lists_the_valid_forms(value: object) -> None:
    with pytest.raises(InvalidValue, match="`N months`"):
        parse_interval(value)


def test_interval_prints_as_written_in_front_matter() -> None:
    assert str(Interval(1, "months")) == "1 month"
    assert str(Interval(3, "months")) == "3 months"


# -- dates -----------------------------------------------------------------------------------------


def test_dates_are_read_from_text_and_date_objects() -> None:
    assert parse_date("2026-03-31") == date(2026, 3, 31)
    assert parse_date(" 2026-03-31 ") == date(2026, 3, 31)
    assert parse_date(date(2026, 3, 31)) == date(2026, 3, 31)
    assert parse_date(datetime(2026, 3, 31, 10, 30)) == date(2026, 3, 31)
    assert type(parse_date(datetime(2026, 3, 31, 10, 30))) is date


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("2026-02-30", "February 2026 has 28 days"),
        ("2024-02-30", "February 2024 has 29 days"),
        ("2026-04-31", "April 2026 has 30 days"),
        ("2026-13-01", "there is no month 13"),
        ("2026-00-10", "there is no month 0"),
        ("2026-01-00", "January 2026 has 31 days"),
        ("0000-01-01", "years start at 0001"),
        ("31/01/2026", "YYYY-MM-DD"),
        ("2026-1-5", "YYYY-MM-DD"),
        ("January 2026", "YYYY-MM-DD"),
        ("20260131", "YYYY-MM-DD"),
    ],
)
def test_impossible_or_misformatted_dates_say_what_is_wrong(text: str, hint: str) -> None:
    with pytest.raises(InvalidValue, match=hint):
        parse_date(text)


# -- month arithmetic ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "interval", "expected"),
    [
        (date(2026, 1, 31), Interval(1, "months"), date(2026, 2, 28)),
        (date(2028, 1, 31), Interval(1, "months"), date(2028, 2, 29)),
        (date(2026, 3, 31), Interval(1, "months"), date(2026, 4, 30)),
        (date(2026, 1, 30), Interval(1, "months"), date(2026, 2, 28)),
        (date(2026, 1, 15), Interval(1, "months"), date(2026, 2, 15)),
        (date(2026, 11, 30), Interval(3, "months"), date(2027, 2, 28)),
        (date(2026, 12, 31), Interval(1, "months"), date(2027, 1, 31)),
        (date(2026, 8, 31), Interval(6, "months"), date(2027, 2, 28)),
        (date(2028, 2, 29), Interval(1, "years"), date(2029, 2, 28)),
        (date(2028, 2, 29), Interval(4, "years"), date(2032, 2, 29)),
        (date(2028, 2, 29), Interval(12, "months"), date(2029, 2, 28)),
        (date(2026, 1, 1), Interval(1, "days"), date(2026, 1, 2)),
        (date(2026, 12, 31), Interval(1, "days"), date(2027, 1, 1)),
        (date(2026, 2, 26), Interval(2, "weeks"), date(2026, 3, 12)),
    ],
)
def test_add_interval_uses_calendar_months_and_clamps_to_month_end(
    start: date, interval: Interval, expected: date
) -> None:
    assert add_interval(start, interval) == expected


def test_add_interval_saturates_instead_of_overflowing() -> None:
    assert add_interval(date(9999, 12, 1), Interval(1, "years")) == date.max
    assert add_interval(date(9999, 12, 30), Interval(5, "days")) == date.max
    assert add_interval(date(2026, 1, 1), Interval(9999, "years")) == date.max
    assert add_interval(date(2026, 1, 1), Interval(10**30, "weeks")) == date.max
    assert add_interval(date(1, 3, 1), Interval(-3, "months")) == date.min
    assert add_interval(date(1, 1, 5), Interval(-1, "weeks")) == date.min


def test_add_days_saturates_at_both_ends() -> None:
    assert add_days(date.max, 1) == date.max
    assert add_days(date.min, -1) == date.min
    assert add_days(date(2026, 1, 1), 10**20) == date.max
    assert add_days(date(2026, 1, 1), -(10**20)) == date.min
    assert add_days(date(2026, 1, 30), 3) == date(2026, 2, 2)


def test_days_between_spans_the_whole_calendar() -> None:
    assert days_between(date.min, date.max) == 3_652_058
    assert days_between(date.max, date.min) == -3_652_058
    assert days_between(date(2026, 2, 27), date(2026, 3, 1)) == 2


@pytest.mark.parametrize(
    "interval",
    [Interval(30, "days"), Interval(9999, "years"), Interval(999_999, "days"), Interval(9999, "months"),
     Interval(1, "months"), Interval(10**12, "weeks")],
    ids=str,
)  # fmt: skip
@pytest.mark.parametrize("next_date", [date.min, date(1, 1, 31), date(9999, 12, 31), date(2026, 6, 20)], ids=str)
def test_due_soon_from_and_review_status_never_overflow(next_date: date, interval: Interval) -> None:
    first = due_soon_from(next_date, interval)
    assert add_interval(first, interval) >= next_date
    if first > date.min:
        assert add_interval(add_days(first, -1), interval) < next_date
    for as_of in (date.min, date.max, AS_OF):
        review_status(next_date, DocStatus.ACTIVE, ReviewSettings(as_of=as_of, due_soon=interval))


# -- next review and status ------------------------------------------------------------------------


def test_next_review_is_last_review_plus_interval() -> None:
    assert next_review(date(2026, 1, 31), QUARTER, None, YEAR) == date(2026, 4, 30)


def test_review_by_overrides_last_review_plus_interval() -> None:
    assert next_review(date(2026, 1, 1), QUARTER, date(2030, 1, 1), YEAR) == date(2030, 1, 1)
    assert next_review(None, None, date(2030, 1, 1), YEAR) == date(2030, 1, 1)


def test_review_in_overrides_the_default_interval() -> None:
    assert next_review(date(2026, 1, 1), Interval(1, "months"), None, YEAR) == date(2026, 2, 1)
    assert next_review(date(2026, 1, 1), None, None, YEAR) == date(2027, 1, 1)


def test_no_last_review_means_no_next_review() -> None:
    assert next_review(None, QUARTER, None, YEAR) is None


@pytest.mark.parametrize(
    ("next_date", "expected"),
    [
        (AS_OF - timedelta(days=365), ReviewStatus.OVERDUE),
        (AS_OF - timedelta(days=1), ReviewStatus.OVERDUE),
        (AS_OF, ReviewStatus.DUE_SOON),
        (AS_OF + timedelta(days=1), ReviewStatus.DUE_SOON),
        (AS_OF + timedelta(days=30), ReviewStatus.DUE_SOON),
        (AS_OF + timedelta(days=31), ReviewStatus.CURRENT),
        (AS_OF + timedelta(days=400), ReviewStatus.CURRENT),
    ],
)
def test_review_status_boundaries(next_date: date, expected: ReviewStatus) -> None:
    assert review_status(next_date, DocStatus.ACTIVE, SETTINGS) is expected


@pytest.mark.parametrize("status", [DocStatus.DRAFT, DocStatus.RETIRED])
def test_drafts_and_retired_documents_need_no_review(status: DocStatus) -> None:
    assert review_status(AS_OF - timedelta(days=500), status, SETTINGS) is ReviewStatus.NOT_REQUIRED


def test_due_soon_window_follows_the_configured_interval() -> None:
    settings = ReviewSettings(as_of=date(2026, 1, 31), due_soon=Interval(1, "months"))
    assert review_status(date(2026, 2, 28), DocStatus.ACTIVE, settings) is ReviewStatus.DUE_SOON
    assert review_status(date(2026, 3, 1), DocStatus.ACTIVE, settings) is ReviewStatus.CURRENT


def test_default_review_rhythm_is_quarterly_for_procedures_and_yearly_for_processes() -> None:
    assert SETTINGS.procedure_interval == Interval(3, "months")
    assert SETTINGS.process_interval == Interval(12, "months")
    assert SETTINGS.due_soon == Interval(30, "days")


# -- as-of -----------------------------------------------------------------------------------------


def test_as_of_flag_wins_over_environment_and_config(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOP_HUB_AS_OF", "2026-02-02")
    assert resolve_as_of("2026-01-01", "2026-03-03") == date(2026, 1, 1)


def test_environment_wins_over_config(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOP_HUB_AS_OF", "2026-02-02")
    assert resolve_as_of(None, "2026-03-03") == date(2026, 2, 2)


def test_config_as_of_is_used_when_nothing_else_is_set() -> None:
    assert resolve_as_of(None, "2026-03-03") == date(2026, 3, 3)
    assert resolve_as_of(None, date(2026, 3, 3)) == date(2026, 3, 3)


def test_as_of_defaults_to_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOP_HUB_AS_OF", "")
    assert resolve_as_of(None, None) == date.today()
    assert resolve_as_of("", "") == date.today()


@pytest.mark.parametrize(
    ("flag", "env", "config", "source"),
    [
        ("2026-02-30", None, None, "--as-of"),
        (None, "tomorrow", None, "SOP_HUB_AS_OF"),
        (None, None, "15/06/2026", "config `as_of`"),
    ],
)
def test_invalid_as_of_names_where_it_came_from(
    monkeypatch: pytest.MonkeyPatch, flag: str | None, env: str | None, config: str | None, source: str
) -> None:
    if env is not None:
        monkeypatch.setenv("SOP_HUB_AS_OF", env)
    with pytest.raises(InvalidValue) as error:
        resolve_as_of(flag, config)
    assert source in str(error.value)
    assert "YYYY-MM-DD" in str(error.value) or "has 28 days" in str(error.value)


# -- due_soon_from: the browser's re-check must agree with review_status ---------------------------


def _dates(count: int) -> list[date]:
    rng = random.Random(20260615)
    start = date(2023, 1, 1)
    month_ends = [date(2024, m, 1) - timedelta(days=1) for m in range(2, 13)]
    spread = [start + timedelta(days=rng.randrange(0, 4 * 366)) for _ in range(count)]
    return [*month_ends, date(2024, 2, 29), date(2025, 3, 1), *spread]


@pytest.mark.parametrize(
    "interval",
    [
        Interval(30, "days"),
        Interval(1, "days"),
        Interval(2, "weeks"),
        Interval(1, "months"),
        Interval(3, "months"),
        Interval(1, "years"),
    ],
    ids=str,
)
def test_due_soon_from_is_the_first_day_the_review_counts_as_due_soon(interval: Interval) -> None:
    for next_date in _dates(400):
        first = due_soon_from(next_date, interval)
        assert add_interval(first, interval) >= next_date, next_date
        assert add_interval(first - timedelta(days=1), interval) < next_date, next_date
        settings = ReviewSettings(as_of=first, due_soon=interval)
        assert review_status(next_date, DocStatus.ACTIVE, settings) is ReviewStatus.DUE_SOON
        before = ReviewSettings(as_of=first - timedelta(days=1), due_soon=interval)
        assert review_status(next_date, DocStatus.ACTIVE, before) is ReviewStatus.CURRENT


def test_active_document_without_a_readable_review_date_is_overdue_not_hidden():
    assert review_status(None, DocStatus.ACTIVE, SETTINGS) is ReviewStatus.OVERDUE
    assert review_status(None, DocStatus.DRAFT, SETTINGS) is ReviewStatus.NOT_REQUIRED
