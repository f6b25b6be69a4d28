"""The `newsdigest` command: one subcommand per stage.

Exit codes: 0 all good; 1 some input failed (the others were still
processed); 2 usage error (click's own). Results go to stdout, problems to
stderr, one line each, naming the file and what is wrong.
"""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import gc
import json
import logging
import shlex
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import click

from generator.errors import NewsdigestError
from generator.settings import HIGHLIGHTS

if TYPE_CHECKING:
    from generator.build.site import BuildReport

# Each command imports what it needs when it runs: a build never loads the
# feed reader, the page extractor or the highlights model (scikit-learn,
# SciPy, trafilatura, rich: a second and more of a rebuild that changes nothing),
# and starts its process for the related step before it imports Pelican (`_build`).

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}


@click.group(context_settings=CONTEXT_SETTINGS)
@click.option(
    "--site",
    "site_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=".",
    show_default="the current folder",
    help="The site folder (the one holding pelicanconf.py).",
)
@click.option("-v", "--verbose", is_flag=True, help="Log what Pelican and newsdigest are doing.")
@click.pass_context
def cli(ctx: click.Context, site_dir: Path, verbose: bool) -> None:
    """Build a static news digest site from scraped articles and feeds.

    \b
    Example:
        newsdigest import samples/*.txt
        newsdigest build
        newsdigest serve --port 8000
    """
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s: %(message)s")
    ctx.obj = site_dir


def _site(ctx: click.Context) -> Path:
    from generator.build import site as site_module

    try:
        return site_module.find_site(ctx.obj)
    except NewsdigestError as exc:
        raise click.UsageError(str(exc)) from exc


def _parse_date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.datetime | None:
    if value is None:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not an ISO 8601 date (YYYY-MM-DD[THH:MM[+HH:MM]])") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


@cli.command(context_settings=CONTEXT_SETTINGS)
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--name", default="News digest", show_default=True, help="The site's name, on every page.")
@click.option(
    "--url", default="https://example.org", show_default=True, help="The live site's address (publishconf.py)."
)
@click.option("--feed", "feed_urls", multiple=True, metavar="URL", help="A feed to fetch (repeatable).")
@click.option(
    "--opml",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A reader's subscriptions to fetch (written to feeds.opml).",
)
@click.option("--github", is_flag=True, help="Add GitHub workflows: fetch hourly, build and deploy to Pages.")
@click.option(
    "--force", is_flag=True, help="Write into a folder that is not empty (its files of these names replaced)."
)
def init(
    folder: Path, name: str, url: str, feed_urls: tuple[str, ...], opml: Path | None, github: bool, force: bool
) -> None:
    """Start a new digest in FOLDER: settings, an empty content/, and what to do next.

    \b
    Example:
        newsdigest init harbour --name "Harbour Daily" --url https://harbour.example \\
            --feed https://harbour-herald.example/feed.xml --github
    """
    from generator.init import Starter, init_site

    try:
        written = init_site(folder, Starter(name=name, url=url, feeds=feed_urls, github=github), opml, force)
    except NewsdigestError as exc:
        raise click.ClickException(str(exc)) from exc
    for path in written:
        click.echo(f"wrote {path}")
    steps = [f"cd {shlex.quote(str(folder))}"]
    if not feed_urls and not opml:
        steps.append("add feeds to NEWSDIGEST_FEEDS in pelicanconf.py (or: newsdigest feeds import-opml FILE)")
    steps += ["newsdigest fetch", "newsdigest build", "newsdigest serve   (then open http://127.0.0.1:8000/)"]
    if github:
        steps.append("git init, commit, push to GitHub; Settings > Pages > Source: GitHub Actions")
    click.echo("Next:\n" + "".join(f"  {step}\n" for step in steps), nl=False)


