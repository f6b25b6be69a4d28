"""Feed ingestion: fetch (I/O) -> parse -> plan (pure) -> sources under content/."""
