"""Page metadata, headline choice, dates not after the fetch, outlet names and pruning."""

from __future__ import annotations

from datetime import UTC, datetime

import lxml.html
import pytest

from newswire.extract.article import _dated
from newswire.extract.authors import drop_site_names, pick_authors
from newswire.extract.metadata import (
    PageMeta,
    host_names,
    load_jsonld,
    parse_html,
    published_dates,
    read_meta,
)
from newswire.extract.prune import other_stories, prune_boilerplate
from newswire.extract.title import drop_confirmed_kicker, pick_title

FETCHED = datetime(2026, 11, 3, 15, 0, tzinfo=UTC)


def test_parse_html_builds_the_tree_lxml_html_builds() -> None:
    page = (
        "<!DOCTYPE html><html><head><title>T</title><!-- note --></head><body>"
        "<article><h1>Storm closes the port</h1><p>First <b>bold</b> line.</p>"
        "<form><label>Mail</label><input name=m><select><option>a</option></select></form>"
        "<aside class=related><p>Other story</p></aside></article></body></html>"
    )
    tree = parse_html(page)
    reference = lxml.html.document_fromstring(page)
    assert lxml.html.tostring(tree) == lxml.html.tostring(reference)
    elements = [e for e in tree.iter() if isinstance(e.tag, str)]
    assert len(elements) == len([e for e in reference.iter() if isinstance(e.tag, str)])
    assert all(isinstance(e, lxml.html.HtmlElement) for e in elements)
    assert tree.find(".//article").text_content().startswith("Storm closes the portFirst bold")
    tree.find(".//aside").drop_tree()  # HtmlElement's own methods work on every element
    assert "Other story" not in tree.text_content()
    with pytest.raises(lxml.etree.ParserError):
        parse_html("")


def test_headline_most_sources_agree_on_wins() -> None:
    meta = PageMeta(
        headline="Storm closes the port",
        h1=["Storm closes the port"],
        title="Storm closes the port | Coast News",
        html_title="Storm closes the port - Local - Coast News",
    )
    assert pick_title(meta) == "Storm closes the port"


def test_heading_agreeing_with_html_title_beats_a_logo_h1() -> None:
    # no JSON-LD headline or og:title: the heading the <title> prints wins, not the first <h1>
    meta = PageMeta(
        h1=["The Valley Ledger", "Sections"],
        subheads=["Business News", "Growers sue insurer over frost payouts", "More stories"],
        html_title="Growers sue insurer over frost payouts - Business - Valley Ledger",
        site_names=["Valley Ledger"],
    )
    assert pick_title(meta) == "Growers sue insurer over frost payouts"
    # an <h1> the <title> prints whole beats a <h2> printing it too (earlier wins a tie)
    meta.h1 = ["Growers sue insurer over frost payouts"]
    meta.subheads = ["Growers sue insurer over frost payouts!"]
    assert pick_title(meta) == "Growers sue insurer over frost payouts"
    # a heading with only a few of the <title>'s words (a section name) does not agree
    meta.h1, meta.subheads = ["Valley Business"], []
    meta.html_title = "Valley Business: Growers sue insurer over late frost payouts"
    assert pick_title(meta) == "Valley Business"  # no agreement: the sources vote as before


def test_social_title_loses_to_visible_headline_and_jsonld() -> None:
    meta = PageMeta(
        headline="Council backs flood wall after three stormy winters",
        h1=["Council backs flood wall after three stormy winters"],
        title="You won't believe what the council just decided",
    )
    assert pick_title(meta) == "Council backs flood wall after three stormy winters"


def test_tie_goes_to_the_visible_headline() -> None:
    # JSON-LD and <title> print one headline, <h1> and og:title another: the <h1> decides
    meta = PageMeta(
        headline="Port reopens after storm damage is repaired",
        h1=["Storm-hit port reopens to ferries"],
        title="Storm-hit port reopens to ferries",
        html_title="Port reopens after storm damage is repaired",
    )
    assert pick_title(meta) == "Storm-hit port reopens to ferries"


