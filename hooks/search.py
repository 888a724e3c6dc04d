"""Search: what the site's search index holds and how it ranks."""
