"""Vietnamese messages for rejected input: which field, where, and what was wrong."""

from __future__ import annotations

from typing import Any

from fastapi.exceptions import RequestValidationError

FIELDS_VI = {
    "email": "thư điện tử",
    "password": "mật khẩu",
    "reason": "lý do",
    "note": "ghi chú",
    "text": "nội dung",
    "kind": "loại phản hồi",
    "priority": "mức ưu tiên",
    "assignees": "đầu mối",
    "topic": "chủ đề",
    "sentiment": "sắc thái",
    "province": "tỉnh/thành",
    "relevant": "liên quan",
    "target": "tin gộp vào",
    "files": "tệp đính kèm",
    "case_id": "số hồ sơ",
    "story_id": "số tin",
    "article_id": "số bài viết",
    "snapshot_id": "số bản lưu",
    "sha256": "mã tệp",
    "page": "trang",
    "q": "từ khóa",
    "tu": "từ ngày",
    "den": "đến ngày",
    "bao": "cơ quan báo chí",
    "ky": "kỳ",
    "action": "thao tác",
    "next": "trang tiếp theo",
}
WHERE_VI = {"path": "đường dẫn", "query": "tham số", "body": "biểu mẫu", "header": "tiêu đề", "cookie": "cookie"}


def _problem(error: dict[str, Any]) -> str:
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return "còn thiếu"
    if kind == "string_too_long":
        return f"dài quá {ctx.get('max_length')} ký tự"
    if kind == "string_too_short":
        return f"cần ít nhất {ctx.get('min_length')} ký tự"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return "phải là một số nguyên"
    if kind in ("greater_than_equal", "greater_than"):
        return f"phải từ {ctx.get('ge', ctx.get('gt'))} trở lên"
    if kind in ("less_than_equal", "less_than"):
        return "quá lớn"
    if kind in ("literal_error", "enum"):
        return f"không phải một giá trị hợp lệ ({str(ctx.get('expected', '')).replace(' or ', ' hoặc ')})"
    if kind in ("date_parsing", "date_from_datetime_parsing", "date_type"):
        return "không phải một ngày hợp lệ (dd/mm/yyyy)"
    if kind in ("bool_parsing", "bool_type"):
        return "phải là có hoặc không"
    if kind.startswith("json") or kind in ("model_attributes_type", "dict_type"):
        return "dữ liệu JSON không hợp lệ"
    return "không hợp lệ"


def describe_validation(exc: RequestValidationError) -> str:
    """One sentence per wrong field: 'Trường “lý do” (biểu mẫu): dài quá 2000 ký tự.'"""
    parts = []
    for error in exc.errors()[:5]:
        loc = [str(p) for p in error.get("loc", ())]
        where = WHERE_VI.get(loc[0], loc[0]) if loc else "yêu cầu"
        name = loc[-1] if len(loc) > 1 else where
        parts.append(f"Trường “{FIELDS_VI.get(name, name)}” ({where}): {_problem(error)}.")
    return "Dữ liệu không hợp lệ. " + " ".join(parts)
