"""The newsdigest command: help, exit codes, messages, idempotent import, serve."""

from __future__ import annotations

import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner
from support import SAMPLES, SEED, parse_html

from generator.article import parse_source
from generator.cli import cli

COMMANDS = sorted(cli.commands)


def run(*args: str) -> object:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_top_level_help_lists_every_command():
    result = run("--help")
    assert result.exit_code == 0
    for name in ("import", "build", "serve"):
        assert name in COMMANDS
        assert f"  {name} " in result.output


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_with_an_example(name: str):
    result = run(name, "--help")
    assert result.exit_code == 0
    assert "Example:" in result.output


def test_import_twice_gives_byte_identical_sources(tmp_site: Path):
    first = run("--site", str(tmp_site), "import", *map(str, SAMPLES))
    assert first.exit_code == 0, first.output
    sources = sorted((tmp_site / "content").rglob("*.md"))
    assert len(sources) == len(SAMPLES)
    assert sorted(first.output.splitlines()) == [str(path.relative_to(tmp_site)) for path in sources]
    before = {path: path.read_bytes() for path in sources}
    second = run("--site", str(tmp_site), "import", *map(str, SAMPLES))
    assert second.exit_code == 0
    assert all(line.endswith("(unchanged)") for line in second.output.splitlines())
    assert {path: path.read_bytes() for path in sorted((tmp_site / "content").rglob("*.md"))} == before


def test_import_goes_on_after_a_bad_input_and_exits_1(tmp_site: Path, tmp_path: Path):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    missing = tmp_path / "missing.txt"
    result = CliRunner().invoke(
        cli, ["--site", str(tmp_site), "import", str(empty), str(SEED), str(binary), str(missing)]
    )
    assert result.exit_code == 1
    assert result.stdout.strip() == "content/cnn/dozens-dead-after-airstike-hits-syrian-school.md"
    assert result.stderr.splitlines() == [
        f"Error: {empty}: the file is empty",
        f"Error: {binary}: looks like a binary file, not article text",
        f"Error: {missing}: no such file",
        "3 of 4 input(s) failed.",
    ]


def test_import_date_option_overrides_and_bad_dates_are_usage_errors(tmp_site: Path):
    result = run("--site", str(tmp_site), "import", "--date", "2016-10-28", str(SEED))
    assert result.exit_code == 0
    source = next((tmp_site / "content").rglob("*.md")).read_text(encoding="utf-8")
    assert "date: '2016-10-28T00:00:00+00:00'" in source
    assert "date_inferred" not in source
    bad = CliRunner().invoke(cli, ["--site", str(tmp_site), "import", "--date", "yesterday", str(SEED)])
    assert bad.exit_code == 2
    assert "'yesterday' is not an ISO 8601 date" in bad.stderr


def test_usage_errors_exit_2(tmp_path: Path):
    assert CliRunner().invoke(cli, ["import"]).exit_code == 2
    assert CliRunner().invoke(cli, ["build", "--bogus"]).exit_code == 2
    outside = CliRunner().invoke(cli, ["--site", str(tmp_path), "build"])
    assert outside.exit_code == 2
    assert "no pelicanconf.py here" in outside.stderr


def test_build_prints_counts_and_time_and_honours_output(tmp_site: Path, tmp_path: Path):
    run("--site", str(tmp_site), "import", *map(str, SAMPLES))
    out = tmp_path / "elsewhere"
    result = run("--site", str(tmp_site), "build", "--output", str(out))
    assert result.exit_code == 0, result.output
    assert f"Built {len(SAMPLES)} article(s) and 0 page(s) into {out}" in result.output
    assert parse_html(out / "index.html").select(".story-list .headline a")
    again = run("--site", str(tmp_site), "build", "--output", str(out))
    assert again.exit_code == 0, again.output
    assert f"Nothing changed since the last build: its {len(SAMPLES)} article(s) and 0 page(s) in {out} stand" in (
        again.output
    )


