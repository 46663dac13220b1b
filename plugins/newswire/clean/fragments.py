"""Building blocks of the line patterns: the whole-line wrapper and shared fragments."""

from __future__ import annotations

import re

# Trailing punctuation and decoration allowed around a prompt line.
END = r"[\s.!?:…»›>→]*"


# A list bullet as trafilatura prints list items ("- Share this article").
BULLET = r"(?:[-–•·*]\s+)?"


def whole_line(pattern: str) -> re.Pattern[str]:
    """Compile a pattern that must match a whole line (case-insensitive, anchored).

    The line may open with a list bullet or an arrow and close with punctuation.
    """
    return re.compile(rf"^[\s»›>→]*{BULLET}(?:{pattern}){END}$", re.IGNORECASE)


# A capitalised personal name of two to four words, with particles ("Anna de Vries").
NAME = (
    r"[A-ZÀ-Þ][\w'’.-]*"
    r"(?:\s+(?:(?:de|van|von|der|da|di|del|la|le|al|bin)\s+)*[A-ZÀ-Þ][\w'’.-]*){1,3}"
)

# Labels of publication and update times in Nordic languages and Turkish (timestamp_more).
STAMP_LABEL = (
    r"uppdaterad|publicerad|oppdatert|publisert|opdateret|publiceret|päivitetty|julkaistu|"
    r"güncelleme|güncellenme|yayınlanma|updated|published"
)

# A date or a time of day in a timestamp line: "28.04.2023", "20 Nisan 2026", "15.59", "kl. 14:14"
STAMP = (
    r"(?:(?:kl\.?|klo|at|um)\s*)?(?:\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{1,2}\.?\s+[^\W\d_]{3,10}\.?\s+\d{4}"
    r"|\d{1,2}[:.]\d\d)(?:,?\s+(?:(?:kl\.?|klo|at|um)\s*)?\d{1,2}[:.]\d\d)?"
)
