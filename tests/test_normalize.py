"""URL canonicalisation, date parsing, byline and dateline normalisation."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newswire.clean.datelines import split_dateline
from newswire.extract.authors import agency_in_byline, normalise_authors
from newswire.extract.dates import parse_datetime
from newswire.fetch.urls import TRACKING_PARAMS, canonicalize_url


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        # case, default port, fragment
        ("HTTPS://Example.COM:443/News/Story#top", "https://example.com/News/Story"),
        ("http://example.com:80/a", "http://example.com/a"),
        ("http://example.com:8080/a", "http://example.com:8080/a"),
        # tracking parameters dropped, others sorted and kept
        (
            "https://example.com/a?utm_source=x&utm_medium=y&fbclid=1&gclid=2&id=7&b=2&a=1",
            "https://example.com/a?a=1&b=2&id=7",
        ),
        (
            "https://example.com/a?mc_cid=1&mc_eid=2&ref=tw&ref_src=s&cmpid=c&ocid=o&igshid=i"
            "&_ga=g&spm=s&p=123",
            "https://example.com/a?p=123",
        ),
        ("https://example.com/?p=42&utm_campaign=z", "https://example.com/?p=42"),
        # AMP variants
        ("https://example.com/news/amp/story-1", "https://example.com/news/story-1"),
        ("https://example.com/amp/news/story-1", "https://example.com/news/story-1"),
        ("https://example.com/news/story-1/amp", "https://example.com/news/story-1"),
        ("https://example.com/news/story-1/amp/", "https://example.com/news/story-1"),
        ("https://example.com/news/story-1.amp", "https://example.com/news/story-1"),
        ("https://example.com/news/story-1.amp.html", "https://example.com/news/story-1.html"),
        ("https://example.com/news/story-1?amp=1", "https://example.com/news/story-1"),
        ("https://example.com/news/story-1?amp", "https://example.com/news/story-1"),
        ("https://example.com/news/s?outputType=amp&id=3", "https://example.com/news/s?id=3"),
        ("https://amp.example.com/news/story-1", "https://example.com/news/story-1"),
        (
            "https://www-example-com.cdn.ampproject.org/c/s/www.example.com/news/story-1/amp",
            "https://www.example.com/news/story-1",
        ),
        # mobile hosts
        ("https://m.example.com/news/story-1", "https://example.com/news/story-1"),
        ("https://mobile.example.co.uk/news/story-1", "https://example.co.uk/news/story-1"),
        # trailing slashes, root kept
        ("https://example.com/news/story-1/", "https://example.com/news/story-1"),
        ("https://example.com", "https://example.com/"),
        ("https://example.com/", "https://example.com/"),
        # words that merely contain "amp" or "m" are not variants
        ("https://example.com/camp/amped-up", "https://example.com/camp/amped-up"),
        ("https://media.example.com/a", "https://media.example.com/a"),
        ("https://m.com/a", "https://m.com/a"),
    ],
)
def test_canonicalize_url(url: str, expected: str) -> None:
    """Each URL rule: case, ports, fragments, tracking, AMP, mobile, slashes."""
    assert canonicalize_url(url) == expected
    assert canonicalize_url(expected) == expected  # idempotent


@pytest.mark.parametrize(
    "url", ["ftp://example.com/a", "mailto:desk@example.com", "http:///a", "/news/a", "", "x"]
)
def test_canonicalize_url_rejects(url: str) -> None:
    """Non-http(s) and hostless URLs raise ValueError."""
    with pytest.raises(ValueError):
        canonicalize_url(url)


def test_tracking_params_named() -> None:
    """The tracking constant names the usual suspects."""
    for name in ("utm_*", "fbclid", "gclid", "mc_cid", "mc_eid", "ref", "ref_src", "cmpid"):
        assert name in TRACKING_PARAMS
    for name in ("ocid", "igshid", "_ga", "spm"):
        assert name in TRACKING_PARAMS
    assert "id" not in TRACKING_PARAMS and "p" not in TRACKING_PARAMS


@pytest.mark.parametrize(
    ("value", "tz", "expected"),
    [
        ("2026-11-03T10:00:00Z", "UTC", datetime(2026, 11, 3, 10, 0, tzinfo=UTC)),
        ("2026-11-03T10:00:00+01:00", "UTC", datetime(2026, 11, 3, 9, 0, tzinfo=UTC)),
        ("2026-11-03T10:00:00.250-05:00", "UTC", datetime(2026, 11, 3, 15, 0, 0, 250000, UTC)),
        ("2026-11-03 10:00", "Europe/Paris", datetime(2026, 11, 3, 9, 0, tzinfo=UTC)),
        ("2026-07-03 10:00", "Europe/Paris", datetime(2026, 7, 3, 8, 0, tzinfo=UTC)),
        ("2026-11-03", "America/New_York", datetime(2026, 11, 3, 5, 0, tzinfo=UTC)),
        ("Tue, 03 Nov 2026 10:00:00 GMT", "Asia/Tokyo", datetime(2026, 11, 3, 10, tzinfo=UTC)),
        ("Tue, 03 Nov 2026 10:00:00 -0500", "UTC", datetime(2026, 11, 3, 15, 0, tzinfo=UTC)),
        ("Tue, 03 Nov 2026 10:00:00 EST", "UTC", datetime(2026, 11, 3, 15, 0, tzinfo=UTC)),
        ("November 3, 2026 10:00 AM EST", "UTC", datetime(2026, 11, 3, 15, 0, tzinfo=UTC)),
        ("3 Nov 2026 18:30", "Europe/London", datetime(2026, 11, 3, 18, 30, tzinfo=UTC)),
        ("  2026-11-03T10:00:00Z ", "UTC", datetime(2026, 11, 3, 10, 0, tzinfo=UTC)),
    ],
)
def test_parse_datetime(value: str, tz: str, expected: datetime) -> None:
    """ISO 8601, RFC 822 and common formats become aware UTC datetimes."""
    parsed = parse_datetime(value, tz)
    assert parsed == expected
    assert parsed is not None and parsed.tzinfo == UTC


@pytest.mark.parametrize("value", [None, "", "   ", "garbage", "yesterday", "March 5", "99:99"])
def test_parse_datetime_unparseable(value: str | None) -> None:
    """Unparseable values (and values without a year) give None."""
    assert parse_datetime(value) is None


def test_parse_datetime_unknown_zone_falls_back_to_utc() -> None:
    """An unknown default timezone is treated as UTC rather than failing."""
    assert parse_datetime("2026-11-03 10:00", "Mars/Base") == datetime(2026, 11, 3, 10, tzinfo=UTC)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, ()),
        ("", ()),
        ("By Jane Doe", ("Jane Doe",)),
        ("By JOHN ROE and MARIA LOPEZ Associated Press", ("John Roe", "Maria Lopez")),
        ("By JOHN ROE and MARIA LOPEZ, Associated Press", ("John Roe", "Maria Lopez")),
        ("Jane Doe; John Roe", ("Jane Doe", "John Roe")),
        ("Jane Doe, John Roe & Ann Lee", ("Jane Doe", "John Roe", "Ann Lee")),
        ("Reporting by Jane Doe; Editing by Tom Hale", ("Jane Doe",)),
        (
            "Reporting by Jane Doe; Additional reporting by Max Roe; Writing by Ann Lee",
            ("Jane Doe", "Max Roe", "Ann Lee"),
        ),
        ("Jane Doe (Reuters)", ("Jane Doe",)),
        ("Jane Doe | Reuters", ("Jane Doe",)),
        ("Jane Doe, AP Staff Writer", ("Jane Doe",)),
        ("Jane Doe, Staff Writer", ("Jane Doe",)),
        ("AFP", ()),
        ("By The Associated Press", ()),
        ("Reuters Staff", ()),
        ("staff", ()),
        ("AP Photo/Evan Roe", ()),
        ("Jane Doe; Photo: John Roe/Reuters", ("Jane Doe",)),
        ("By Jane Doe jane.doe@example.com @janedoe", ("Jane Doe",)),
        (["Jane Doe", "jane doe", "By JANE DOE"], ("Jane Doe",)),
        ("By SEAN O'BRIEN", ("Sean O'Brien",)),
        ("By MARY SMITH-JONES III", ("Mary Smith-Jones III",)),
        ("Par Jean DUPONT et Marie Curie", ("Jean Dupont", "Marie Curie")),
        ("Von Hans Müller und Eva Schmidt", ("Hans Müller", "Eva Schmidt")),
        ("Byron Andrews", ("Byron Andrews",)),
        ("Anna de Vries", ("Anna de Vries",)),
        ("Trine Holm og Aka Berg", ("Trine Holm", "Aka Berg")),
        ("Lena Ek och Per Lind", ("Lena Ek", "Per Lind")),
        ("Ana Ruiz y Luis Gil", ("Ana Ruiz", "Luis Gil")),
        ("Elena Roth (ero); Urs Kehl (uk)", ("Elena Roth", "Urs Kehl")),
        ("Maria Eduarda Lopes", ("Maria Eduarda Lopes",)),
        ("CNW Staff", ()),
        ("Gazette staff reporter", ()),
        ("Jane Doe Staff Writer", ("Jane Doe",)),
        ("Magazin Von Jana Kehl", ("Jana Kehl",)),  # a brand label run into the byline
        ("Weekend By Jane Doe and John Roe", ("Jane Doe", "John Roe")),
        ("Ursula Von Der Leyen", ("Ursula Von Der Leyen",)),  # a surname particle stays
        ("Jane Von Trapp", ("Jane Von Trapp",)),
        ("Anna Par Excellence", ("Anna Par Excellence",)),
        # national agencies are agencies too, not people
        ("Paula Steiger, SDA", ("Paula Steiger",)),
        ("APA", ()),
        ("Konstantin Furrer und Deutsche Presse-Agentur", ("Konstantin Furrer",)),
        ("Kyodo News", ()),
        ("Ana Ruiz; Agencia EFE", ("Ana Ruiz",)),
    ],
)
def test_normalise_authors(raw: str | list[str] | None, expected: tuple[str, ...]) -> None:
    """Bylines split into people, without agencies, roles, contacts or duplicates."""
    assert normalise_authors(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("By JOHN ROE and MARIA LOPEZ Associated Press", "AP"),
        ("Jane Doe (Reuters)", "Reuters"),
        ("Jane Doe, AP Staff Writer", "AP"),
        ("Par Jean Dupont, AFP", "AFP"),
        ("Paula Steiger, SDA", "SDA"),
        ("Konstantin Furrer und Deutsche Presse-Agentur", "dpa"),
        ("Press Trust of India", "PTI"),
        ("Jane Doe", None),
        (None, None),
    ],
)
def test_agency_in_byline(raw: str | None, expected: str | None) -> None:
    """The agency a byline names, in canonical form."""
    assert agency_in_byline(raw) == expected


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        ("WASHINGTON  (Reuters) —", ("WASHINGTON", "Reuters", "")),
        ("WASHINGTON (Reuters)", ("WASHINGTON", "Reuters", "")),
        ("PARIS (AFP) - Le gouvernement a", ("PARIS", "AFP", "Le gouvernement a")),
        ("NEW YORK, Jan 15 (Reuters) - Stocks fell.", ("NEW YORK", "Reuters", "Stocks fell.")),
        ("NEW YORK, Jan. 15, 2026 (Reuters) -- Stocks", ("NEW YORK", "Reuters", "Stocks")),
        ("LONDON (AP) — The barrier", ("LONDON", "AP", "The barrier")),
        ("SAN JUAN, Puerto Rico (AP) — Power", ("SAN JUAN", "AP", "Power")),
        ("ST. LOUIS (AP) – A jury", ("ST. LOUIS", "AP", "A jury")),
        ("BERLIN (Associated Press) — Text", ("BERLIN", "AP", "Text")),
        ("SÃO PAULO (Reuters) - Brazil's", ("SÃO PAULO", "Reuters", "Brazil's")),
        ("PARIS, 3 novembre 2026 (AFP) - Des", ("PARIS", "AFP", "Des")),
        ("WIEN (APA) - Die Regierung", ("WIEN", "APA", "Die Regierung")),
        ("MADRID (EFE) — El Gobierno", ("MADRID", "EFE", "El Gobierno")),
        ("SEOUL (Yonhap) -- North Korea", ("SEOUL", "Yonhap", "North Korea")),
    ],
)
def test_split_dateline(paragraph: str, expected: tuple[str, str, str]) -> None:
    """Leading datelines split into place, canonical agency and the rest."""
    assert split_dateline(paragraph) == expected


@pytest.mark.parametrize(
    "paragraph",
    [
        "The union (AP) - said",
        "Washington (Reuters) - lower-case place is not a dateline",
        "WASHINGTON — no agency",
        "WASHINGTON (AP Photo/Evan Roe)",
        "Officials in WASHINGTON (Reuters) — said",
        "LONDON (BBC) — unknown agency",
        "",
    ],
)
def test_split_dateline_leaves_other_text(paragraph: str) -> None:
    """Text that is not a wire dateline is returned unchanged."""
    assert split_dateline(paragraph) == (None, None, paragraph)