def test_build_with_a_broken_source_exits_1_and_names_it(tmp_site: Path):
    run("--site", str(tmp_site), "import", str(SEED))
    (tmp_site / "content" / "broken.md").write_text("---\ntitle: [oops\n---\n\nBody\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["--site", str(tmp_site), "build"])
    assert result.exit_code == 1
    assert "broken.md" in result.stderr
    assert "Built 1 article(s)" in result.stdout
    assert (tmp_site / "output" / "2016/10/27/dozens-dead-after-airstike-hits-syrian-school/index.html").is_file()


def test_serve_builds_then_serves_on_loopback(tmp_site: Path):
    run("--site", str(tmp_site), "import", str(SEED))
    newsdigest = shutil.which("newsdigest", path=str(Path(sys.executable).parent))
    process = subprocess.Popen(
        [newsdigest, "--site", str(tmp_site), "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = ""
        while not line.startswith("Serving"):
            line = process.stdout.readline()
            assert line, process.stderr.read()
        url = line.split(" at ")[1].split()[0]
        assert url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(url, timeout=10) as response:
            assert response.status == 200
            assert "Dozens dead after airstike hits Syrian school" in response.read().decode()
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.mark.parametrize(
    ("encoding", "headline"),
    [
        ("cp1252", "Caf\u00e9 owners \u201cwelcome\u201d the r\u00e9sum\u00e9 rule"),
        ("latin-1", "Caf\u00e9 r\u00e9sum\u00e9 rule"),
    ],
)
def test_cp1252_and_latin1_files_import_with_every_character_right(tmp_site: Path, tmp_path: Path, encoding, headline):
    source = tmp_path / f"{encoding}.txt"
    source.write_bytes(f"{headline}\n(CNN) -- Na\u00efve caf\u00e9 owners in Z\u00fcrich said so.\n".encode(encoding))
    result = CliRunner().invoke(cli, ["--site", str(tmp_site), "import", "--date", "2020-01-01", str(source)])
    assert result.exit_code == 0, result.output
    written = parse_source((tmp_site / result.stdout.strip()).read_text(encoding="utf-8"))
    assert written.title == headline
    assert written.body == "Na\u00efve caf\u00e9 owners in Z\u00fcrich said so."


def test_a_huge_file_and_a_file_without_headline_get_one_line_each(tmp_site: Path, tmp_path: Path):
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    prose = tmp_path / "prose.txt"
    prose.write_text("Just a paragraph of prose.\nAnd another one.\n")
    result = CliRunner().invoke(cli, ["--site", str(tmp_site), "import", str(huge), str(prose), str(SEED)])
    assert result.exit_code == 1
    errors = result.stderr.splitlines()
    assert errors[0] == f"Error: {huge}: file is 52,428,800 bytes; the limit is 5,242,880"
    assert errors[1].startswith(f"Error: {prose}: no headline found")
    assert len(errors) == 3 and errors[2] == "2 of 3 input(s) failed."
    assert result.stdout.strip().endswith("dozens-dead-after-airstike-hits-syrian-school.md")


def test_a_hand_edited_source_is_kept_until_forced(tmp_site: Path):
    run("--site", str(tmp_site), "import", str(SEED))
    (source,) = (tmp_site / "content").rglob("*.md")
    edited = source.read_text(encoding="utf-8").replace("category: World", "category: Middle East")
    source.write_text(edited, encoding="utf-8")
    kept = run("--site", str(tmp_site), "import", str(SEED))
    assert kept.exit_code == 0
    assert kept.output.strip().endswith("(kept: edited by hand since its import; --force overwrites it)")
    assert source.read_text(encoding="utf-8") == edited
    forced = run("--site", str(tmp_site), "import", "--force", str(SEED))
    assert forced.output.strip() == str(source.relative_to(tmp_site))
    assert "category: World" in source.read_text(encoding="utf-8")


def test_the_number_of_generated_highlights_is_a_setting(tmp_site: Path, tmp_path: Path):
    page = tmp_path / "page.html"
    page.write_text(
        "<html lang='en'><head><title>Budget passes - Paper</title>"
        "<meta property='article:published_time' content='2026-11-20T09:00:00Z'></head><body><article>"
        + "".join(
            f"<p>{sentence}</p>"
            for sentence in (
                "The city council approved a new budget on Monday after a long debate.",
                "The budget adds forty new buses and repairs two bridges over the river.",
                "Council members voted nine to four in favour of the plan.",
                "Critics said it ignores cycling and raises parking fees too far.",
                "The plan takes effect in January, and the first buses arrive in spring.",
                "Shop owners near the bridges welcomed the repairs after years of closures.",
            )
        )
        + "</article></body></html>"
    )
    with (tmp_site / "pelicanconf.py").open("a") as settings:
        settings.write("\nNEWSDIGEST_HIGHLIGHTS_MAX = 2\n")
    result = CliRunner().invoke(cli, ["--site", str(tmp_site), "import", str(page)])
    assert result.exit_code == 0, result.output
    source = parse_source((tmp_site / result.stdout.strip()).read_text(encoding="utf-8"))
    assert (len(source.highlights), source.highlights_from) == (2, "generated")


def test_highlights_prints_a_json_line_per_input_and_writes_nothing(tmp_path: Path):
    """Issue #17: a preview of the generated highlights, the input's own ignored, no date needed."""
    import json

    short = tmp_path / "short.txt"
    short.write_text("A short item\nOne sentence only.\n", encoding="utf-8")
    missing = tmp_path / "missing.txt"
    before = sorted(tmp_path.iterdir())
    result = CliRunner().invoke(cli, ["highlights", str(SEED), str(missing), str(short)])
    assert result.exit_code == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["file"] for line in lines] == [str(SEED), str(short)]
    seed_text = " ".join(SEED.read_text(encoding="utf-8").split())
    assert len(lines[0]["highlights"]) == 3
    assert all(highlight in seed_text for highlight in lines[0]["highlights"])
    own = "More than 20 children were among the dead in an attack on a school compound"
    assert own in seed_text and own not in lines[0]["highlights"]
    assert lines[1]["highlights"] == []
    assert f"Error: {missing}: no such file" in result.stderr
    assert sorted(tmp_path.iterdir()) == before
