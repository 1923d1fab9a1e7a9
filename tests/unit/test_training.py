"""The training matrix (SPEC §9): statements joined with the current catalog."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from tests.lrs import statements as xapi

from sop_hub.core.training import (
    FOREIGN,
    MALFORMED,
    UNKNOWN,
    DocumentItem,
    QuizItem,
    TrackItem,
    TrainingCatalog,
    training_matrix,
)

SITE = xapi.SITE
AS_OF = date(2026, 6, 15)
PAGE = "complaints/intake/"


def catalog(site: str = SITE) -> TrainingCatalog:
    return TrainingCatalog(
        site,
        quizzes={
            "intake": QuizItem("intake", "Complaint intake", "q-rev-2", {PAGE: "p-rev-2", "other/page/": "o-rev"}),
            "safety": QuizItem("safety", "Site safety", "s-rev", {}),
        },
        documents={
            "SOP-1": DocumentItem("SOP-1", "Intake", "d-rev-2", PAGE, expected=True),
            "SOP-2": DocumentItem("SOP-2", "Unasked", "e-rev", "x/"),
        },
        tracks={"starter": TrackItem("starter", "New starter", ("intake", "safety"), ("SOP-1",))},
    )


def passed(quiz_id: str = "intake", **options: Any) -> dict[str, Any]:
    values: dict[str, Any] = {"raw": 4, "max_": 5, "quiz_revision": "q-rev-2", "page": PAGE, "page_revision": "p-rev-2"}
    values.update(options)
    return xapi.quiz(
        values.pop("name", "Jane Doe"), values.pop("email", "jane@example.com"), quiz_id, passed=True, **values
    )


def failed(quiz_id: str = "intake", **options: Any) -> dict[str, Any]:
    return {**passed(quiz_id, **options), "verb": {"id": xapi.FAILED}}


def ack(doc_id: str = "SOP-1", **options: Any) -> dict[str, Any]:
    values: dict[str, Any] = {"revision": "d-rev-2", "page": PAGE}
    values.update(options)
    return xapi.acknowledgement(
        values.pop("name", "Jane Doe"), values.pop("email", "jane@example.com"), doc_id, **values
    )


def status(statements: list[Any], kind: str = "quiz", item: str = "intake", the_catalog: TrainingCatalog | None = None):  # type: ignore[no-untyped-def]
    matrix = training_matrix(statements, the_catalog or catalog(), AS_OF)
    assert len(matrix.learners) == 1
    found = matrix.learners[0].item(kind, item)
    assert found is not None
    return found


def test_a_pass_on_the_current_revisions_is_passed_with_its_date_score_and_revision() -> None:
    item = status([passed(when="2026-06-03T23:30:00-05:00")])
    assert (item.status, item.date, item.score, item.revision) == ("passed", date(2026, 6, 3), 80, "q-rev-2")


def test_a_pass_on_an_older_quiz_or_page_revision_needs_a_refresh() -> None:
    assert status([passed(quiz_revision="q-rev-1")]).status == "refresh-needed"
    assert status([passed(page_revision="p-rev-1")]).status == "refresh-needed"
    # the page it was taken on no longer embeds the quiz: only the quiz's revision counts (as quiz.js)
    assert status([passed(page="gone/", page_revision="whatever")]).status == "passed"
    # a pass without the revision extension cannot be shown to be current
    statement = passed()
    del statement["context"]["extensions"]
    assert status([statement]).status == "refresh-needed"


def test_a_new_pass_after_a_change_is_passed_again_and_the_latest_current_pass_is_shown() -> None:
    old = passed(quiz_revision="q-rev-1", when="2026-05-01T10:00:00Z")
    new = passed(when="2026-06-02T10:00:00Z", raw=5)
    newer_failure = failed(when="2026-06-05T10:00:00Z", raw=1)
    item = status([newer_failure, new, old])  # the order the LRS returns them in does not matter
    assert (item.status, item.date, item.score) == ("passed", date(2026, 6, 2), 100)


def test_only_failures_are_failed_with_the_best_score() -> None:
    item = status([failed(raw=1, when="2026-06-01T10:00:00Z"), failed(raw=3, when="2026-06-02T10:00:00Z")])
    assert (item.status, item.score, item.date) == ("failed", 60, date(2026, 6, 2))


def test_nothing_is_not_started() -> None:
    item = status([passed()], item="safety")
    assert (item.status, item.date, item.score, item.revision) == ("not-started", None, None, None)


def test_acknowledgements_follow_the_document_revision() -> None:
    item = status([ack()], kind="document", item="SOP-1")
    assert (item.status, item.revision) == ("acknowledged", "d-rev-2")
    assert status([ack(revision="d-rev-1")], kind="document", item="SOP-1").status == "refresh-needed"
    assert status([passed()], kind="document", item="SOP-1").status == "not-started"


def test_tracks_count_passed_quizzes_and_current_acknowledgements() -> None:
    matrix = training_matrix([passed(when="2026-06-01T10:00:00Z"), ack(revision="d-rev-1")], catalog(), AS_OF)
    track = matrix.learners[0].tracks[0]
    assert (track.id, track.done, track.total, track.complete, track.date) == ("starter", 1, 3, False, None)
    everything = [
        passed(when="2026-06-01T10:00:00Z"),
        passed("safety", quiz_revision="s-rev", when="2026-06-04T10:00:00Z"),
        ack(when="2026-06-02T10:00:00Z"),
    ]
    track = training_matrix(everything, catalog(), AS_OF).learners[0].tracks[0]
    assert (track.done, track.total, track.complete, track.date) == (3, 3, True, date(2026, 6, 4))


def test_learners_are_their_mbox_named_by_their_latest_statement_and_sorted() -> None:
    statements = [
        passed(name="Zoe Old", email="Zoe@Example.com", when="2026-06-01T10:00:00Z"),
        passed(name="Zoe Adams", email="zoe@example.com", when="2026-06-02T10:00:00Z"),
        passed(name="Bob", email="bob@example.com"),
    ]
    matrix = training_matrix(statements, catalog(), AS_OF)
    assert [(learner.name, learner.email) for learner in matrix.learners] == [
        ("Bob", "bob@example.com"),
        ("Zoe Adams", "zoe@example.com"),
    ]


def test_columns_are_every_quiz_and_the_documents_asked_for_or_acknowledged() -> None:
    assert training_matrix([passed()], catalog(), AS_OF).columns == [
        ("quiz", "intake"),
        ("quiz", "safety"),
        ("document", "SOP-1"),
    ]
    with_unasked = training_matrix([passed(), ack("SOP-2", revision="e-rev")], catalog(), AS_OF)
    assert ("document", "SOP-2") in with_unasked.columns
    assert with_unasked.learners[0].item("document", "SOP-2").status == "acknowledged"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("statement", "reason"),
    [
        ("not a statement", MALFORMED),
        ({"verb": {"id": xapi.PASSED}}, MALFORMED),
        ({"verb": {"id": xapi.PASSED}, "object": {"id": "http://elsewhere.example/course/1"}}, FOREIGN),
        (
            {
                **xapi.quiz(
                    "A", "a@x.org", "intake", passed=True, raw=1, max_=1, quiz_revision="", page="", page_revision=""
                )
            }
            | {"verb": {"id": "http://adlnet.gov/expapi/verbs/attempted"}},
            FOREIGN,
        ),
        (
            xapi.quiz(
                "A",
                "a@x.org",
                "intake",
                passed=True,
                raw=1,
                max_=1,
                quiz_revision="",
                page="",
                page_revision="",
                site="http://another-hub.example/",
            ),
            FOREIGN,
        ),
        ({**ack(), "verb": {"id": xapi.PASSED}}, FOREIGN),  # a document "passed": not something the hub sends
        (passed("deleted-quiz"), UNKNOWN),
        (ack("SOP-GONE"), UNKNOWN),
        ({**passed(), "actor": {"name": "No mbox", "account": {"name": "x", "homePage": "http://x"}}}, MALFORMED),
        ({**passed(), "actor": "Jane"}, MALFORMED),
        ({**passed(), "timestamp": "yesterday"}, MALFORMED),
    ],
)
def test_statements_that_are_not_the_hubs_are_counted_and_never_fatal(statement: Any, reason: str) -> None:
    matrix = training_matrix([statement, passed("safety", quiz_revision="s-rev")], catalog(), AS_OF)
    assert matrix.ignored == {reason: 1}
    assert matrix.note() == f"1 of 2 statements ignored (1 {reason})"
    assert matrix.learners[0].item("quiz", "safety").status == "passed"  # type: ignore[union-attr]


@pytest.mark.parametrize("score", [{"scaled": "high"}, {"scaled": True}, {"raw": 3, "max": 0}, "90", {"scaled": 7}])
def test_a_garbage_score_is_no_score_or_clamped(score: Any) -> None:
    statement = failed()
    statement["result"]["score"] = score
    assert status([statement]).score in (None, 100)


def test_the_same_statement_twice_counts_once_and_no_statements_is_no_learners() -> None:
    first = failed(raw=1)
    matrix = training_matrix([first, dict(first)], catalog(), AS_OF)
    assert matrix.learners[0].item("quiz", "intake").score == 20  # type: ignore[union-attr]
    assert matrix.note() is None
    assert training_matrix([], catalog(), AS_OF).learners == []


def test_without_a_site_url_any_host_counts_and_parent_pages_are_matched_on_it() -> None:
    statement = passed(site="https://hub.intranet.example/sops/", page_revision="p-rev-1")
    assert status([statement], the_catalog=catalog(site="")).status == "refresh-needed"  # its page changed
