"""The GitHub workflows, checked offline: schema, security audit, and what they run."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from support import REPO

from generator.build import site

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    path = shutil.which(name, path=str(BIN))
    assert path, f"{name} is not installed in {BIN} (pip install -e '.[test]')"
    return path


def steps(workflow: Path) -> list[dict]:
    data = yaml.safe_load(workflow.read_text(encoding="utf-8"))
    return [step for job in data["jobs"].values() for step in job.get("steps", [])]


def test_there_are_publish_fetch_and_newest_versions_workflows():
    assert [w.name for w in WORKFLOWS] == ["fetch.yml", "newest.yml", "publish.yml"]


def test_workflows_match_githubs_schema():
    result = subprocess.run(
        [tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", *map(str, WORKFLOWS)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_zizmor_finds_nothing_offline():
    result = subprocess.run(
        [tool("zizmor"), "--offline", str(REPO / ".github" / "workflows")], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda w: w.name)
def test_every_action_is_pinned_to_a_commit(workflow: Path):
    for step in steps(workflow):
        if "uses" in step:
            assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", step["uses"]), step["uses"]


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda w: w.name)
def test_workflows_run_only_make_targets_the_readme_names(workflow: Path):
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    runs = [step["run"] for step in steps(workflow) if "run" in step]
    assert runs
    for command in runs:
        target = re.fullmatch(r"make ([\w-]+)(?: .*)?", command.strip())
        assert target, f"{workflow.name} runs {command!r}: workflows run make targets, so the tests cover them"
        assert re.search(rf"^{target[1]}:", makefile, re.MULTILINE), f"no Makefile target {target[1]}"
        assert f"make {target[1]}" in readme, f"README does not name make {target[1]}"


def assert_publish_keeps_the_last_build(workflow: Path, built: str) -> str:
    """The Publish workflow restores the newest cache/ and `built` (the folder it deploys) before
    the build and saves them after, under a key of its own for each run (a cache entry never changes).
    The build's command, to check it builds into `built`."""
    listed = steps(workflow)
    (cache,) = [step for step in listed if step.get("uses", "").startswith("actions/cache@")]
    (build,) = [step for step in listed if step.get("name") == "Build"]
    (upload,) = [step for step in listed if step.get("uses", "").startswith("actions/upload-pages-artifact@")]
    assert listed.index(cache) < listed.index(build)
    assert set(cache["with"]["path"].split()) == {"cache", built} and upload["with"]["path"] == built
    assert "github.run_id" in cache["with"]["key"]
    assert cache["with"]["key"].startswith(cache["with"]["restore-keys"])
    return build["run"]


def test_publish_builds_on_the_last_builds_cache_and_site():
    command = assert_publish_keeps_the_last_build(REPO / ".github" / "workflows" / "publish.yml", "public")
    assert command == "make publish"
    recipe = (REPO / "Makefile").read_text(encoding="utf-8").split("\npublish:", 1)[1].split("\n\n")[0]
    assert "--output public" in recipe and "--settings publishconf.py" in recipe
    # Pelican's DELETE_OUTPUT_DIRECTORY would throw the restored site away before the build.
    assert not site.load_settings(REPO, REPO / "publishconf.py")["DELETE_OUTPUT_DIRECTORY"]