def test_kicker_dropped_only_when_another_source_confirms_it() -> None:
    headline = "Harbour Week: Ferry crews vote to end the winter strike"
    confirmed = PageMeta(headline=headline, h1=[headline], title=headline.split(": ", 1)[1])
    assert pick_title(confirmed) == "Ferry crews vote to end the winter strike"
    # a headline that merely contains a colon keeps it: no source prints it without
    alone = PageMeta(headline=headline, h1=[headline], title=headline)
    assert pick_title(alone) == headline
    # an <h1> without the kicker does not count (pages print the kicker as a label over it)
    label = PageMeta(headline=headline, h1=["Ferry crews vote to end the winter strike"])
    label.title = headline
    assert pick_title(label) == headline
    # the part after the colon must be a headline, not a fragment
    assert drop_confirmed_kicker("Tony Blair: Why", ["Why"]) == "Tony Blair: Why"


def test_two_sources_with_different_short_kickers_agree_on_the_headline() -> None:
    meta = PageMeta(
        h1=["Winter storms - Ferry crews vote to end the strike"],
        title="Island routes: Ferry crews vote to end the strike",
        html_title="Island routes: Ferry crews vote to end the strike - Bay Courier",
    )
    assert pick_title(meta) == "Ferry crews vote to end the strike"
    # the same kicker with another separator is no disagreement
    same = ["Island routes - Ferry crews vote to end the strike"]
    title = "Island routes: Ferry crews vote to end the strike"
    assert drop_confirmed_kicker(title, [], same) == title
    # a long opening clause is part of the headline, not a kicker
    long_title = "Harbourtown has failed its ferry crews: here is what the council must do"
    rival = ["Harbourtown council has failed its ferry crews: here is what the council must do"]
    assert drop_confirmed_kicker(long_title, [], rival) == long_title


def test_headline_spelled_without_display_quotes_wins() -> None:
    # the <h1> and og:title quote the opening phrase, the JSON-LD headline prints it plain
    quoted = '"Stay indoors"... Storm nears the coast with gales at 120 km/h'
    meta = PageMeta(
        headline="Stay indoors... Storm nears the coast with gales at 120 km/h",
        h1=[quoted],
        title=f"{quoted} | Coast News",
    )
    assert pick_title(meta) == "Stay indoors... Storm nears the coast with gales at 120 km/h"
    # curly against straight quotes is no plainer spelling: the sources agreeing win
    curly = "Port to fight \u2018unfair\u2019 fees, citing the harbour\u2019s losses"
    straight = PageMeta(headline=curly, h1=[curly], title=curly.replace("\u2019", "'"))
    assert pick_title(straight) == curly


def test_h1_run_together_gives_way_to_the_spelling_of_meta_sources() -> None:
    # "<h1><span>Harbour Week</span>Ferry crews...</h1>" reads "Harbour WeekFerry crews..."
    spelled = "Harbour Week / Ferry crews vote to end the winter strike"
    meta = PageMeta(
        headline="Ferry crews vote to end the winter strike",
        h1=["Harbour WeekFerry crews vote to end the winter strike"],
        title=spelled,
    )
    # og:title prints the kicker: the JSON-LD headline without it does not drop it
    assert pick_title(meta) == spelled
    # a meta spelling cut with an ellipsis is no better than the <h1>'s
    h1 = "Ferry crews vote to end the winter strike, union says"
    cut = PageMeta(headline="Ferry crews vote to end the winter strike, union says...", h1=[h1])
    assert pick_title(cut) == h1


def test_jsonld_headline_without_kicker_drops_it_only_when_og_title_agrees() -> None:
    headline = "Harbour Week: Ferry crews vote to end the winter strike"
    kept = PageMeta(headline=headline.split(": ", 1)[1], h1=[headline], title=headline)
    assert pick_title(kept) == headline
    dropped = PageMeta(headline=headline.split(": ", 1)[1], h1=[headline], title=None)
    dropped.html_title = headline
    assert pick_title(dropped) == "Ferry crews vote to end the winter strike"


