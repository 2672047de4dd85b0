"""What the HTTP channels (webhook, Telegram, Zalo) share: one POST per message with httpx, and how its failures
read for the outbox sender (`alerts.channels.DeliveryError`).

`handed()` is called just before the request goes out: from then on the message may have reached the other side.
A refused or timed-out connection (nothing was sent) is an ordinary retry; a connection that breaks after the
request went out, before the answer, is `maybe_delivered` (the channel's `ambiguous` setting decides).
Assumption: the window also covers the TCP connect, since httpx connects inside `post`; a sender killed during a
connect leaves a row that looks handed over, which `ambiguous = "hold"` marks failed for an operator to check.
"""

from __future__ import annotations

import datetime as dt
import email.utils
from collections.abc import Callable, Mapping

import httpx

from alerts.channels import Abandoned, DeliveryError

RETRY_STATUS = frozenset({408, 429})  # 4xx answers that are worth another attempt


def post(
    client: httpx.Client,
    url: str,
    *,
    body: bytes,
    headers: Mapping[str, str],
    handed: Callable[[], bool],
    what: str,
) -> httpx.Response:
    """POST `body` (JSON) to `url`; the answer whatever its status, or DeliveryError when there is none."""
    if not handed():
        raise Abandoned
    try:
        return client.post(url, content=body, headers={"Content-Type": "application/json", **headers})
    except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
        raise DeliveryError(f"{what}: không kết nối được máy chủ ({type(exc).__name__})", connection=True) from exc
    except httpx.TransportError as exc:
        raise DeliveryError(
            f"{what}: kết nối đứt sau khi gửi yêu cầu, chưa nhận được trả lời ({type(exc).__name__})",
            connection=True,
            maybe_delivered=True,
        ) from exc


def retry_after(response: httpx.Response, now: dt.datetime | None = None) -> float | None:
    """Seconds from the Retry-After header (a number, or an HTTP date); None when absent or unreadable."""
    value = response.headers.get("Retry-After", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        at = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max((at - (now or dt.datetime.now(dt.UTC))).total_seconds(), 0.0)


def status_error(response: httpx.Response, what: str, detail: str = "", *, after: float | None = None) -> DeliveryError:
    """A non-success HTTP answer: 5xx, 408 and 429 are tried again (429 no earlier than the server asks), any other
    4xx is permanent."""
    code = response.status_code
    text = f"{what}: máy chủ trả lời HTTP {code}" + (f" ({detail})" if detail else "")
    if code >= 500 or code in RETRY_STATUS:
        wait = after if after is not None else retry_after(response)
        return DeliveryError(text, connection=True, retry_after=wait)
    return DeliveryError(text, permanent=True)


def cut(text: str, limit: int, *, mark: str = "…") -> str:
    """`text` in at most `limit` characters: cut at the last line break or space before the limit, with `mark`."""
    if len(text) <= limit:
        return text
    room = limit - len(mark)
    head = text[:room]
    for stop in ("\n", " "):
        at = head.rfind(stop)
        if at >= room // 2:
            head = head[:at]
            break
    return head.rstrip() + mark


def case_url(app_url: str, case_id: int) -> str:
    """The case's page in the web app (as `alerts.messages.case_link`)."""
    return f"{app_url.rstrip('/')}/ho-so/{case_id}"


class HttpClient:
    """One HTTP client per run of a channel, opened at its first message and closed by `close()` (the Channel
    protocol's end of a run); the HTTP channels inherit it."""

    def __init__(self, timeout_s: float) -> None:
        self._timeout_s = timeout_s
        self._client: httpx.Client | None = None

    def _http(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(timeout=self._timeout_s)
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
