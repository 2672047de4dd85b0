"""The replay site's markup: outlet-like pages with the boilerplate extraction must see through."""

from __future__ import annotations

from datetime import datetime
from html import escape
from xml.sax.saxutils import escape as xml_escape

from crawler.replay.corpus import ReplayArticle
from domain.localtime import VN

SECTIONS = ("Thời sự", "Pháp luật", "Kinh doanh", "Bạn đọc", "Thế giới", "Giáo dục", "Sức khỏe", "Thể thao")
SUBSECTIONS = (
    "Chính trị",
    "Dân sinh",
    "Giao thông",
    "Hồ sơ phá án",
    "Tòa án",
    "Tư vấn",
    "Chứng khoán",
    "Bất động sản",
    "Doanh nghiệp",
    "Tài chính",
    "Tuyển sinh",
    "Du học",
    "Sống khỏe",
    "Bóng đá",
    "Quần vợt",
    "Thị trường",
    "Xe",
    "Số hóa",
    "Du lịch",
    "Giải trí",
)
# What real outlet pages carry besides the article: styles, analytics and ad scripts, tracking config.
_HEAD_WEIGHT = (
    "<style>"
    + "".join(f".c{i}{{margin:{i % 7}px;padding:{i % 5}px;color:#{i * 97 % 4096:03x}}}" for i in range(600))
    + "</style><script>var adConfig="
    + "["
    + ",".join(f'{{"slot":"ad-{i}","size":[300,250],"pos":{i}}}' for i in range(250))
    + "];</script>"
)


def _menu(base: str) -> str:
    names = [*SECTIONS, *SUBSECTIONS]
    items = "".join(f'<li><a href="{base}/chuyen-muc/{i}">{escape(s)}</a></li>' for i, s in enumerate(names))
    logo = f'<a class="logo" href="{base}/">Báo Tin Nhanh</a>'
    return f'<header class="site-header">{logo}<nav><ul>{items}</ul></nav></header>'


def _related(base: str, others: list[ReplayArticle]) -> str:
    links = "".join(f'<li><a href="{base}{a.path}">{escape(a.title)}</a></li>' for a in others)
    return f'<div class="box-tin-lien-quan"><h3>Tin liên quan</h3><ul>{links}</ul></div>'


def article_page(base: str, article: ReplayArticle, others: list[ReplayArticle], outlet: str) -> str:
    paragraphs = article.paragraphs
    middle = len(paragraphs) // 2
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs[:middle])
    body += (
        f'<figure class="image"><img src="{base}/anh/{article.n}.jpg" alt=""/>'
        f"<figcaption>Ảnh minh họa: {escape(article.title[:60])}</figcaption></figure>"
    )
    body += _related(base, others[:3])
    body += "".join(f"<p>{escape(p)}</p>" for p in paragraphs[middle:])
    body += f'<p class="author">{escape(article.author)}</p>'
    published = article.published_at.astimezone(VN)
    sidebar = "".join(
        f'<li><a href="{base}{a.path}">{escape(a.title)}</a><p class="sidebar-sapo">{escape(a.summary[:140])}</p></li>'
        for a in others[3:11]
    )
    footer_links = "".join(f'<a href="{base}/chuyen-muc/{i}">{escape(s)}</a> ' for i, s in enumerate(SUBSECTIONS))
    return f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8">
<title>{escape(article.title)} - {outlet}</title>
<link rel="canonical" href="{base}{article.path}">
<meta property="og:type" content="article"><meta property="og:title" content="{escape(article.title)}">
<meta property="og:site_name" content="{outlet}">
<meta name="description" content="{escape(article.summary)}">
<meta property="article:published_time" content="{published.isoformat()}">
{_HEAD_WEIGHT}<script>window.dataLayer = [];</script></head>
<body>{_menu(base)}
<div class="breadcrumb"><a href="{base}/">Trang chủ</a> / <a href="{base}/chuyen-muc/1">Pháp luật</a></div>
<main><article class="detail">
<h1 class="title-detail">{escape(article.title)}</h1>
<div class="date">{published.strftime("%d/%m/%Y %H:%M")} (GMT+7)</div>
<p class="sapo">{escape(article.summary)}</p>
<div class="detail-content">{body}</div>
<div class="tags">Từ khóa: <a href="{base}/tag/phap-luat">pháp luật</a></div>
<div class="share">Chia sẻ: Facebook · Zalo</div>
</article>
<section class="comment-box"><h3>Bình luận (2)</h3><p>Bài viết rất hay, cảm ơn tòa soạn.</p>
<p>Mong cơ quan chức năng sớm vào cuộc.</p></section>
<aside class="sidebar"><h3>Đọc nhiều</h3><ul>{sidebar}</ul></aside></main>
<footer class="footer"><nav>{footer_links}</nav>© {outlet}. Giấy phép số 123/GP-BTTTT.
Liên hệ quảng cáo: 0901 234 567.</footer>
</body></html>"""


def rss(base: str, articles: list[ReplayArticle], outlet: str) -> str:
    items = "".join(
        f"<item><title>{xml_escape(a.title)}</title><link>{base}{a.path}</link><guid>{base}{a.path}</guid>"
        f"<pubDate>{_rfc822(a.published_at)}</pubDate>"
        f'<description><![CDATA[<a href="{base}{a.path}"><img src="{base}/anh/{a.n}.jpg"></a></br>{a.summary}]]>'
        f"</description></item>"
        for a in articles
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>{outlet} - Tin mới</title><link>{base}/</link><description>Tin mới nhất</description>"
        f"{items}</channel></rss>"
    )


def sitemap(base: str, articles: list[ReplayArticle]) -> str:
    urls = "".join(
        f"<url><loc>{base}{a.path}</loc><lastmod>{a.updated_at.isoformat()}</lastmod>"
        f"<news:news><news:publication_date>{a.published_at.isoformat()}</news:publication_date>"
        f"<news:title>{xml_escape(a.title)}</news:title></news:news></url>"
        for a in articles
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}</urlset>'
    )


def listing(base: str, articles: list[ReplayArticle], page: int, has_next: bool, outlet: str) -> str:
    teasers = "".join(
        f'<div class="story"><h3><a href="{base}{a.path}">{escape(a.title)}</a></h3>'
        f'<p class="story-sapo">{escape(a.summary[:160])}</p></div>'
        for a in articles
    )
    nav = f'<a class="next" href="{base}/tin-moi?trang={page + 1}">Trang sau</a>' if has_next else ""
    return (
        f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Tin mới - {outlet}</title></head>'
        f"<body>{_menu(base)}<main><h1>Tin mới</h1>{teasers}{nav}</main></body></html>"
    )


def _rfc822(moment: datetime) -> str:
    return moment.strftime("%a, %d %b %Y %H:%M:%S +0000")