def test_authors_come_from_the_first_source_naming_people() -> None:
    sites = ["Coast News", "coastnews.example"]
    people = ["Maya Okafor"]
    # JSON-LD persons beat a byline that mixes in an organisation or inverts names
    assert pick_authors([people, ["Okafor, Maya; Coast Desk"], []], sites) == ("Maya Okafor",)
    # a source naming only the outlet does not count: the next one is used
    assert pick_authors([["Coast News"], ["By Lars Berg"], []], sites) == ("Lars Berg",)
    assert pick_authors([[], [], ["Coast News"]], sites) == ()


def test_dates_after_the_fetch_are_skipped() -> None:
    candidates = [("2026-11-09T08:00:00Z", "meta"), ("2026-11-03T07:45:00Z", "time")]
    assert _dated(candidates, "UTC", FETCHED) == (
        datetime(2026, 11, 3, 7, 45, tzinfo=UTC),
        "time",
    )
    assert _dated([("2026-11-04", "jsonld")], "UTC", FETCHED) == (None, None)
    assert _dated([("not a date", "meta"), (None, "text")], "UTC", FETCHED) == (None, None)


def test_outlet_and_host_names_are_not_authors() -> None:
    sites = ["Heise Online", *host_names("https://www.wdr.de/nachrichten/x.html")]
    authors = ("Dirk Knop", "Heise Online", "Wdr", "Wdr De")
    assert drop_site_names(authors, sites) == ("Dirk Knop",)
    assert host_names("https://www.wdr.de/a") == ["wdr.de", "wdr"]


def test_read_meta_fields() -> None:
    html = """<html lang="fr-FR"><head>
    <meta property="article:section" content="Économie">
    <meta name="keywords" content="grève, transports, grève">
    <meta property="article:modified_time" content="2026-11-03T10:00:00+01:00">
    <script type="application/ld+json">{"@type": "NewsArticle", "headline": "Grève &amp; trains",
      "isAccessibleForFree": "false",
      "author": [{"@type": "Person", "name": "Claire Dubois"},
                 {"@type": "Organization", "name": "AFP"}]}
    </script></head><body><div class="article premium-content"><h1>Grève</h1></div></body></html>"""
    meta = read_meta(lxml.html.document_fromstring(html), "https://journal.example/a")
    assert meta.language == "fr" and meta.section == "Économie"
    assert meta.tags == ["grève", "transports"]
    assert meta.headline == "Grève & trains"  # entities decoded
    assert meta.free is False and meta.paywall_markup == ["premium-content"]
    assert meta.jsonld_people == ["Claire Dubois"]
    assert meta.modified == [("2026-11-03T10:00:00+01:00", "meta")]


@pytest.mark.parametrize(
    "head, body",
    [
        ("", ""),
        (
            '<meta name="date" content="2026-01-02"><meta property="article:published_time"'
            ' content="2026-01-03T08:00:00Z">',
            "",
        ),
        (
            '<script type="application/ld+json">[{"@type": "WebPage",'
            ' "datePublished": "2020-01-01"}, {"@type": "NewsArticle",'
            ' "datePublished": "2026-01-04T09:00:00Z"}]</script>'
            '<script type="application/ld+json">{broken</script>'
            '<script type="application/ld+json">{"@graph": [{"@type": "ReportageNewsArticle",'
            ' "datePublished": "2026-01-05"}]}</script><meta name="pubdate" content="2026-01-06">',
            '<time itemprop="datePublished" datetime="2026-01-07T10:00">7 Jan</time>'
            '<time itemprop="dateModified" datetime="2026-01-08">8 Jan</time><time>9 Jan</time>',
        ),
    ],
)
def test_published_dates_are_read_meta_published(head: str, body: str) -> None:
    """Discovery's cheap reading of the dates lists what extraction reads, in the same order."""
    tree = lxml.html.document_fromstring(
        f"<html><head>{head}</head><body><p>Text.</p>{body}</body></html>"
    )
    assert list(published_dates(tree)) == read_meta(tree, "https://x.example/a").published


