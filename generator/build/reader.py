"""The Markdown reader: pelican-yaml-metadata's, with libyaml, and failing loudly.

pelican-yaml-metadata parses front matter with `yaml.safe_load`, pure
Python: about a third of plain Pelican's reading time. This reader parses
with libyaml (CSafeLoader, the loader generator.article writes with), and
keeps everything else of pelican-yaml-metadata's (its value handling).

On a YAML error it logs the error as pelican-yaml-metadata does (file, then
the error: generator.build.site turns it into "file:line: ...") and then raises:
Pelican's content cache keeps only what a reader returned, so a broken
source is never cached as an article without metadata, and the error is
reported again on every build until it is fixed.
"""

from __future__ import annotations

import logging

import yaml
from pelican.plugins.yaml_metadata.yaml_metadata import YAMLMetadataReader

from generator.article import YAML_LOADER
from generator.enrich.body import enrich_body
from generator.errors import SourceError

log = logging.getLogger("pelican.plugins.yaml_metadata.yaml_metadata")


class FrontMatterReader(YAMLMetadataReader):
    """Reads content/*.md: YAML front matter (libyaml) and a Markdown body, enriched as far as the
    source alone allows (generator.enrich.body), so that Pelican's content cache keeps that too."""

    def read(self, source_path: str) -> tuple[str, dict]:
        content, metadata = super().read(source_path)
        content, own = enrich_body(content, metadata)
        return content, {**metadata, **own}

    def _load_yaml_metadata(self, text: str, source_path: str) -> dict:
        try:
            metadata = yaml.load(text, Loader=YAML_LOADER)
        except yaml.YAMLError as exc:
            log.error("Error parsing YAML for file '%s'", source_path, exc_info=True)
            raise SourceError(source_path, "invalid YAML front matter") from exc
        if not isinstance(metadata, dict):
            log.error("YAML header didn't parse as a dict for file '%s'", source_path)
            raise SourceError(source_path, "the front matter is not a mapping of field: value")
        return self._parse_yaml_metadata(metadata, source_path)


def use_front_matter_reader(readers) -> None:
    """On readers_init, after pelican-yaml-metadata's: read .md files with FrontMatterReader."""
    for extension in FrontMatterReader.file_extensions:
        readers.reader_classes[extension] = FrontMatterReader
