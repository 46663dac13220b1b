"""Access classification of an extracted article: free, paywalled (teaser only) or metered."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from newswire.models import count_words

FREE = "free"
PAYWALLED = "paywalled"
METERED = "metered"

# The body counts as "much shorter than the description" below this many times its words.
SHORT_BODY_RATIO = 2.0

# ...but only when the body has fewer words than this (a long body is never a teaser).
TEASER_MAX_WORDS = 150


@dataclass(frozen=True)
class Access:
    """The access class of an article with the evidence for it."""

    access: str  # FREE, PAYWALLED or METERED
    evidence: tuple[str, ...] = ()

    @property
    def paywalled(self) -> bool:
        """True unless the article is free to read."""
        return self.access != FREE


def classify_access(
    *,
    free: bool | None,
    markup: Sequence[str],
    prompts: Sequence[str],
    truncated: bool,
    body_words: int,
    description: str | None,
) -> Access:
    """Classify access from JSON-LD isAccessibleForFree, markup, paywall prompts and length.

    prompts are the names of the paywall prompt patterns found; markup the paywall class/id
    words. Paywalled: the text stops at a prompt, or the page says it is not free and the body
    is a teaser. Metered: a prompt or a not-free flag but the full text is there.
    """
    evidence: list[str] = []
    if free is False:
        evidence.append("jsonld:isAccessibleForFree=false")
    evidence.extend(f"markup:{word}" for word in markup)
    evidence.extend(f"prompt:{name}" for name in prompts)
    if truncated:
        evidence.append("truncated_at_prompt")
    description_words = count_words(description) if description else 0
    short = body_words < TEASER_MAX_WORDS and body_words < SHORT_BODY_RATIO * description_words
    if short:
        evidence.append("body_shorter_than_description")
    if truncated or (free is False and short):
        access = PAYWALLED
    elif prompts or free is False:
        access = METERED
    else:
        access = FREE
    return Access(access, tuple(evidence))
