"""The GitHub workflow deploys on main and on tags, and a tag publishes a release with the site
archives and their checksums. (The workflow itself only runs on GitHub; this checks its shape and
that every command it calls exists here.)"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = yaml.safe_load((ROOT / ".github" / "workflows" / "ci.yml").read_text())
# PyYAML reads the bare key `on` as True
TRIGGERS = WORKFLOW.get("on", WORKFLOW.get(True))


def _runs(job: str) -> str:
    return "\n".join(step.get("run", "") for step in WORKFLOW["jobs"][job]["steps"])


def test_pushes_to_main_and_version_tags_trigger_the_workflow():
    assert TRIGGERS["push"]["branches"] == ["main"]
    assert TRIGGERS["push"]["tags"] == ["v*"]


def test_deploy_runs_for_main_and_for_tags_after_the_tests():
    deploy = WORKFLOW["jobs"]["deploy"]
    assert "refs/heads/main" in deploy["if"] and "refs/tags/v" in deploy["if"]
    assert WORKFLOW["jobs"]["build"]["needs"] == "test"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}


def test_a_tag_publishes_archives_with_checksums():
    release = WORKFLOW["jobs"]["release"]
    assert release["needs"] == "build" and "refs/tags/v" in release["if"]
    assert release["permissions"] == {"contents": "write"}
    build = _runs("build")
    assert "tar -czf" in build and "zip -qr" in build and "sha256sum" in build
    assert "sha256sum --check SHA256SUMS" in _runs("release")
    assert "gh release create" in _runs("release")


def test_every_make_target_the_workflow_calls_exists():
    makefile = (ROOT / "Makefile").read_text()
    targets = set(re.findall(r"^([a-z][a-z-]*):", makefile, flags=re.MULTILINE))
    called = set()
    for job in WORKFLOW["jobs"]:
        called |= set(re.findall(r"\bmake ([a-z][a-z-]*)", _runs(job)))
    assert called, "the workflow calls no make target"
    assert called <= targets, f"missing Makefile targets: {sorted(called - targets)}"
