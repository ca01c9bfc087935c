"""The public portal: published decisions only, no login."""
from registry.public import indexer  # noqa: F401  (keeps the search index in step with every write)
