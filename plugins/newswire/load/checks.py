"""The rules the schema enforces on an article row, checked before it is written."""

from __future__ import annotations

from collections.abc import Iterator

from newswire.models import Article

# articles.access values (CHECK articles_access_check).
ACCESS_CLASSES = ("free", "paywalled", "metered")

# Longest UTF-8 value of a btree-indexed column (canonical_url and source of articles, url of
# article_urls): a btree entry holds at most 2704 bytes (PostgreSQL 13 and later).
MAX_KEY_BYTES = 2000

# Longest UTF-8 title plus body: both go into the generated tsvector columns, which hold at
# most 1 MiB of lexemes (a body this long is no article anyway).
MAX_TEXT_BYTES = 1_000_000


# Article fields holding one optional text, and those holding several (text[] columns).
_TEXT_FIELDS: tuple[str, ...] = (
    *("url", "canonical_url", "source", "title", "language", "description", "agency"),
    *("dateline", "credits", "section", "extractor_version", "top_image_url"),
    *("top_image_caption", "date_source", "updated_source"),
)
_LIST_FIELDS = ("authors", "prompts_stripped", "tags", "access_evidence")


def _texts(article: Article) -> Iterator[tuple[str, str]]:
    """(column, value) of every text the article row and its URL rows hold."""
    for name in _TEXT_FIELDS:
        value = getattr(article, name)
        if value is not None:
            yield name, value
    yield "body", article.body
    for name in _LIST_FIELDS:
        for value in getattr(article, name):
            yield name, value
    for key, value in article.extra.items():
        yield "extra", key
        yield "extra", value


def problem(article: Article) -> str | None:
    """Why the database would refuse the article's rows ("<column>: <problem>"), else None."""
    for column, value in _texts(article):
        if "\x00" in value:
            return f"{column}: NUL character"  # text and jsonb cannot hold U+0000
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return f"{column}: not valid Unicode (lone surrogate)"
    for column in ("url", "canonical_url", "source"):
        if len(getattr(article, column).encode("utf-8")) > MAX_KEY_BYTES:
            return f"{column}: longer than {MAX_KEY_BYTES} bytes"
    if len((article.title or "").encode("utf-8")) + len(article.body.encode("utf-8")) > (
        MAX_TEXT_BYTES
    ):
        return f"body: title and body longer than {MAX_TEXT_BYTES} bytes"
    if article.access not in ACCESS_CLASSES:
        return f"access: {article.access!r} is not one of {', '.join(ACCESS_CLASSES)}"
    if article.paywalled != (article.access != "free"):
        return f"paywalled: {article.paywalled} disagrees with access {article.access!r}"
    return None
