"""Canonical URLs: the one form a URL is known by (frontier key, article and alias key)."""

from __future__ import annotations

import logging
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from courlan.clean import normalize_url

logger = logging.getLogger(__name__)

# Query parameters that only track a click or a campaign and never select content.
# Matched case-insensitively; entries ending in "*" are prefixes.
TRACKING_PARAMS: frozenset[str] = frozenset(
    {
        # campaign tag families: Google Analytics, internal campaigns, Vero, Matomo/Piwik, AT
        *("utm_*", "itm_*", "vero_*", "pk_*", "mtm_*", "at_*"),
        # ad-click ids: Facebook, Google Ads, DoubleClick, Microsoft, Twitter/X, Yandex
        *("fbclid", "gclid", "gclsrc", "dclid", "msclkid", "twclid", "yclid"),
        # email campaigns: Mailchimp, HubSpot, Marketo
        *("mc_cid", "mc_eid", "_hsenc", "_hsmi", "mkt_tok"),
        # referrer markers
        *("ref", "ref_src", "ref_url", "referrer"),
        # publisher campaign ids (MSN ocid, NYT smid, Adobe s_cid, AT xtor, Guardian-style ito)
        *("cmpid", "cmp", "ocid", "smid", "s_cid", "icid", "cid", "taid", "xtor", "ito"),
        # social shares: Instagram, Facebook, share-sheet markers
        *("igshid", "igsh", "fb_action_ids", "fb_action_types", "fb_source", "share"),
        *("sr_share", "feature"),
        # analytics linkers and others: Google _ga/_gl, Alibaba spm, Webtrends, comScore
        *("_ga", "_gl", "spm", "wt_mc", "ns_mchannel", "ns_source", "ns_campaign"),
        *("ns_linkname", "ns_fee"),
        # Yahoo consent-redirect noise
        *("guccounter", "guce_referrer", "guce_referrer_sig"),
    }
)

# Query parameters (name, value) that ask for the AMP rendering of a page.
AMP_PARAMS: frozenset[tuple[str, str]] = frozenset(
    {("amp", ""), ("amp", "1"), ("amp", "true"), ("outputtype", "amp"), ("output", "amp")}
)

# Host prefixes of AMP and mobile variants of a site, collapsed to the plain host.
VARIANT_HOST_PREFIXES: tuple[str, ...] = ("amp.", "m.", "mobile.")

# Path suffixes of AMP renderings, mapped to the plain page's suffix (longest first).
AMP_PATH_SUFFIXES: tuple[tuple[str, str], ...] = ((".amp.html", ".html"), (".amp", ""))

# Google's AMP cache host suffix: https://www-example-com.cdn.ampproject.org/c/s/www.example.com/x
AMP_CACHE_SUFFIX = ".cdn.ampproject.org"

_AMP_CACHE_PATH = re.compile(r"^/(?:[a-z]/)*?(?P<secure>s/)?(?P<rest>[^/]+\..+)$")


def _is_tracking(name: str) -> bool:
    """True when a query parameter name is a tracking parameter."""
    lowered = name.lower()
    if lowered in TRACKING_PARAMS:
        return True
    return any(p.endswith("*") and lowered.startswith(p[:-1]) for p in TRACKING_PARAMS)


def _unwrap_amp_cache(url: str) -> str:
    """Turn a Google AMP cache URL into the publisher URL it wraps."""
    parts = urlsplit(url)
    if not (parts.hostname or "").endswith(AMP_CACHE_SUFFIX):
        return url
    match = _AMP_CACHE_PATH.match(parts.path)
    if match is None:
        return url
    scheme = "https" if match.group("secure") else "http"
    query = f"?{parts.query}" if parts.query else ""
    return f"{scheme}://{match.group('rest')}{query}"


def _collapse_amp_path(path: str) -> str:
    """Drop AMP path segments and suffixes."""
    segments = [s for s in path.split("/") if s.lower() != "amp"]
    collapsed = "/".join(segments) or "/"
    if path.endswith("/") and not collapsed.endswith("/"):
        collapsed += "/"
    lowered = collapsed.lower()
    for suffix, replacement in AMP_PATH_SUFFIXES:
        if lowered.endswith(suffix) and len(collapsed) > len(suffix) + 1:
            return collapsed[: -len(suffix)] + replacement
    return collapsed


def canonicalize_url(url: str) -> str:
    """Canonical form of an article URL: no tracking, AMP, mobile host, fragment or port noise."""
    url = _unwrap_amp_cache(url.strip())
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise ValueError(f"not an http(s) URL: {url!r}")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise ValueError(f"URL without host: {url!r}")
    for prefix in VARIANT_HOST_PREFIXES:
        if host.startswith(prefix) and "." in host[len(prefix) :]:
            host = host[len(prefix) :]
            break
    try:
        port = parts.port
    except ValueError as exc:
        raise ValueError(f"bad port in URL: {url!r}") from exc
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = host if port is None else f"{host}:{port}"
    if parts.username or parts.password:
        logger.debug("dropping credentials from %s", host)
    params = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not _is_tracking(k) and (k.lower(), v.lower()) not in AMP_PARAMS
    ]
    path = _collapse_amp_path(parts.path or "/")
    # courlan lowercases scheme/host, drops default ports and normalises path escapes
    base = normalize_url(
        urlunsplit((scheme, netloc, path, "", "")), strict=True, trailing_slash=False
    )
    base_parts = urlsplit(base)
    base_path = base_parts.path.rstrip("/") or "/"
    query = urlencode(sorted(params), doseq=True)
    return urlunsplit((base_parts.scheme, base_parts.netloc, base_path, query, ""))
