"""Small helpers shared by the routes: bounded ids, safe return paths, notices after an action."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query
from fastapi.responses import RedirectResponse
from starlette.responses import Response

# Pages carry no script, except the triage pages' keyboard shortcuts, served by the app (SCRIPT_POLICY); the
# captured pages of the evidence route have their own, stricter policy.
PAGE_POLICY = (
    "default-src 'self'; script-src 'none'; style-src 'self'; img-src 'self' data:; frame-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'"
)
SCRIPT_POLICY = PAGE_POLICY.replace("script-src 'none'", "script-src 'self'")
MAX_ID = 2**53  # ids beyond this are not ours (and would overflow SQLite's integers)
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
PageNo = Annotated[int, Query(ge=1, le=100000, alias="trang")]

# Notices shown after a redirect (?tb=code): fixed texts, so that a link cannot make the page say anything.
NOTICES = {
    "xac-nhan": "Đã xác nhận tin; hồ sơ đã được lập hoặc cập nhật và giao cho đầu mối.",
    "da-loai": "Đã loại tin khỏi hàng chờ.",
    "hang-loat-xac-nhan": "Đã xác nhận các tin đã chọn; hồ sơ đã được lập hoặc cập nhật và giao cho đầu mối.",
    "hang-loat-loai": "Đã loại các tin đã chọn khỏi hàng chờ (cùng một lý do).",
    "hang-loat-sua-nhan": "Đã sửa nhãn các tin đã chọn (dùng để huấn luyện lại mô hình).",
    "sua-nhan": "Đã lưu nhãn đã sửa (dùng để huấn luyện lại mô hình).",
    "khong-doi": "Nhãn không thay đổi.",
    "gop": "Đã gộp tin.",
    "tach": "Đã tách tin ra khỏi tin đã gộp vào: các bản đăng của tin đã trở về.",
    "gan-nhan": "Đã lưu nhãn (dùng để huấn luyện lại mô hình).",
    "acknowledge": "Đã xác nhận nhận hồ sơ.",
    "respond": "Đã ghi nhận phản hồi.",
    "conclude": "Đã ghi nhận kết luận; thời hạn gửi kết luận bắt đầu tính.",
    "close": "Đã đóng hồ sơ.",
    "dismiss": "Đã loại hồ sơ.",
    "assign": "Đã giao hồ sơ cho đầu mối.",
    "dang-cong": "Đã đăng phản hồi lên Cổng thông tin (nguồn tin của Cổng có mục này ngay).",
    "go-cong": "Đã gỡ phản hồi khỏi Cổng thông tin.",
    "thong-cao": "Đã lưu văn bản vào cơ sở dữ liệu truyền thông.",
    "dang-xuat": "Đã đăng xuất.",
    "nhan-thu": "Đã lưu cài đặt nhận thư.",
    "kenh": "Đã lưu kênh nhận cảnh báo.",
    "nhan-tin": "Đã lưu thời điểm nhận cảnh báo.",
    "su-co-moi": "Đã lập sự cố truyền thông.",
    "su-co-hoat-dong": "Đã ghi nhận hoạt động xử lý sự cố.",
    "su-co-ket-thuc": "Đã kết thúc sự cố; tóm tắt kết quả sẽ có trong báo cáo định kỳ.",
    "chu-de": "Đã lưu chủ đề theo dõi.",
    "chu-de-doi-chieu": "Đã lưu chủ đề theo dõi; các bài đã lưu đang được đối chiếu lại với truy vấn mới.",
}


def safe_next(value: str | None, default: str = "/") -> str:
    """A path on this site to return to; anything else (other sites, schemes, odd characters) → default."""
    if (
        value
        and value.startswith("/")
        and not value.startswith("//")
        and len(value) <= 500
        and value.isprintable()
        and "\\" not in value
    ):
        return value
    return default


def redirect(path: str, notice: str | None = None) -> RedirectResponse:
    if notice is not None:
        path += ("&" if "?" in path else "?") + f"tb={notice}"
    return RedirectResponse(path, status_code=303)


def with_local_script(response: Response) -> Response:
    """A page that loads the app's own script (/static/…): allowed, and nothing else."""
    response.headers["content-security-policy"] = SCRIPT_POLICY
    return response
