"""The social-source message: one a day per social source with a problem (expired token, missing permission,
exhausted YouTube quota…) to the administrators (the central desk when there is none), in words, from the state
the social poll recorded (crawler/social/poll.py; storage.social.all_states)."""

from __future__ import annotations

from datetime import datetime

from alerts.messages import Content, plain_html, when_short
from alerts.notify import notify_users
from alerts.recipients import administrators
from alerts.render import render
from domain.enums import NotificationKind
from domain.localtime import VN
from domain.social import TOLD_PROBLEMS, Platform, SocialProblem, SocialSourceKind, SocialSourceState
from storage.engine import Database
from storage.social import all_states

KIND_VI = {
    SocialSourceKind.FACEBOOK_PAGE: "Trang Facebook",
    SocialSourceKind.YOUTUBE_CHANNEL: "kênh YouTube",
    SocialSourceKind.YOUTUBE_SEARCH: "tìm kiếm YouTube theo từ khóa",
}


def todo(state: SocialSourceState) -> str:
    """What the administrator should do about the problem, and what the system does by itself."""
    facebook = state.kind.platform is Platform.FACEBOOK
    match state.problem:
        case SocialProblem.TOKEN_EXPIRED | SocialProblem.TOKEN_MISSING if facebook:
            return (
                "Cần làm: tạo mã truy cập Trang (Page access token) mới có quyền pages_read_engagement và "
                "pages_read_user_content, thay vào thiết lập social.facebook_page_tokens; lần thu thập sau sẽ tự "
                "tiếp tục từ chỗ đã dừng."
            )
        case SocialProblem.TOKEN_EXPIRED | SocialProblem.TOKEN_MISSING:
            return (
                "Cần làm: cấp khóa API YouTube Data API v3 hợp lệ và thay vào thiết lập social.youtube_api_key; "
                "lần thu thập sau sẽ tự tiếp tục."
            )
        case SocialProblem.PERMISSION:
            return (
                "Cần làm: cấp quyền còn thiếu cho ứng dụng, hoặc tắt nguồn này trong danh mục nguồn tin "
                "(enabled: false). Nguồn này được bỏ qua cho đến khi đọc được."
            )
        case SocialProblem.QUOTA:
            resume = when_short(state.resume_at) if state.resume_at else "ngày mới"
            return (
                "Việc thu thập YouTube tạm dừng trong ngày hạn mức và tự tiếp tục lúc "
                f"{resume} (0 giờ theo giờ Thái Bình Dương, khi hạn mức được đặt lại)."
            )
        case SocialProblem.NOT_FOUND:
            return "Cần làm: kiểm tra mã Trang hoặc mã kênh trong danh mục nguồn tin."
        case _:
            return "Hệ thống sẽ thử lại ở lần thu thập sau."


def social_warning(state: SocialSourceState, now: datetime, app_url: str) -> Content:
    assert state.problem is not None
    subject = f"Nguồn mạng xã hội lỗi: {state.slug} – {state.problem.label}"
    link = f"{app_url.rstrip('/')}/nguon-tin"
    text = render(
        "social.txt",
        state=state,
        kind=KIND_VI[state.kind],
        label=state.problem.label,
        since=when_short(state.problem_since_at or now),
        last=when_short(state.last_success_at) if state.last_success_at else "—",
        todo=todo(state),
        link=link,
    )
    return Content(subject, text, plain_html(subject, text, app_url), (link,))


def notify_social_health(database: Database, *, now: datetime, app_url: str) -> int:
    """Write the day's message about each social source with a problem to each administrator; returns the
    messages written."""
    written = 0
    day = now.astimezone(VN).date().isoformat()
    with database.session() as session:
        recipients = administrators(session)
        for state in all_states(session):
            if state.problem not in TOLD_PROBLEMS:
                continue
            written += notify_users(
                session,
                recipients,
                social_warning(state, now, app_url),
                kind=NotificationKind.FEED,
                key=f"social:{state.slug}:{state.problem}:{day}",
                now=now,
            )
    return written
