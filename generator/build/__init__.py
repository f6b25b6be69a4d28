"""The build: everything that runs inside or around Pelican, from content/ to output/.

`plugin` connects Pelican's signals; `reader` reads sources (`prefill` on
every core); `story` makes each article's one record, the only thing
templates read of it; `incremental` skips pages whose records did not change
and removes what a deleted source left (`written`: what the last build
wrote, and which of it is gone); `listings`, `pages`, `digest`, `sitemap`
and `search` write the lists, the digest's own pages, the sitemap
and the search index; `site` runs a build; `settings` holds every
NEWSDIGEST_* default.
"""