def test_prune_removes_related_containers_and_link_lists_only() -> None:
    story = " ".join(["The council approved the plan after a long debate on Monday."] * 6)
    html = f"""<html><body><article>
    <p>{story}</p>
    <ul><li>Residents asked for more crossings near the school and the market.</li>
        <li>Shop owners asked for loading bays on the side streets.</li></ul>
    <div class="related-stories"><p><a href="/x">Earlier: council delays the vote</a></p></div>
    <ul><li><a href="/a">Bus fares rise in January</a></li>
        <li><a href="/b">New tram depot</a></li></ul>
    <div class="share-buttons"><a href="#">Facebook</a></div>
    </article></body></html>"""
    tree = lxml.html.document_fromstring(html)
    assert prune_boilerplate(tree) == 3
    text = tree.text_content()
    assert "Residents asked for more crossings" in text and story[:40] in text
    assert "Bus fares" not in text and "Earlier:" not in text and "Facebook" not in text


def test_prune_keeps_a_container_holding_the_story() -> None:
    story = " ".join(["The council approved the plan after a long debate on Monday."] * 6)
    html = f'<html><body><div class="comments-enabled"><p>{story}</p></div></body></html>'
    tree = lxml.html.document_fromstring(html)
    assert prune_boilerplate(tree) == 0


def test_names_take_the_structured_data_spelling() -> None:
    from newswire.extract.authors import _spelled_as

    names = ("María R Sahuquillo", "Jane Doe")
    assert _spelled_as(names, ("María R. Sahuquillo",)) == ("María R. Sahuquillo", "Jane Doe")


def test_other_stories_are_the_articles_without_the_page_headline() -> None:
    html = (
        "<main><article><h1>Museum returns bronze figures</h1><p>Text.</p></article>"
        "<article><h2>Council keeps night buses</h2><p>Other story.</p></article>"
        "<article><p>A card without a heading.</p></article></main>"
    )
    tree = lxml.html.document_fromstring(html)
    others = other_stories(tree, ["Museum returns bronze figures"])
    assert [o.text_content() for o in others] == ["Council keeps night busesOther story."]
    assert other_stories(tree, ["A headline printed nowhere on the page"]) == []
    prune_boilerplate(tree, ["Museum returns bronze figures"])
    assert "night buses" not in tree.text_content()


def test_social_bar_pruned_but_a_social_affairs_story_stays() -> None:
    story = " ".join(["The ministry of social affairs said pensions would rise."] * 20)
    html = (
        f"<div class='social-affairs'><p>{story}</p>"
        "<div class='article-social'><p>Report an error in this article.</p></div></div>"
    )
    tree = lxml.html.document_fromstring(html)
    prune_boilerplate(tree)
    text = tree.text_content()
    assert "pensions would rise" in text and "Report an error" not in text


@pytest.mark.parametrize(
    "text",
    [
        '{"headline": "Night trains return"}',
        '\n  <![CDATA[\n  {"headline": "Night trains return"}\n  ]]>\n',
        '//<![CDATA[\n{"headline": "Night trains return"}\n//]]>',
        '<!-- {"headline": "Night trains return"} -->',
        '{"headline": "Night trains return"};',
        '{"headline": "Night trains return"}\n}',
    ],
)
def test_jsonld_read_past_wrappers_and_trailing_junk(text: str) -> None:
    assert load_jsonld(text) == {"headline": "Night trains return"}


def test_jsonld_without_a_value_is_invalid() -> None:
    with pytest.raises(ValueError):
        load_jsonld("<![CDATA[ ]]>")
    with pytest.raises(ValueError):
        load_jsonld("var page = {};")


def test_cdata_jsonld_gives_the_date_and_headline() -> None:
    tree = parse_html(
        '<html><head><script type=\'application/ld+json\'><![CDATA[{"@type": "NewsArticle",'
        ' "headline": "Night trains return", "datePublished": "2026-10-30"}]]>'
        "</script></head><body><p>x</p></body></html>"
    )
    meta = read_meta(tree, "https://news.example/a")
    assert meta.headline == "Night trains return"
    assert meta.published[0] == ("2026-10-30", "jsonld")
    assert next(published_dates(tree)) == ("2026-10-30", "jsonld")
