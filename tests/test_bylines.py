"""Bylines printed in the markup, the fallback when no structured byline names people."""

from __future__ import annotations

import lxml.html

from newswire.extract.authors import markup_bylines, outlet_address, pick_authors


def bylines(body: str) -> list[str]:
    """markup_bylines of a page with this <body>."""
    return markup_bylines(lxml.html.document_fromstring(f"<html><body>{body}</body></html>"))


def test_itemprop_author_name_wins() -> None:
    body = """<div class="byline">By the desk</div>
    <span itemprop="author" itemscope><span itemprop="name">Ines Halvorsen</span></span>"""
    assert bylines(body) == ["Ines Halvorsen"]


def test_rel_author_links() -> None:
    body = '<p>Von <a rel="author" href="/autoren/mk">Dr. Max Kolbe</a></p>'
    assert bylines(body) == ["Dr. Max Kolbe"]


def test_author_label_in_a_facts_list() -> None:
    body = "<ul><li><strong>Datum</strong> 02.11.2026</li><li><b>Autor:</b> Jan Berg</li></ul>"
    assert bylines(body) == ["Jan Berg"]


def test_label_before_the_names_an_element_holds() -> None:
    body = """<ul><li>4 min read</li><li class="info">Von:
    <span><a href="/jan-berg">Jan  BERG</a>,</span>
    <span><a href="/ines-h">Ines HALVORSEN</a></span></li></ul>"""
    assert bylines(body) == ["Jan BERG, Ines HALVORSEN"]
    assert pick_authors([bylines(body)], ["Coast News"]) == ("Jan Berg", "Ines Halvorsen")
    # the label needs its colon: a sentence opening with "By" is no byline
    assert bylines('<p>By <a href="/terms">signing up</a>, you agree to our terms.</p>') == []


def test_byline_classed_element_but_not_pictures_or_bios() -> None:
    body = """<img class="author-image" src="a.jpg"><div class="author-bio">Jan writes about
    ports and has done so for many years.</div><p class="article-byline">von Lena Sauer, Kiel</p>"""
    assert bylines(body) == ["von Lena Sauer, Kiel"]
    assert pick_authors([bylines(body)], ["Küstenbote"]) == ("Lena Sauer", "Kiel")


def test_credits_times_and_lower_case_text_are_not_bylines() -> None:
    assert bylines('<p class="byline">Quelle: dpa</p>') == []
    assert bylines('<p class="byline">By Associated Press12:20pm Jan 7, 2026</p>') == []
    assert bylines('<div class="author">coast news</div>') == []


def test_sentences_about_authors_are_not_bylines() -> None:
    body = """<p>The author of the report, Jan Berg, said the port would reopen.</p>
    <p>Autor des Berichts ist der Hafenmeister.</p>"""
    assert bylines(body) == []


def test_outlet_address_is_not_an_author() -> None:
    sites = ["coastnews.example", "Coast News"]
    address = outlet_address(["coastnews.example, Harbourtown, Freedonia"], sites)
    assert address == {"harbourtown", "freedonia"}
    byline = ["Coastnews Example; Harbourtown; Freedonia"]
    assert pick_authors([[], byline, []], sites, address) == ()
    # a byline naming people after the outlet, and lower-case desk codes, are no address
    assert outlet_address(["Coast News, Jan Berg"], sites) == set()
    assert outlet_address(["coast news; hosb; kesm"], sites) == set()
    assert pick_authors([["Jan Berg"]], sites, {"harbourtown"}) == ("Jan Berg",)


def test_name_before_the_outlets_own_host_is_no_author() -> None:
    sites = ["COASTNEWS.EXAMPLE", "coastnews.example", "coastnews"]
    address = outlet_address(["Coast Herald Media (www.coastnews.example)"], sites)
    assert address == {"coastheraldmedia"}
    assert pick_authors([[], ["Coast Herald Media"]], sites, address) == ()
    assert outlet_address(["Coast Herald Media - https://coastnews.example/"], sites) == address
    # another host is a link in the byline, not the outlet's own address
    assert outlet_address(["Jan Berg (www.janberg.example)"], sites) == set()


def test_author_profile_links_come_last() -> None:
    body = """<p class="meta-info">von <a href="/autoren/name/max-kolbe">Dr. Max Kolbe</a></p>
    <p>Read <a href="/news/authority-report">the port authority's report</a> and
    <a href="/books/author-interview">our author interview</a>.</p>"""
    assert bylines(body) == ["Dr. Max Kolbe"]
    assert bylines('<a href="/news/authority/report">the port authority</a>') == []