@cli.command(name="import", context_settings=CONTEXT_SETTINGS)
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--date",
    callback=_parse_date,
    metavar="YYYY-MM-DD",
    help="Publication date for every input, overriding what is inferred (ISO 8601; UTC if no offset).",
)
@click.option("--force", is_flag=True, help="Overwrite sources even where a maintainer edited them by hand.")
@click.pass_context
def import_command(ctx: click.Context, paths: tuple[Path, ...], date: dt.datetime | None, force: bool) -> None:
    """Turn article files into Markdown sources under content/.

    Takes raw scraped article text, CNN/DailyMail .story files and saved HTML
    pages, told apart by their content. Prints each source path it wrote,
    marked "(unchanged)" when the source already held the same text, or
    "(kept: ...)" when a maintainer edited it by hand since its import (see
    --force). A file that cannot be imported is reported on stderr and the
    others are still imported; the exit code is then 1.

    \b
    Example:
        newsdigest import samples/seed-article.txt
        newsdigest import --date 2013-11-27 story.txt page.html
    """
    from generator.build import site as site_module
    from generator.ingest.files import import_paths
    from generator.sources import Outcome

    site = _site(ctx)
    settings = site_module.load_settings(site)
    content_dir = Path(settings["PATH"])
    failed = 0
    for result in import_paths(
        paths, content_dir, date=date, force=force, highlights=settings["NEWSDIGEST_HIGHLIGHTS_MAX"]
    ):
        if result.error:
            failed += 1
            click.echo(f"Error: {result.error}", err=True)
            continue
        shown = _relative(result.output, site)
        if result.outcome is Outcome.UNCHANGED:
            shown += " (unchanged)"
        elif result.outcome is Outcome.KEPT:
            shown += " (kept: edited by hand since its import; --force overwrites it)"
        click.echo(shown)
    if failed:
        click.echo(f"{failed} of {len(paths)} input(s) failed.", err=True)
        ctx.exit(1)


@cli.command(context_settings=CONTEXT_SETTINGS)
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--count",
    type=click.IntRange(1, 10),
    default=HIGHLIGHTS,
    show_default=True,
    help="Highlights per input, at most.",
)
@click.pass_context
def highlights(ctx: click.Context, paths: tuple[Path, ...], count: int) -> None:
    """Print the highlights newsdigest would generate for each input, as JSON lines.

    Takes what `import` takes and ignores the input's own highlights; writes
    nothing and needs no site and no date. One line per input:
    {"file": ..., "highlights": [...]}; an input of fewer than five sentences
    gets none. A file that cannot be read is reported on stderr, the others
    are still printed, and the exit code is then 1.

    \b
    Example:
        newsdigest highlights story.txt saved-page.html
    """
    from generator.enrich.highlights import generated_highlights
    from generator.ingest.files import read_parts
    from generator.ingest.parts import language_of

    failed = 0
    for path in paths:
        try:
            parts = read_parts(path)
        except NewsdigestError as error:
            failed += 1
            click.echo(f"Error: {error}", err=True)
            continue
        # The language as import finds it (declared, else detected), so the preview is what import writes.
        language = language_of(parts, parts.headline) or "en"
        chosen = generated_highlights(list(parts.paragraphs), count, language=language, title=parts.headline)
        click.echo(json.dumps({"file": str(path), "highlights": list(chosen)}, ensure_ascii=False))
    if failed:
        ctx.exit(1)


@cli.command(context_settings=CONTEXT_SETTINGS)
@click.option(
    "--output", type=click.Path(file_okay=False, path_type=Path), help="Write the site here instead of OUTPUT_PATH."
)
@click.option(
    "--settings",
    "settings_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Pelican settings file (default: the site's pelicanconf.py).",
)
@click.pass_context
def build(ctx: click.Context, output: Path | None, settings_file: Path | None) -> None:
    """Build the site with Pelican, our plugin and our theme.

    \b
    Example:
        newsdigest build
        newsdigest build --settings publishconf.py --output public/
    """
    report = _build(ctx, output, settings_file)
    if report.errors:
        ctx.exit(1)


