"""Why a block or a line of a page is not part of the article text: the record `thads-monitor extract --explain`
shows, block by block."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Reason(StrEnum):
    """Why a block or a line is not part of the article text; the Vietnamese words are `REASON_VI`."""

    NOT_CONTENT = "not-content"
    BOX = "box"
    RULE = "rule"
    CAPTION = "caption"
    HEADLINE = "headline"
    LEAD = "lead"
    LINK_LIST = "link-list"
    BOILER_LINE = "boiler-line"
    REPEATED = "repeated"
    BYLINE = "byline"
    CREDIT = "credit"
    DATE = "date"
    EXTRACTOR = "extractor"
    KEPT_BODY = "kept-body"  # not a removal: the container the text was taken from


REASON_VI = {
    Reason.NOT_CONTENT: "không phải nội dung (script, style, aside, nav, nút bấm…)",
    Reason.BOX: "hộp ngoài bài (tin liên quan, chia sẻ, bình luận, quảng cáo…) theo lớp",
    Reason.RULE: "quy tắc riêng của báo trong sổ nguồn tin (extract: drop)",
    Reason.CAPTION: "chú thích ảnh",
    Reason.HEADLINE: "tiêu đề bài (lưu riêng)",
    Reason.LEAD: "sapo (lưu riêng)",
    Reason.LINK_LIST: "danh sách tiêu đề có liên kết hoặc dòng từ khóa (tin bên lề)",
    Reason.BOILER_LINE: "dòng ngoài bài theo câu chữ (Xem thêm, >>, Tin liên quan, ngày giờ…)",
    Reason.REPEATED: "trùng tiêu đề, sapo hoặc dòng ngay trước",
    Reason.BYLINE: "tên tác giả cuối bài (lưu vào tác giả)",
    Reason.CREDIT: "ghi nguồn (Theo …)",
    Reason.DATE: "ngày giờ đăng ở đầu bài",
    Reason.EXTRACTOR: "trafilatura không giữ khối này",
    Reason.KEPT_BODY: "khối thân bài được dùng",
}


@dataclass(frozen=True, slots=True)
class Removal:
    reason: Reason
    text: str
    detail: str = ""  # the class, tag or selector that decided it
    line: int | None = None  # where the block starts in the page's HTML
