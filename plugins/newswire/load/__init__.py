"""Loading: the article store, import/export and re-extraction."""
