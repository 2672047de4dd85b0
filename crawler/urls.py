"""Canonical article URLs: one URL per article whatever link led to it."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Query parameters that only track the reader; everything else may identify content and is kept.
_TRACKING = re.compile(
    r"^(utm_\w+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|igshid|mc_[ce]id|_ga|_gl|ref|ref_src|"
    r"refsrc|src|source|from|zarsrc|zacc|vn_source|vn_medium|vn_campaign|vn_term|vn_content|vnsource|"
    r"share|amp|outputType|output|itm_\w+|cmpid|sid|s_cid|rss|rssid)$",
    re.IGNORECASE,
)
_MOBILE_HOST = re.compile(r"^(m|mobile|amp|wap)\.", re.IGNORECASE)
_AMP_PATH = re.compile(r"(/amp(?=/|$)|\.amp(?=\.html?$))", re.IGNORECASE)


def canonical_url(url: str) -> str:
    """Scheme https, host lower-case without www./m./amp., no fragment, no tracking parameters, no AMP path.

    >>> canonical_url("http://m.VnExpress.net/amp/phap-luat/vu-an-123.html?utm_source=fb#comments")
    'https://vnexpress.net/phap-luat/vu-an-123.html'
    """
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().rstrip(".")
    host = _MOBILE_HOST.sub("", host)
    host = host.removeprefix("www.")
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    path = _AMP_PATH.sub("", parts.path) or "/"
    path = re.sub(r"/{2,}", "/", path)
    if len(path) > 1:
        path = path.rstrip("/")  # …/bai-viet/ and …/bai-viet are one article
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)]
    scheme = "https" if parts.scheme in ("http", "https", "") else parts.scheme
    if parts.port and parts.port not in (80, 443):
        scheme = parts.scheme or "http"  # a non-standard port (the replay site) keeps its scheme
    return urlunsplit((scheme, host, path, urlencode(sorted(query)), ""))


def domain_of(url: str) -> str:
    """The registrable-looking host of a URL without www./m. (for matching outlets)."""
    host = (urlsplit(url).hostname or "").lower()
    return _MOBILE_HOST.sub("", host).removeprefix("www.")
