"""What became of each article a crawl met, in the words users read (the crawl's progress, `jobs`)."""

from __future__ import annotations

OUTCOME_VI = {
    "new": "bài mới",
    "edited": "bài bị sửa",
    "unchanged": "không đổi",
    "duplicate": "trùng",
    "rejected": "không phải bài",
    "failed": "lỗi tải",
}
