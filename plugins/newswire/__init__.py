"""newswire: scheduled news ingestion into PostgreSQL."""

__version__ = "0.1.0"
