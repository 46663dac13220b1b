"""Access classification (free / paywalled / metered with evidence) and meter notices."""

from __future__ import annotations

import pytest

from newswire.clean.lines import clean_paragraphs, match_meter
from newswire.extract.access import FREE, METERED, PAYWALLED, classify_access

BODY = [
    "Dock unions and port employers resumed talks on Tuesday to end a three-day strike.",
    "The stoppage has left dozens of vessels waiting at anchor in the North Sea.",
    "Employers said they had tabled a revised proposal covering wages and shifts.",
]


def _classify(**kwargs: object):
    args: dict[str, object] = {
        "free": None,
        "markup": (),
        "prompts": (),
        "truncated": False,
        "body_words": 400,
        "description": None,
    }
    args.update(kwargs)
    return classify_access(**args)  # type: ignore[arg-type]


def test_free_without_evidence() -> None:
    result = _classify()
    assert result.access == FREE and result.evidence == () and not result.paywalled


def test_truncated_at_prompt_is_paywalled() -> None:
    result = _classify(prompts=["subscribe_now"], truncated=True, body_words=60)
    assert result.access == PAYWALLED and result.paywalled
    assert result.evidence == ("prompt:subscribe_now", "truncated_at_prompt")


def test_not_free_flag_with_teaser_body_is_paywalled() -> None:
    description = " ".join(["word"] * 40)
    result = _classify(free=False, body_words=60, description=description)
    assert result.access == PAYWALLED
    assert result.evidence == (
        "jsonld:isAccessibleForFree=false",
        "body_shorter_than_description",
    )


def test_not_free_flag_with_full_body_is_metered() -> None:
    result = _classify(free=False, markup=["paywall"], body_words=900, description="a b c")
    assert result.access == METERED and result.paywalled
    assert result.evidence == ("jsonld:isAccessibleForFree=false", "markup:paywall")


def test_markup_alone_is_only_evidence() -> None:
    result = _classify(markup=["piano-offer"])
    assert result.access == FREE and result.evidence == ("markup:piano-offer",)


@pytest.mark.parametrize(
    "line",
    [
        "You have 2 free articles left this month",
        "3 of 5 free articles remaining",
        "Sie haben noch 3 kostenlose Artikel in diesem Monat",
        "Il vous reste 2 articles gratuits ce mois-ci",
        "Te quedan 4 artículos gratis este mes",
    ],
)
def test_meter_notice_is_stripped_without_truncating(line: str) -> None:
    assert match_meter(line) == "meter_notice"
    cleaned = clean_paragraphs([BODY[0], line, *BODY[1:]])
    assert cleaned.paragraphs == tuple(BODY)
    assert cleaned.prompts == ("meter_notice",) and not cleaned.truncated


def test_sentence_about_free_articles_survives() -> None:
    sentence = "Readers have 2 free articles left this month under the new plan, the editor wrote."
    cleaned = clean_paragraphs([*BODY, sentence])
    assert cleaned.paragraphs == (*BODY, sentence) and cleaned.prompts == ()
