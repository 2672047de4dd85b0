"""One poll of a YouTube source: new videos (a channel's uploads playlist, or a search by watch terms) stored with
their details, then the new comment threads and replies of its recent videos.

Incremental: a channel's uploads are read newest first down to the newest video of the last complete pass (pages
read again after an interruption cost one unit each, and videos already stored are not asked about again); a
search asks `publishedAfter` that video and keeps its `pageToken` between pages, as a search page costs 100 units;
the comment threads of a video are read newest first down to the newest comment stored before (its cursor).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from crawler.social.api import parse_time, with_author
from crawler.social.quota import Quota
from crawler.social.youtube import CommentsDisabled, YouTube, comment
from crawler.sources import SocialSpec
from domain.social import Platform, SocialComment, SocialSourceKind, SocialSourceState
from storage.social import known_post_ids, set_comments_cursor, store_comment, store_post

if TYPE_CHECKING:
    from crawler.social.poll import Counter, Poll


def poll_youtube_source(
    poll: Poll, spec: SocialSpec, state: SocialSourceState, counter: Counter, quota: Quota, key: str
) -> SocialSourceState:
    api = YouTube(poll.client, poll.settings.youtube_url, key, quota)
    if spec.kind is SocialSourceKind.YOUTUBE_CHANNEL:
        state = _channel(poll, api, spec, state, counter)
    else:
        state = _search(poll, api, spec, state, counter)
    if poll.authors is not None:
        for video_id, cursor, evidence in poll.recent_posts(spec.slug):
            _comments(poll, api, video_id, cursor, evidence, counter)
    return state


def _store_videos(poll: Poll, api: YouTube, spec: SocialSpec, ids: list[str], counter: Counter) -> None:
    with poll.database.session() as session:
        new = [i for i in dict.fromkeys(ids) if i not in known_post_ids(session, Platform.YOUTUBE, ids)]
    if not new:
        return
    posts = api.videos(new, spec.slug)
    with poll.database.session() as session:
        for post in posts:
            counter.posts += store_post(session, post, now=poll.now)


def _channel(
    poll: Poll, api: YouTube, spec: SocialSpec, state: SocialSourceState, counter: Counter
) -> SocialSourceState:
    assert spec.channel_id is not None
    if state.uploads_playlist is None:
        state = replace(state, uploads_playlist=api.uploads_playlist(spec.channel_id))
        poll.save(state)
    assert state.uploads_playlist is not None
    token: str | None = None
    newest = state.since_at
    fresh: list[str] = []  # asked about together: videos.list takes 50 ids for one unit
    for _ in range(poll.settings.max_pages):
        params = {"part": "snippet,contentDetails", "playlistId": state.uploads_playlist, "maxResults": "50"}
        if token:
            params["pageToken"] = token
        page = api.call("playlistItems", **params)
        reached_known = False
        for item in page.items:
            published = parse_time(_video_time(item))
            if state.since_at is not None and published <= state.since_at:
                reached_known = True
                continue
            fresh.append(str(item["contentDetails"]["videoId"]))
            newest = published if newest is None or published > newest else newest
        token = page.next_token
        if reached_known or token is None:
            break
    _store_videos(poll, api, spec, fresh, counter)
    return replace(state, since_at=newest)


def _video_time(item: dict[str, Any]) -> str:
    details = item.get("contentDetails") or {}
    return str(details.get("videoPublishedAt") or item["snippet"]["publishedAt"])


def _search(
    poll: Poll, api: YouTube, spec: SocialSpec, state: SocialSourceState, counter: Counter
) -> SocialSourceState:
    since = state.pass_since_at if state.page_token else state.since_at
    token = state.page_token
    for _ in range(poll.settings.max_pages):
        page = api.search(spec.terms, since=since, page_token=token)
        ids = [str(i["id"]["videoId"]) for i in page.items if (i.get("id") or {}).get("videoId")]
        times = [parse_time(i["snippet"]["publishedAt"]) for i in page.items if i.get("snippet")]
        _store_videos(poll, api, spec, ids, counter)
        newest = max(times, default=None)
        if newest is not None and (state.since_at is None or newest > state.since_at):
            state = replace(state, since_at=newest)
        token = page.next_token
        state = replace(state, page_token=token, pass_since_at=since if token else None)
        poll.save(state)
        if token is None:
            break
    return state


def _comments(poll: Poll, api: YouTube, video_id: str, cursor: str | None, evidence: bool, counter: Counter) -> None:
    """The threads newer than `cursor` (the newest top-level comment stored before), their replies, newest first."""
    assert poll.authors is not None
    keep = evidence and poll.settings.keep_evidence_authors
    since = parse_time(cursor) if cursor else None
    newest = since
    token: str | None = None
    found: list[SocialComment] = []
    try:
        for _ in range(poll.settings.max_pages):
            page = api.threads(video_id, token)
            reached = False
            for thread in page.items:
                top = thread["snippet"]["topLevelComment"]
                first = comment(video_id, top, None)
                if since is not None and first.published_at <= since:
                    reached = True
                    break
                newest = first.published_at if newest is None or first.published_at > newest else newest
                found.append(first)
                replies = (thread.get("replies") or {}).get("comments", [])
                if int(thread["snippet"].get("totalReplyCount") or 0) > len(replies):  # the thread carries 5 at most
                    found.extend(_more_replies(api, video_id, first.platform_id, poll.settings.max_pages))
                else:
                    found.extend(comment(video_id, r, first.platform_id) for r in replies)
            token = page.next_token
            if reached or token is None:
                break
    except CommentsDisabled:
        return
    with poll.database.session() as session:
        for item in found:
            counter.comments += store_comment(session, with_author(item, poll.authors, keep_clear=keep), now=poll.now)
        if newest is not None and newest != since:
            set_comments_cursor(session, Platform.YOUTUBE, video_id, newest.isoformat())


def _more_replies(api: YouTube, video_id: str, parent_id: str, max_pages: int) -> list[SocialComment]:
    replies: list[SocialComment] = []
    token: str | None = None
    for _ in range(max_pages):
        page = api.replies(parent_id, token)
        replies.extend(comment(video_id, r, parent_id) for r in page.items)
        token = page.next_token
        if token is None:
            break
    return replies
