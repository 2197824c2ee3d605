"""The GitHub workflows parse and run what the project relies on."""

from __future__ import annotations

import shlex

import yaml

from tests.conftest import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"


def load(name: str) -> dict:
    data = yaml.safe_load((WORKFLOWS / name).read_text())
    # YAML 1.1 reads the key `on` as True.
    data["on"] = data.pop(True, data.get("on"))
    return data


def commands(job: dict) -> str:
    return "\n".join(step.get("run", "") for step in job["steps"])


def test_every_workflow_is_well_formed():
    files = sorted(WORKFLOWS.glob("*.yml"))
    assert {f.name for f in files} == {"ci.yml", "pages.yml"}
    for file in files:
        data = load(file.name)
        assert data["name"] and data["on"] and data["jobs"], file
        for name, job in data["jobs"].items():
            assert job["runs-on"].startswith("ubuntu-"), (file, name)
            for step in job["steps"]:
                assert ("uses" in step) != ("run" in step), (file, name, step)
                if "uses" in step:
                    action, _, version = step["uses"].partition("@")
                    assert action.count("/") == 1 and version.startswith("v"), step["uses"]
                else:
                    shlex.split(step["run"].replace("\n", " ; "))  # quoting is balanced


def test_pull_requests_get_tests_strict_build_and_note_check():
    data = load("ci.yml")
    assert "pull_request" in data["on"]
    job = data["jobs"]["checks"]
    assert job["env"]["ANNOTATE_TORCH_INDEX_URL"] == "https://download.pytorch.org/whl/cpu"
    run = commands(job)
    # The suite runs through .ci/run (a fresh .venv), then the rest uses that same environment.
    assert run.split()[0] == ".ci/run"
    for needed in (
        ".venv/bin/python -m mkdocs build --strict",
        ".venv/bin/python -m annotate check --strict",
    ):
        assert needed in run
    ci = (ROOT / ".ci" / "run").read_text()
    assert "rm -rf .venv" in ci and "unset VIRTUAL_ENV" in ci and "./scripts/test" in ci


def test_main_publishes_the_strict_build_for_its_pages_address():
    data = load("pages.yml")
    assert data["on"]["push"]["branches"] == ["main"]
    assert data["permissions"]["pages"] == "write" and data["permissions"]["id-token"] == "write"
    build, deploy = data["jobs"]["build"], data["jobs"]["deploy"]
    assert "mkdocs build --strict --site-dir site" in commands(build)
    (configure,) = [
        s for s in build["steps"] if s.get("uses", "").startswith("actions/configure-pages")
    ]
    (building,) = [s for s in build["steps"] if "mkdocs build" in s.get("run", "")]
    steps = build["steps"]
    assert steps.index(configure) < steps.index(building)
    # configure-pages' base_url has no trailing slash; the site URL gets one.
    assert building["env"]["ANNOTATE_SITE_URL"] == (
        "${{ steps." + configure["id"] + ".outputs.base_url }}/"
    )
    uploads = [
        s for s in build["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact")
    ]
    assert uploads and uploads[0]["with"]["path"] == "site"
    assert deploy["needs"] == "build"
    assert any(s.get("uses", "").startswith("actions/deploy-pages") for s in deploy["steps"])
    assert any(s.get("with", {}).get("cache") == "pip" for s in build["steps"])


def test_pre_commit_runs_ruff_and_the_note_check():
    hooks = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())["repos"][0]["hooks"]
    entries = {hook["entry"] for hook in hooks}
    assert {"ruff check --fix", "annotate check"} <= entries