@cli.command(context_settings=CONTEXT_SETTINGS)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port on 127.0.0.1 (0: any free port).",
)
@click.pass_context
def serve(ctx: click.Context, port: int) -> None:
    """Build the site, then serve it on 127.0.0.1 until interrupted.

    \b
    Example:
        newsdigest serve --port 8000
    """
    report = _build(ctx, None, None)
    from generator.build import site as site_module  # imported by the build: after its process started

    try:
        server = site_module.make_server(report.output_path, port=port)
    except OSError as exc:
        raise click.ClickException(f"cannot listen on 127.0.0.1:{port}: {exc.strerror}") from exc
    host, bound_port = server.server_address[:2]
    click.echo(f"Serving {_relative(report.output_path, _site(ctx))} at http://{host}:{bound_port}/ (Ctrl-C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


@cli.command(context_settings=CONTEXT_SETTINGS)
@click.argument("urls", nargs=-1)
@click.option("--strict", is_flag=True, help="Exit 1 when any feed failed (default: exit 0 once the run finished).")
@click.option("-q", "--quiet", is_flag=True, help="Print only the summary and failures.")
@click.pass_context
def fetch(ctx: click.Context, urls: tuple[str, ...], strict: bool, quiet: bool) -> None:
    """Fetch feeds and write their new and updated items as sources under content/.

    Fetches the feeds in NEWSDIGEST_FEEDS and feeds.opml, or the URLs (or
    local files) given. Prints one line per feed (new / updated / unchanged /
    failed, with the reason) and a summary. Exits 0 when the run finished,
    even with failed feeds, so that a scheduled job still commits what
    arrived; --strict exits 1 then.

    \b
    Example:
        newsdigest fetch
        newsdigest fetch https://example.org/feed.xml samples/feeds/harbour-herald.xml
    """
    from generator.build import site as site_module
    from generator.feeds.config import site_configs
    from generator.feeds.fetch import DEFAULT_LIMITS
    from generator.feeds.plan import FeedConfig
    from generator.feeds.run import FAILED, GONE, run_fetch
    from generator.progress import feed_progress

    site = _site(ctx)
    settings = site_module.load_settings(site)
    configs = [FeedConfig(url=url) for url in urls] if urls else site_configs(site, settings)
    configs = [replace(config, highlights=settings["NEWSDIGEST_HIGHLIGHTS_MAX"]) for config in configs]
    if not configs:
        raise click.UsageError("no feeds: list them in NEWSDIGEST_FEEDS or feeds.opml, or give URLs")
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    with feed_progress(len(configs), quiet) as report:
        try:
            results = run_fetch(
                configs,
                Path(settings["PATH"]),
                now,
                replace(DEFAULT_LIMITS, allow_hosts=tuple(settings["NEWSDIGEST_FULLTEXT_ALLOW_HOSTS"])),
                site_root=site,
                on_fetched=report.fetched,
                on_feed_done=report.finished,
            )
        except NewsdigestError as exc:
            raise click.ClickException(str(exc)) from exc
    failed = [r for r in results if r.status in (FAILED, GONE)]
    totals = {name: sum(getattr(r, name) for r in results) for name in ("new", "updated", "unchanged")}
    flagged = sum(1 for r in results if r.flagged)
    click.echo(
        f"{totals['new']} new, {totals['updated']} updated, {totals['unchanged']} unchanged, "
        f"{len(failed)} failed feed(s) of {len(results)}" + (f"; {flagged} failing for over a week" if flagged else "")
    )
    if failed and strict:
        ctx.exit(1)


@cli.group(context_settings=CONTEXT_SETTINGS)
def feeds() -> None:
    """Move feed lists in and out as OPML; try a feed's keep/drop rules.

    \b
    Example:
        newsdigest feeds import-opml subscriptions.opml
        newsdigest feeds export-opml > feeds-backup.opml
        newsdigest feeds test-rules "Harbour Herald"
    """


@feeds.command(name="import-opml", context_settings=CONTEXT_SETTINGS)
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_context
def import_opml(ctx: click.Context, path: Path) -> None:
    """Add the feeds of an OPML file to the site's feeds.opml.

    \b
    Example:
        newsdigest feeds import-opml subscriptions.opml
    """
    from generator.feeds.config import OPML_FILE, merge_opml, read_opml

    site = _site(ctx.find_root())
    try:
        added, known = merge_opml(site, read_opml(path))
    except NewsdigestError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{added} feed(s) added to {OPML_FILE}; {known} already there")


@feeds.command(name="export-opml", context_settings=CONTEXT_SETTINGS)
@click.pass_context
def export_opml(ctx: click.Context) -> None:
    """Print every configured feed (NEWSDIGEST_FEEDS and feeds.opml) as OPML.

    \b
    Example:
        newsdigest feeds export-opml > feeds-backup.opml
    """
    from generator.build import site as site_module
    from generator.feeds.config import site_configs, write_opml

    site = _site(ctx.find_root())
    click.echo(write_opml(site_configs(site, site_module.load_settings(site))), nl=False)


@feeds.command(name="test-rules", context_settings=CONTEXT_SETTINGS)
@click.argument("feed", required=False)
@click.pass_context
def test_rules(ctx: click.Context, feed: str | None) -> None:
    """Show what each configured feed's keep/drop rules and max_age_days make of its current items.

    FEED narrows it to one feed (its name or URL). Fetches the feeds, writes nothing.

    \b
    Example:
        newsdigest feeds test-rules "Harbour Herald"
    """
    from generator.build import site as site_module
    from generator.feeds.config import site_configs
    from generator.feeds.run import preview_rules

    site = _site(ctx.find_root())
    configs = [c for c in site_configs(site, site_module.load_settings(site)) if feed in (None, c.name, c.url)]
    if not configs:
        raise click.UsageError(f"no configured feed named {feed!r}" if feed else "no feeds configured")
    now = dt.datetime.now(dt.UTC)
    for config in configs:
        rules = len(config.keep) + len(config.drop)
        try:
            rows = preview_rules(config, now, root=site)
        except NewsdigestError as exc:
            click.echo(f"{config.name or config.url}: failed: {exc.message}")
            continue
        kept = sum(1 for _, is_kept, _ in rows if is_kept)
        click.echo(f"{config.name or config.url} ({rules} rule(s)): {kept} kept, {len(rows) - kept} left out")
        for title, is_kept, why in rows:
            click.echo(f"  {'kept' if is_kept else 'out '}  {title}" + (f"  ({why})" if why else ""))


@cli.command(context_settings=CONTEXT_SETTINGS)
@click.option("--older-than", "days", type=click.IntRange(min=1), required=True, metavar="DAYS", help="Age in days.")
@click.option("--all", "everything", is_flag=True, help="Imported and hand-edited sources too.")
@click.option("--delete", is_flag=True, help="Delete them (without it: a dry run that lists them).")
@click.pass_context
def prune(ctx: click.Context, days: int, everything: bool, delete: bool) -> None:
    """List (or with --delete remove) fetched sources older than DAYS days.

    Imported sources and sources edited by hand stay unless --all. A feed
    that still lists a pruned item does not bring it back.

    \b
    Example:
        newsdigest prune --older-than 90
        newsdigest prune --older-than 90 --delete
    """
    from generator.build import site as site_module
    from generator.prune import prune_candidates

    site = _site(ctx.find_root())
    content = Path(site_module.load_settings(site)["PATH"])
    cutoff = dt.datetime.now(dt.UTC) - dt.timedelta(days=days)
    candidates = prune_candidates(content, cutoff, everything)
    going = [c for c in candidates if not c.kept_because]
    for candidate in candidates:
        where = _relative(candidate.path, site)
        if candidate.kept_because:
            click.echo(f"kept     {where} ({candidate.kept_because}; --all to prune it)")
        else:
            click.echo(f"{'deleted ' if delete else 'would go'} {where}")
            if delete:
                candidate.path.unlink(missing_ok=True)
    summary = f"{len(going)} source(s) older than {days} days {'deleted' if delete else 'to delete'}"
    click.echo(summary + ("" if delete or not going else "; run again with --delete to delete them"))


@cli.group(context_settings=CONTEXT_SETTINGS)
def publish() -> None:
    """Publish by git push to any git server.

    \b
    Example:
        newsdigest publish install-hook --repo /srv/git/news.git --target /var/www/news
    """


@publish.command(name="install-hook", context_settings=CONTEXT_SETTINGS)
@click.option(
    "--repo",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    required=True,
    help="The bare repository maintainers push to.",
)
@click.option(
    "--target",
    type=click.Path(path_type=Path),
    required=True,
    help="Where the live site goes: a symlink the hook manages (must not be an existing folder).",
)
@click.option("--branch", default="main", show_default=True, help="The branch that publishes.")
@click.option("--site-url", default="", help="The live site's address (NEWSDIGEST_SITEURL for publishconf.py).")
def install_hook_command(repo: Path, target: Path, branch: str, site_url: str) -> None:
    """Install a post-receive hook that builds each push and swaps it in atomically.

    A push to the branch builds the pushed commit with publishconf.py in a
    temporary folder; on success the target symlink moves to the new build
    in one rename; on failure the live site stays as it was and the pushing
    client sees why.

    \b
    Example:
        newsdigest publish install-hook --repo /srv/git/news.git --target /var/www/news
    """
    from generator.publish import install_hook

    try:
        hook = install_hook(repo, target, branch, site_url)
    except NewsdigestError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"installed {hook}: pushes to {branch} publish to {target.resolve()}")


