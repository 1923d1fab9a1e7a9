"""The files teams copy: the GitHub workflow and the pre-commit hook must run what they promise."""

from __future__ import annotations

from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]


def test_github_workflow_runs_the_check_on_pull_requests_and_weekly():
    workflow = yaml.safe_load((REPO / "examples/github-workflow.yml").read_text())
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert {"pull_request", "push", "schedule", "workflow_dispatch"} <= set(triggers)
    assert triggers["schedule"][0]["cron"].endswith("* * 1")
    runs = [step.get("run", "") for job in workflow["jobs"].values() for step in job["steps"]]
    assert "sop-hub check --format github" in runs
    assert any("--format junit --output sop-hub-junit.xml" in run for run in runs)


def test_pre_commit_hook_runs_sop_hub_check_once_per_commit():
    (hook,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "sop-hub-check"
    assert hook["entry"] == "sop-hub check" and hook["language"] == "python"
    assert hook["pass_filenames"] is False
    scripts = (REPO / "pyproject.toml").read_text()
    assert 'sop-hub = "sop_hub.cli:main"' in scripts
