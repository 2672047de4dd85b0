"""Who may read the portal feed: the portal's importer, with the API key (header `X-API-Key` or `?key=`) or an
HMAC-signed URL with an expiry (`?expires=UNIX&signature=HEX`). No session, no cookie: the importer is a program.

The signature is HMAC-SHA256 under `portal.url_key` of "<path>\\n<expires>" (the path only, so the importer may add
its paging parameters). Both the key and the signature are compared in constant time (the key through its SHA-256,
so that not even its length shows)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from urllib.parse import urlencode

from dashboards.settings import PortalSettings

KEY_HEADER = "x-api-key"
KEY_PARAM = "key"
EXPIRES_PARAM = "expires"
SIGNATURE_PARAM = "signature"
MAX_VALUE = 512  # longer keys and signatures are wrong without looking further

OFF = (
    "Nguồn tin cho Cổng thông tin chưa được bật: quản trị viên cần đặt khóa truy cập "
    "(portal.api_key) hoặc khóa ký đường dẫn (portal.url_key)."
)
MISSING = (
    "Cần khóa truy cập (tiêu đề X-API-Key hoặc tham số key) hoặc đường dẫn có chữ ký còn hạn để đọc nguồn tin "
    "cho Cổng thông tin."
)
WRONG_KEY = "Khóa truy cập không đúng."
WRONG_SIGNATURE = "Chữ ký của đường dẫn không đúng."
EXPIRED = "Đường dẫn có chữ ký đã hết hạn; xin quản trị viên cấp đường dẫn mới."


def signature(key: str, path: str, expires: int) -> str:
    return hmac.new(key.encode(), f"{path}\n{expires}".encode(), hashlib.sha256).hexdigest()


def signed_url(key: str, path: str, expires_at: dt.datetime) -> str:
    """`path` with an expiry and its signature: what to give the portal's importer instead of the key."""
    expires = int(expires_at.timestamp())
    return f"{path}?{urlencode({EXPIRES_PARAM: expires, SIGNATURE_PARAM: signature(key, path, expires)})}"


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(
        hashlib.sha256(given.encode(errors="replace")).digest(), hashlib.sha256(expected.encode()).digest()
    )


def refusal(
    settings: PortalSettings,
    *,
    path: str,
    header_key: str | None,
    query: dict[str, str],
    now: dt.datetime,
) -> str | None:
    """Why the request may not read the feed (a Vietnamese sentence), or None when it may."""
    api_key, url_key = settings.api_key.get_secret_value(), settings.url_key.get_secret_value()
    if not api_key and not url_key:
        return OFF
    given = header_key if header_key is not None else query.get(KEY_PARAM)
    if given is not None:
        return None if api_key and len(given) <= MAX_VALUE and _same(given, api_key) else WRONG_KEY
    expires, sig = query.get(EXPIRES_PARAM), query.get(SIGNATURE_PARAM)
    if expires is None or sig is None:
        return MISSING
    if not url_key or not expires.isdigit() or len(expires) > 12 or len(sig) > MAX_VALUE:
        return WRONG_SIGNATURE
    if not hmac.compare_digest(sig.encode(errors="replace"), signature(url_key, path, int(expires)).encode()):
        return WRONG_SIGNATURE
    if int(expires) <= now.timestamp():
        return EXPIRED
    return None
