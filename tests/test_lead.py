"""The head of the body: headline residue, labels and a standfirst kept apart."""

from __future__ import annotations

import lxml.html

from newswire.extract.lead import (
    dropped_standfirst,
    is_standfirst,
    lead_keys,
    lead_names,
    standfirst_keys,
    trim_lead,
)

HEADLINE = "Ferry terminal reopens after two-year rebuild"
DESCRIPTION = "Passengers return to the rebuilt north quay as the council adds an hourly service."
BODY = [
    "The first ferry in two years left the north quay on Monday with eighty passengers aboard.",
    "Engineers replaced the wooden piles with steel and raised the waiting hall by a metre.",
]


def test_kicker_headline_and_label_before_the_text_go() -> None:
    paragraphs = ["LOCAL NEWS", f"Harbour works{HEADLINE}", f"{HEADLINE} | Harbour Gazette", *BODY]
    assert trim_lead(paragraphs, [HEADLINE], None) == tuple(BODY)


def test_sentences_that_open_with_the_headline_or_are_short_survive() -> None:
    opening = f"{HEADLINE}, said the banner across the gangway on Monday."
    paragraphs = [opening, *BODY, "Why now?", "It works."]
    assert trim_lead(paragraphs, [HEADLINE], None) == tuple(paragraphs)


def test_standfirst_goes_only_when_printed_apart() -> None:
    page = lxml.html.document_fromstring(
        f"<div><p class='lead'>{DESCRIPTION}</p><p>{BODY[0]}</p><p>{BODY[1]}</p></div>"
    )
    keys = standfirst_keys(page, DESCRIPTION)
    assert trim_lead([BODY[0], DESCRIPTION, BODY[1]], [], DESCRIPTION, keys) == tuple(BODY)
    # the same text among the body's paragraphs, not first and not marked: it stays
    kept = [BODY[0], DESCRIPTION, BODY[1]]
    assert trim_lead(kept, [], DESCRIPTION) == tuple(kept)


def test_first_paragraph_the_description_repeats_stays() -> None:
    # the description is a copy of the first paragraph, printed once, among its siblings
    page = lxml.html.document_fromstring(
        f"<div><p>{DESCRIPTION}</p><p>{BODY[0]}</p><p>{BODY[1]}</p></div>"
    )
    keys = standfirst_keys(page, DESCRIPTION)
    assert keys == set()
    assert trim_lead([DESCRIPTION, *BODY], [], DESCRIPTION, keys) == (DESCRIPTION, *BODY)


def test_a_standfirst_printed_in_bold_goes() -> None:
    for bold in (
        f"<p><strong>{DESCRIPTION}</strong></p>",
        f"<ul><li><b>{DESCRIPTION}</b></li></ul>",
    ):
        page = lxml.html.document_fromstring(f"<div>{bold}<p>{BODY[0]}</p><p>{BODY[1]}</p></div>")
        keys = standfirst_keys(page, DESCRIPTION)
        assert trim_lead([DESCRIPTION, *BODY], [], DESCRIPTION, keys) == tuple(BODY)
    # a paragraph with only some words in bold is not set apart
    page = lxml.html.document_fromstring(
        f"<div><p><b>Passengers</b> {DESCRIPTION[11:]}</p><p>{BODY[0]}</p><p>{BODY[1]}</p></div>"
    )
    assert standfirst_keys(page, DESCRIPTION) == set()


def test_description_cut_from_the_first_paragraph_keeps_it() -> None:
    first = f"{DESCRIPTION[:-1]}, answering a petition signed by four thousand residents."
    assert is_standfirst(first, DESCRIPTION[:60] + "…")
    assert trim_lead([first, *BODY], [], DESCRIPTION[:60] + "…") == (first, *BODY)


def test_lead_and_summary_elements_open_no_body() -> None:
    values = ["article__intro", "SummaryBox", "leadIn", "leaderboard-ad", "deckchair", "x"]
    assert lead_names(values) == {"article__intro", "SummaryBox", "leadIn"}
    names = lead_names(["article__intro", "SummaryBox"])
    page = lxml.html.document_fromstring(
        "<div><div class='SummaryBox'><ul><li>Fares rise by 4% in January.</li>"
        "<li>Season tickets are frozen.</li></ul></div>"
        f"<p class='article__intro'>{DESCRIPTION}</p><p>{BODY[0]}</p><p>{BODY[1]}</p></div>"
    )
    leads = lead_keys(page, names)
    paragraphs = ["- Fares rise by 4% in January.", "- Season tickets are frozen.", DESCRIPTION]
    trimmed = trim_lead([*paragraphs, *BODY], [], None, (), leads)
    assert trimmed == tuple(BODY)
    assert dropped_standfirst([*paragraphs, *BODY], trimmed, leads) == DESCRIPTION


def test_a_whole_body_in_a_lead_classed_container_stays() -> None:
    long_body = [f"{BODY[0]} {BODY[1]}"] * 4
    html = "".join(f"<p>{p}</p>" for p in long_body)
    page = lxml.html.document_fromstring(f"<div class='lead-story'>{html}</div>")
    leads = lead_keys(page, lead_names(["lead-story"]))
    assert trim_lead(long_body, [], None, (), leads) == tuple(long_body)


def test_a_paragraph_opening_with_a_dateline_is_no_standfirst() -> None:
    first = "PORTHAVEN, Nov 2 — The harbour board approved a new breakwater after storm damage."
    assert not is_standfirst(first, first)
    assert not is_standfirst(
        "LONDON (Reuters) - " + DESCRIPTION, "LONDON (Reuters) - " + DESCRIPTION
    )
    # an ordinary sentence with a dash is still compared with the description
    assert is_standfirst(
        "The UN - a body of states - " + DESCRIPTION, "The UN - a body of states - " + DESCRIPTION
    )