@publish.command(hidden=True)
@click.option("--target", type=click.Path(path_type=Path), required=True)
@click.option("--branch", default="main")
@click.option("--site-url", default="")
@click.pass_context
def receive(ctx: click.Context, target: Path, branch: str, site_url: str) -> None:
    """Run by the post-receive hook (in the bare repository): deploy what was pushed."""
    from generator.publish import receive as publish_receive

    status = publish_receive(Path.cwd(), target, branch, site_url, click.get_text_stream("stdin"))
    ctx.exit(status)


def _build(ctx: click.Context, output: Path | None, settings_file: Path | None) -> BuildReport:
    from generator.build.links_ahead import Spare

    # Started before Pelican is imported here: a process for the related step, in case the
    # build works it out ahead, importing that step's libraries meanwhile (generator.build.links_ahead).
    with Spare() as spare:
        from generator.build import site as site_module

        site = _site(ctx)
        overrides = {"OUTPUT_PATH": str(output.resolve())} if output else None
        try:
            settings = site_module.load_settings(site, settings_file, overrides)
            with _errors_said_once(verbose=ctx.find_root().params.get("verbose", False)):
                report = site_module.build(settings, spare)
        except NewsdigestError as exc:
            raise click.ClickException(str(exc)) from exc
    # Python's last garbage collection at exit would walk every object of the
    # site (1.3 s at 10,000 articles) to free memory the system takes back anyway.
    atexit.unregister(gc.freeze)
    atexit.register(gc.freeze)
    for message in report.errors:
        click.echo(f"Error: {message}", err=True)
    where = _relative(report.output_path, site)
    if report.unchanged:
        click.echo(
            f"Nothing changed since the last build: its {report.articles} article(s) and {report.pages} "
            f"page(s) in {where} stand ({report.seconds:.2f} s)"
        )
    else:
        click.echo(
            f"Built {report.articles} article(s) and {report.pages} page(s) into {where} in {report.seconds:.2f} s"
            + (f"; {len(report.errors)} error(s)" if report.errors else "")
        )
    return report


@contextlib.contextmanager
def _errors_said_once(verbose: bool) -> Iterator[None]:
    """A build's errors are listed when it ends ("Error: file: what"), each once: not also as
    they are logged (with -v they are, next to what was being done)."""
    handlers = [] if verbose else list(logging.getLogger().handlers)
    for handler in handlers:
        handler.addFilter(_below_error)
    try:
        yield
    finally:
        for handler in handlers:
            handler.removeFilter(_below_error)


def _below_error(record: logging.LogRecord) -> bool:
    return record.levelno < logging.ERROR


def _relative(path: Path, site: Path) -> str:
    try:
        return str(path.resolve().relative_to(site.resolve()))
    except ValueError:
        return str(path)
