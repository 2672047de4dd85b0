"""The three generic spiders: how each kind of feed is read. Everything else is in FeedSpider."""

from __future__ import annotations

from scrapy.http import Response

from crawler.decode import decode_html
from crawler.entries import Parsed, parse_feed, parse_listing, parse_sitemap
from crawler.spiders.base import FeedJob, FeedSpider, header
from domain.records import FeedKind


class RssSpider(FeedSpider):
    name = "rss"
    kind = FeedKind.RSS

    def entries(self, response: Response, job: FeedJob) -> Parsed:
        return parse_feed(response.body, response.url, header(response, b"Content-Type"))


class SitemapSpider(FeedSpider):
    name = "sitemap"
    kind = FeedKind.SITEMAP

    def entries(self, response: Response, job: FeedJob) -> Parsed:
        return parse_sitemap(response.body, response.url)


class ListingSpider(FeedSpider):
    name = "listing"
    kind = FeedKind.LISTING

    def entries(self, response: Response, job: FeedJob) -> Parsed:
        page, _ = decode_html(response.body, header(response, b"Content-Type"))
        return parse_listing(page, response.url, job.feed.link_pattern)


SPIDERS: tuple[type[FeedSpider], ...] = (RssSpider, SitemapSpider, ListingSpider)
