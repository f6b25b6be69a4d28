"""Ingest: input files -> `Article` records -> sources under content/.

generator.ingest.files reads one input (`read_article`, `read_parts`) and
imports many (`import_paths`). This package's own import loads nothing: the
build reads a few of its helpers (generator.ingest.text) and must not pay
for the page extractor and the highlights model on the way.
"""
