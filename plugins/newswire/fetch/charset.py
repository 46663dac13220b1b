"""Charsets: the one sniffer of declared charsets (header, BOM, <meta>, <?xml?>) and the decoder
of page bodies (declared charset if it fits, UTF-8, the language's legacy codec, detection)."""

from __future__ import annotations

import codecs
import logging
import re

from trafilatura.utils import detect_encoding as detect_charsets

from newswire.models import Page

logger = logging.getLogger(__name__)

# Bytes of body searched for <meta charset> / <?xml encoding> (as the HTML spec does).
SNIFF_BYTES = 4096
_CHARSET_RE = re.compile(rb"""<meta[^>]{0,512}?charset\s*=\s*["']?\s*([a-zA-Z0-9_.:\-]+)""", re.I)
_XML_ENCODING_RE = re.compile(rb"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([a-zA-Z0-9_.:\-]+)""")
_HEADER_CHARSET_RE = re.compile(r"""charset\s*=\s*["']?\s*([^"';,\s]+)""", re.I)
_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))

# Charset labels that browsers (WHATWG) decode as another, wider codec.
CHARSET_ALIASES: dict[str, str] = dict.fromkeys(
    ("latin1", "latin-1", "iso-8859-1", "iso8859-1", "iso_8859-1", "us-ascii", "ascii"), "cp1252"
)

# Codec for undeclared, non-UTF-8 bytes when nothing better is known (the web's default).
DEFAULT_CHARSET = "cp1252"

# Single-byte Latin codecs that charset detectors confuse with each other on short pages;
# a guess among them is replaced by DEFAULT_CHARSET.
LATIN_CODECS = frozenset(
    codecs.lookup(c).name
    for c in ("cp1250", "cp1252", "latin-1", "iso8859-2", "iso8859-15", "cp1257", "mac-roman")
)

# Encodings a browser decodes (WHATWG Encoding Standard). Detector guesses outside this set
# (DOS code pages such as cp775 or cp850, picked for short Latin-1 text) are never meant.
WEB_CODECS = frozenset(
    codecs.lookup(c).name
    for c in (
        *("utf-8", "utf-16-le", "utf-16-be", "cp866", "koi8-r", "koi8-u", "mac-roman"),
        *(f"iso8859-{n}" for n in (2, 3, 4, 5, 6, 7, 8, 10, 13, 14, 15, 16)),
        *(f"cp{n}" for n in (874, 1250, 1251, 1252, 1253, 1254, 1255, 1256, 1257, 1258)),
        *("mac-cyrillic", "gbk", "gb18030", "big5", "big5hkscs", "euc-jp", "iso2022-jp"),
        *("shift_jis", "euc-kr"),
    )
)

# Legacy codec of undeclared pages by source language (used before any detection).
LEGACY_CHARSETS: dict[str, str] = {
    **dict.fromkeys(("pl", "cs", "sk", "hu", "sl", "hr", "ro", "bs"), "cp1250"),
    **dict.fromkeys(("ru", "uk", "bg", "be", "mk", "sr"), "cp1251"),
    **dict.fromkeys(("ar", "fa", "ur"), "cp1256"),
    **dict.fromkeys(("lt", "lv", "et"), "cp1257"),
    **{"el": "cp1253", "tr": "cp1254", "he": "cp1255", "vi": "cp1258", "th": "cp874"},
    **{"ja": "shift_jis", "zh": "gb18030", "ko": "euc-kr"},
}


def _valid_codec(label: str | bytes | None) -> str | None:
    """The label lowercased when Python can decode bytes with it, else None."""
    name = (label.decode("ascii") if isinstance(label, bytes) else label or "").strip()
    try:
        b"a".decode(name, "replace")  # rejects unknown names and bytes codecs like base64
    except (LookupError, ValueError, TypeError):
        return None
    return name.lower() or None


def declared_charset(content_type_header: str, body: bytes) -> str | None:
    """Charset from the Content-Type header, else a BOM, <meta> or <?xml?> in the first 4 KiB."""
    match = _HEADER_CHARSET_RE.search(content_type_header)
    declared = _valid_codec(match.group(1) if match else None)
    if declared:
        return declared
    for bom, name in _BOMS:
        if body.startswith(bom):
            return name
    head = body[:SNIFF_BYTES]
    match_b = _XML_ENCODING_RE.search(head) or _CHARSET_RE.search(head)
    sniffed = _valid_codec(match_b.group(1) if match_b else None)
    if sniffed and sniffed.replace("-", "").replace("_", "").startswith(("utf16", "utf32")):
        return "utf-8"  # an ASCII-readable declaration cannot be UTF-16/32 (HTML spec rule)
    return sniffed


def _codec(label: str | None) -> str | None:
    """Python codec name for a charset label, or None when unknown."""
    if not label:
        return None
    name = CHARSET_ALIASES.get(label.strip().strip("\"'").lower(), label.strip().strip("\"'"))
    try:
        return codecs.lookup(name).name
    except LookupError:
        logger.debug("unknown charset label %r", label)
        return None


def _sniffed(body: bytes, language: str | None) -> str:
    """Decode bytes with no usable declaration: language's legacy codec, detection, cp1252."""
    legacy = _codec(LEGACY_CHARSETS.get((language or "").lower()))
    detected = (c for c in map(_codec, detect_charsets(body)) if c in WEB_CODECS)
    # detectors confuse single-byte Latin codecs with each other: use the default for those
    guesses = (
        [legacy] if legacy else [DEFAULT_CHARSET if c in LATIN_CODECS else c for c in detected]
    )
    for codec in guesses:
        if codec is None:
            continue
        try:
            return body.decode(codec)
        except UnicodeDecodeError:
            logger.debug("sniffed charset %s does not fit", codec)
    return body.decode(DEFAULT_CHARSET, errors="replace")


def decode_body(page: Page, language: str | None = None) -> str:
    """Decode the page body: declared charset, BOM, <meta charset>, UTF-8, then sniffing."""
    body = page.body
    if body.startswith(codecs.BOM_UTF8):
        return body.decode("utf-8-sig", errors="replace")
    if body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return body.decode("utf-16", errors="replace")
    sniffed = _CHARSET_RE.search(body[:SNIFF_BYTES])
    candidates = [
        _codec(page.encoding),
        _codec(sniffed.group(1).decode("ascii")) if sniffed else None,
    ]
    declared = [*dict.fromkeys(c for c in candidates if c)]
    if declared and declared[0] in LATIN_CODECS and not body.isascii():
        # valid UTF-8 with non-ASCII bytes is almost never Latin text: a wrong declaration
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError:
            logger.debug("body of %s is not UTF-8", page.final_url)
    for codec in [*declared, "utf-8"]:
        try:
            return body.decode(codec)
        except UnicodeDecodeError:
            logger.debug("body of %s is not %s", page.final_url, codec)
    return _sniffed(body, language)
