"""Extraction: bytes in, fields out (trafilatura, page metadata, title, authors, dates, lead,
pruning, access). `extract_article(page, source)` is the stage's entry point."""

from __future__ import annotations

from typing import Any

from newswire.settings import limit_blas_threads

# trafilatura imports py3langid and so numpy, whose OpenBLAS thread pool starts at import: cap
# it before extract/article.py imports trafilatura.
limit_blas_threads()


def __getattr__(name: str) -> Any:
    """extract_article, imported on first use: the stage's light modules (dates) stay light."""
    if name == "extract_article":
        from newswire.extract.article import extract_article

        return extract_article
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
