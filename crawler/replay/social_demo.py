"""The demo's social reaction (issue 19): what the agency's Facebook Page and a YouTube news channel publish about a
few of the replayed articles, answered by the local stand-ins of crawler/replay/social_api.py on loopback.

For each chosen article: a Page post sharing the article's link (joined to its story by the link), a video about
the same event whose title and description quote the article's lead but give no link (joined by its text), and
readers' comments written for the demo in the style of real ones (with and without diacritics, teencode), released
over time. One story gets a burst of negative comments a couple of minutes after the start: enough within the
priority rule's window ("Bình luận tiêu cực tăng nhanh trên mạng xã hội") to raise its case to P1.

The commenters are invented: a display name "Bạn đọc N" and a made-up numeric id, no personal data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from crawler.replay.corpus import ReplayArticle
from crawler.replay.social_api import ApiServer, Graph, YouTube, fb_comment, fb_post, yt_comment, yt_thread

PAGE_ID = "100090000000001"  # the agency's Page (a made-up id)
PAGE_TOKEN = "demo-page-token"  # a fake token the local stand-in accepts
YOUTUBE_KEY = "demo-youtube-key"
CHANNEL_ID = "UCdemoThoiSuPhapLuat0000"  # a made-up channel (UC + 22 characters)
UPLOADS = "UUdemoThoiSuPhapLuat0000"  # its uploads playlist
PAGE_SLUG, CHANNEL_SLUG = "fb-cuc-thads-demo", "yt-thoi-su-demo"

# Preferred articles of the project's written samples (a corpus without them: the first ones published).
BURST_ARTICLE = "written:w3:059"  # Hồ Chí Minh: a father still cannot see his child two years after the judgment
OTHER_ARTICLES = ("written:w1:058", "written:w3:044")

BURST_AFTER = timedelta(minutes=2)  # the burst starts this long after the demo's start
BURST_EVERY = timedelta(seconds=10)

# Readers' comments written for the demo.
CALM = (
    "Mong cơ quan chức năng sớm giải quyết dứt điểm",
    "Cảm ơn báo đã thông tin kịp thời",
    "Theo dõi vụ này",
    "cam on trang da cap nhat thong tin",
    "Chúc mừng tân Phó Trưởng, mong anh làm tốt nhiệm vụ",
    "hóng kết quả phiên đấu giá",
    "Thông tin hữu ích, cảm ơn ad",
    "ai biết thủ tục đăng ký tham gia đấu giá thì chỉ mình với",
)
ANGRY = (
    "Bản án có hiệu lực 2 năm mà vẫn không thi hành được, quá bất công",
    "thi hanh an kieu gi vay, 2 nam roi ma ko dc gap con",
    "Cơ quan thi hành án vô cảm với dân quá",
    "Làm việc tắc trách, để người cha khổ sở thế này",
    "ko hiu cac ong lam an kieu gi nua, qua te",
    "Bức xúc thật sự, đề nghị xử lý trách nhiệm cán bộ",
    "Án tuyên xong rồi để đó, dân kêu cứu mãi không ai nghe",
    "thật không thể chấp nhận được",
    "Chấp hành viên thiếu trách nhiệm, phải kỷ luật",
    "Đọc mà phẫn nộ, pháp luật để làm gì khi không thi hành",
    "lam viec cham chap, ho so de may nam ko giai quyet",
    "Mất niềm tin vào cơ quan thi hành án",
    "Quá tệ, bản án chỉ nằm trên giấy",
    "vo cam qua, dan kho qua roi",
    "Xấu hổ cho ngành thi hành án",
    "Thất vọng tràn trề về cách làm việc của cán bộ",
    "Cán bộ đùn đẩy trách nhiệm, người dân chịu thiệt",
    "Đề nghị Bộ Tư pháp vào cuộc ngay, quá bức xúc",
    "Làm ăn kiểu gì mà để dân khổ thế này",
    "Bất bình quá, phải truy cứu trách nhiệm",
)
VIDEO_COMMENTS = (
    "Cảm ơn kênh đã đưa tin",
    "xem xong thấy thương gia đình quá",
    "mong sớm có kết quả",
)


@dataclass(frozen=True, slots=True)
class Shared:
    """One chosen article and what the Page and the channel publish about it."""

    article: ReplayArticle
    post_id: str
    video_id: str
    burst: bool


def api_time(moment: datetime) -> str:
    return f"{moment.astimezone(UTC):%Y-%m-%dT%H:%M:%S+0000}"


def yt_time(moment: datetime) -> str:
    return f"{moment.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}"


def commenter(n: int) -> tuple[str, str]:
    return f"Bạn đọc {n}", f"{990000000000000 + n}"


def choose(articles: list[ReplayArticle], start: datetime, count: int = 3) -> list[ReplayArticle]:
    """The articles to share: the preferred written samples if they are published by `start`, otherwise the first
    ones published; the first is the one with the burst."""
    out = sorted((a for a in articles if a.published_at <= start), key=lambda a: (a.published_at, a.n))
    by_id = {a.source_id: a for a in out}
    preferred = [by_id[i] for i in (BURST_ARTICLE, *OTHER_ARTICLES) if i in by_id]
    rest = [a for a in out if a not in preferred]
    return (preferred + rest)[:count]


class SocialReplay:
    """The Graph API and YouTube Data API stand-ins with the demo's content, released by `clock`."""

    def __init__(self, articles: list[ReplayArticle], *, site_base: str, start: datetime) -> None:
        self.start = start
        self.graph, self.youtube = Graph(), YouTube(YOUTUBE_KEY, quota=1_000_000)
        self.graph.readable = {PAGE_TOKEN: {PAGE_ID}}
        self.graph.posts[PAGE_ID] = []
        self.youtube.channels[CHANNEL_ID] = UPLOADS
        self.youtube.uploads[UPLOADS] = []
        self.youtube.page_size = 20
        self.shared: list[Shared] = []
        for i, article in enumerate(choose(articles, start)):
            self._share(i, article, f"{site_base}{article.path}", burst=i == 0)
        self._servers: list[ApiServer] = []

    def _share(self, i: int, article: ReplayArticle, link: str, *, burst: bool) -> None:
        # Posted half an hour after the article (at the latest an hour before the start), the video 20 min later.
        posted = min(article.published_at + timedelta(minutes=30), self.start - timedelta(hours=1))
        n = 100 + i
        post = fb_post(
            PAGE_ID, n, api_time(posted), f"Báo chí phản ánh: {article.title}. Mời bạn đọc theo dõi.", link=link
        )
        self.graph.posts[PAGE_ID].append(post)
        self.graph.posts[PAGE_ID].sort(key=lambda p: p["created_time"], reverse=True)  # newest first
        comments: list[dict[str, Any]] = []
        for k in range(3):  # calm comments before the start
            text = CALM[(i * 3 + k) % len(CALM)]
            comments.append(
                fb_comment(
                    post["id"], k + 1, api_time(posted + timedelta(minutes=5 + 10 * k)), text, commenter(i * 100 + k)
                )
            )
        if burst:
            first = self.start + BURST_AFTER
            for k, text in enumerate(ANGRY):
                at = first + k * BURST_EVERY
                comments.append(fb_comment(post["id"], 10 + k, api_time(at), text, commenter(i * 100 + 10 + k)))
        self.graph.comments[post["id"]] = comments
        video = f"demoVid{i:04d}"  # 11 characters, as YouTube video ids
        uploaded = posted + timedelta(minutes=20)
        lead = article.summary or (article.paragraphs[0] if article.paragraphs else article.title)
        body = article.paragraphs[0] if article.paragraphs and article.paragraphs[0] != lead else ""
        self.youtube.videos[video] = {
            "title": f"Thời sự pháp luật: {article.title}",
            "description": f"{lead} {body}".strip(),
            "publishedAt": yt_time(uploaded),
            "views": 1200 + 300 * i,
        }
        self.youtube.uploads[UPLOADS].append(video)
        self.youtube.uploads[UPLOADS].sort(key=lambda v: self.youtube.videos[v]["publishedAt"], reverse=True)
        threads = []
        for k, text in enumerate(VIDEO_COMMENTS):
            when = yt_time(uploaded + timedelta(minutes=10 + 7 * k))
            name = commenter(i * 100 + 50 + k)[0]
            top = yt_comment(f"Ugdemo{i}{k}", video, when, text, (name, f"UCdemoBanDoc{i:02d}{k:010d}"))
            threads.append(yt_thread(video, top, [], 0))
        self.youtube.threads[video] = list(reversed(threads))  # newest first
        self.shared.append(Shared(article, post["id"], video, burst))

    def start_serving(self, clock: Callable[[], datetime] | None = None) -> SocialReplay:
        """Serve both APIs on 127.0.0.1 (each on a free port), releasing content by `clock` (default: now)."""
        now = clock if clock is not None else (lambda: datetime.now(UTC))
        self.graph.clock = now
        self.youtube.clock = now
        self._servers = [ApiServer(self.graph).start(), ApiServer(self.youtube).start()]
        return self

    def stop(self) -> None:
        for server in self._servers:
            server.stop()

    @property
    def graph_url(self) -> str:
        return f"{self.graph.url}/v19.0"

    @property
    def youtube_url(self) -> str:
        return f"{self.youtube.url}/youtube/v3"

    def sources_yaml(self) -> str:
        """The registry's `social` section naming the Page and the channel."""
        return (
            "social:\n"
            f"  - {{slug: {PAGE_SLUG}, name: Trang Cục Quản lý THADS (chạy thử), kind: facebook_page, "
            f"page_id: '{PAGE_ID}', own: true}}\n"
            f"  - {{slug: {CHANNEL_SLUG}, name: Kênh Thời sự pháp luật (chạy thử), kind: youtube_channel, "
            f"channel_id: {CHANNEL_ID}}}\n"
        )

    def settings(self) -> dict[str, object]:
        """The `social` settings pointing the connectors at the stand-ins (fake token and key)."""
        return {
            "graph_url": self.graph_url,
            "youtube_url": self.youtube_url,
            "facebook_page_tokens": {PAGE_SLUG: PAGE_TOKEN},
            "youtube_api_key": YOUTUBE_KEY,
            "pseudonym_key": "khoa-bi-danh-chay-thu",
        }
