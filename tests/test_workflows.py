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


def test_main_publishes_a_strict_guide_per_release_line_for_its_pages_address():
    data = load("pages.yml")
    assert data["on"]["push"]["branches"] == ["main"]
    assert data["permissions"]["pages"] == "write" and data["permissions"]["id-token"] == "write"
    # Nothing is pushed: the pages are the branch's files, uploaded.
    assert data["permissions"]["contents"] == "read"
    build, deploy = data["jobs"]["build"], data["jobs"]["deploy"]
    run = commands(build)
    assert "./scripts/setup --publish" in run  # mike
    # .venv is made from the Python set up for the job, whatever else is on PATH.
    (python,) = [s for s in build["steps"] if s.get("uses", "").startswith("actions/setup-python")]
    (installing,) = [s for s in build["steps"] if "./scripts/setup" in s.get("run", "")]
    assert python["with"]["python-version"] == "3.11"
    assert installing["env"]["PYTHON"] == "${{ steps." + python["id"] + ".outputs.python-path }}"
    (configure,) = [
        s for s in build["steps"] if s.get("uses", "").startswith("actions/configure-pages")
    ]
    (building,) = [s for s in build["steps"] if "scripts/publish.py" in s.get("run", "")]
    # Every release line, its files fetched where the cache of release files lacks them.
    argv = shlex.split(building["run"])
    assert argv[1:] == ["scripts/publish.py", "--fetch", ".cache/torch-releases"]
    (cached,) = [
        s
        for s in build["steps"]
        if s.get("uses", "").startswith("actions/cache") and s["with"]["path"] == argv[-1]
    ]
    assert "hashFiles('annotate/history/releases.json')" in cached["with"]["key"]
    # The CPU wheels: PyPI's are CUDA builds of several GB, for the same five files.
    assert building["env"]["PIP_INDEX_URL"] == "https://download.pytorch.org/whl/cpu"
    assert {"GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"} <= set(building["env"])
    steps = build["steps"]
    assert steps.index(cached) < steps.index(building)
    assert steps.index(configure) < steps.index(building)
    # configure-pages' base_url has no trailing slash; the site URL gets one.
    assert building["env"]["ANNOTATE_SITE_URL"] == (
        "${{ steps." + configure["id"] + ".outputs.base_url }}/"
    )
    # mike builds with mkdocs.yml, strict there.
    assert yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=_Tags)["strict"] is True
    (unpack,) = [s for s in steps if "git archive gh-pages" in s.get("run", "")]
    uploads = [s for s in steps if s.get("uses", "").startswith("actions/upload-pages-artifact")]
    assert uploads and uploads[0]["with"]["path"] == "site"
    assert steps.index(building) < steps.index(unpack) < steps.index(uploads[0])
    assert "tar -x -C site" in unpack["run"]
    assert deploy["needs"] == "build"
    assert any(s.get("uses", "").startswith("actions/deploy-pages") for s in deploy["steps"])


class _Tags(yaml.SafeLoader):
    """Reads `!ENV [NAME, default]` as its default."""


_Tags.add_constructor("!ENV", lambda loader, node: loader.construct_sequence(node)[-1])
