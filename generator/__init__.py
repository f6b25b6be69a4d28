"""newsdigest: turn scraped news text and feeds into a static digest site.

Stages, each in its own module, data flowing one way:
ingest (generator.ingest) -> content/ (generator.article) -> enrich
(generator.enrich, run inside Pelican by generator.build.plugin) -> output/.
"""
