"""`newsdigest init`: a new site folder with only what a site needs, and workflows that pass their checks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml
from click.testing import CliRunner
from support import parse_html
from test_workflows import assert_publish_keeps_the_last_build, tool

from generator.build import site
from generator.cli import cli
from generator.feeds.config import read_opml

OPML = """<?xml version="1.0"?><opml version="2.0"><head><title>Mine</title></head><body>
<outline text="Tech"><outline type="rss" text="Quay Tech" xmlUrl="https://quay.example/feed.xml" category="Technology"/>
</outline></body></opml>"""


def init(*args: str) -> object:
    return CliRunner().invoke(cli, ["init", *args])


def test_init_writes_only_what_a_site_needs_and_says_what_to_do_next(tmp_path: Path):
    folder = tmp_path / "harbour"
    result = init(
        str(folder),
        "--name",
        "Harbour Daily",
        "--url",
        "https://harbour.example/",
        "--feed",
        "https://a.example/feed.xml",
    )
    assert result.exit_code == 0, result.output
    files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    assert files == [".gitignore", "content/.gitkeep", "pelicanconf.py", "publishconf.py", "requirements.txt"]
    assert "Next:\n" in result.output and "newsdigest fetch" in result.output and "newsdigest build" in result.output
    requirement = (folder / "requirements.txt").read_text(encoding="utf-8").splitlines()[-1]
    assert requirement.startswith("newsdigest==")
    settings = site.load_settings(folder)
    assert settings["SITENAME"] == "Harbour Daily"
    assert settings["NEWSDIGEST_FEEDS"] == [{"url": "https://a.example/feed.xml"}]
    assert Path(settings["THEME"]) == Path(site.__file__).parents[1] / "theme"  # the installed theme
    live = site.load_settings(folder, folder / "publishconf.py")
    assert live["SITEURL"] == "https://harbour.example" and live["RELATIVE_URLS"] is False
    assert not live["DELETE_OUTPUT_DIRECTORY"]  # the Publish workflow builds on its last site


def test_an_empty_new_site_builds_a_front_page_saying_how_to_add_news(tmp_path: Path):
    folder = tmp_path / "empty"
    assert init(str(folder), "--name", "Quiet Times").exit_code == 0
    report = site.build(site.load_settings(folder))
    assert report.errors == []
    front = parse_html(folder / "output" / "index.html")
    assert front.find("h1").get_text() == "No stories yet"
    assert "NEWSDIGEST_FEEDS" in front.find("main").get_text() and "newsdigest fetch" in front.find("main").get_text()
    assert front.select_one(".site-name").get_text(strip=True) == "Quiet Times"


def test_a_template_in_the_sites_templates_folder_overrides_the_themes(tmp_path: Path):
    folder = tmp_path / "own"
    assert init(str(folder), "--name", "Own Look").exit_code == 0
    (folder / "templates").mkdir()
    (folder / "templates" / "front.html").write_text(
        '{% extends "base.html" %}{% block content %}<h1>Our own front page</h1>{% endblock %}', encoding="utf-8"
    )
    # From another folder, as `newsdigest --site own build` runs it.
    done = subprocess.run(
        [sys.executable, "-m", "generator", "--site", str(folder), "build"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert parse_html(folder / "output" / "index.html").find("h1").get_text() == "Our own front page"


def test_init_refuses_a_folder_that_is_not_empty_unless_forced_and_imports_opml(tmp_path: Path):
    folder = tmp_path / "busy"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    refused = init(str(folder))
    assert refused.exit_code == 1 and "not empty; pick a new folder, or pass --force" in refused.output
    assert not (folder / "pelicanconf.py").exists()
    opml = tmp_path / "subscriptions.opml"
    opml.write_text(OPML, encoding="utf-8")
    forced = init(str(folder), "--force", "--opml", str(opml))
    assert forced.exit_code == 0, forced.output
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "mine"
    (config,) = read_opml(folder / "feeds.opml")
    assert (config.url, config.name, config.category) == ("https://quay.example/feed.xml", "Quay Tech", "Technology")


def test_the_github_workflows_pass_their_checks_and_run_no_test_suite(tmp_path: Path):
    folder = tmp_path / "gh"
    assert init(str(folder), "--github").exit_code == 0
    workflows = sorted((folder / ".github" / "workflows").glob("*.yml"))
    assert [w.name for w in workflows] == ["fetch.yml", "publish.yml"]
    schema = subprocess.run(
        [tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", *map(str, workflows)],
        capture_output=True,
        text=True,
    )
    assert schema.returncode == 0, schema.stdout + schema.stderr
    audit = subprocess.run(
        [tool("zizmor"), "--offline", str(folder / ".github" / "workflows")], capture_output=True, text=True
    )
    assert audit.returncode == 0 and "No findings to report" in audit.stdout, audit.stdout + audit.stderr
    for workflow in workflows:
        data = yaml.safe_load(workflow.read_text(encoding="utf-8"))
        runs = [step.get("run", "") for job in data["jobs"].values() for step in job.get("steps", [])]
        assert not [run for run in runs if "make" in run.split() or "pytest" in run], runs
        assert any("pip install -r requirements.txt" in run for run in runs), runs
        for job in data["jobs"].values():  # a called workflow is the site's own (GitHub's "$/" self-repository form)
            assert job.get("uses", "$/.github/workflows/publish.yml") == "$/.github/workflows/publish.yml"
    command = assert_publish_keeps_the_last_build(folder / ".github" / "workflows" / "publish.yml", "public")
    assert command.endswith("--output public")
