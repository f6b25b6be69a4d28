"""`python -m generator`: the newsdigest command, for hooks that must name their interpreter."""

from generator.cli import cli

cli(prog_name="newsdigest")
