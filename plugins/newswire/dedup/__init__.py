"""Deduplication: signatures, the copy decision, stories and their index writes."""
