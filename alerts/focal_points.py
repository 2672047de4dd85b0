"""Focal points (đầu mối) and other users from CSV or YAML, with a report of every bad row."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, EmailStr, Field, ValidationError, field_validator, model_validator

from domain.enums import Role
from domain.provinces import NATIONWIDE
from domain.provinces import PROVINCES as ALL_PROVINCES
from domain.records import User
from domain.text import normalize_vietnamese

PROVINCES = {*ALL_PROVINCES, NATIONWIDE}
ROLES = {
    "đầu mối": "dau_moi",
    "dau_moi": "dau_moi",
    "giám sát": "monitor",
    "monitor": "monitor",
    "lãnh đạo": "leader",
    "leader": "leader",
    "quản trị": "admin",
    "admin": "admin",
}

HEAD_YES = {"1", "true", "có", "co", "x", "yes", "trưởng"}
HEAD_NO = {"", "0", "false", "không", "khong", "no"}


class UserRowIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    email: EmailStr
    name: str = Field(min_length=2)
    role: Role = Role.DAU_MOI
    province: str | None = None
    head: bool = False
    phone: str | None = None

    @field_validator("role", mode="before")
    @classmethod
    def _role(cls, value: Any) -> Any:
        return ROLES.get(normalize_vietnamese(str(value)).lower(), value) if value not in (None, "") else Role.DAU_MOI

    @field_validator("province", mode="before")
    @classmethod
    def _province(cls, value: Any) -> Any:
        if value in (None, ""):
            return None
        name = normalize_vietnamese(str(value))
        if name not in PROVINCES:
            raise ValueError(f"{name!r} không phải một trong 34 tỉnh, thành phố hiện hành hoặc toan_quoc")
        return name

    @field_validator("head", mode="before")
    @classmethod
    def _head(cls, value: Any) -> Any:
        if value is None:
            return False
        if isinstance(value, str):
            word = normalize_vietnamese(value).strip().lower()
            if word in HEAD_YES:
                return True
            if word in HEAD_NO:
                return False
            raise ValueError(f"{value.strip()!r} không rõ là có hay không (dùng: có hoặc để trống)")
        return value

    @model_validator(mode="after")
    def _focal_point_has_a_province(self) -> UserRowIn:
        if self.role == Role.DAU_MOI and self.province is None:
            raise ValueError("đầu mối cần tỉnh/thành của mình (hoặc toan_quoc cho văn phòng Cục)")
        return self


@dataclass
class ImportResult:
    users: list[User] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def to_import(self) -> list[User]:
        """All the users, or none when any row is wrong. A roster imported in part would leave some provinces
        without their focal point, or with last year's, and nobody would notice until a case went unanswered;
        refusing the file costs nothing, as importing is idempotent: fix the rows and import the whole file again."""
        return [] if self.errors else list(self.users)


def read_users(path: Path) -> ImportResult:
    """Good rows as users; each bad row as `file, line N: field: problem` (a repeated e-mail is a bad row). Import
    `ImportResult.to_import()`: nothing when any row is wrong."""
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return ImportResult(errors=[f"{path}: không phải UTF-8 (byte {exc.start}); hãy lưu tệp CSV dạng UTF-8"])
    rows: list[tuple[int, dict[str, Any]]]
    if path.suffix.lower() in (".yaml", ".yml"):
        try:
            data = yaml.safe_load(text) or []
        except yaml.YAMLError as exc:
            return ImportResult(errors=[f"{path}: YAML không hợp lệ: {exc}"])
        items = data.get("users", data) if isinstance(data, dict) else data
        if not isinstance(items, list):
            return ImportResult(errors=[f"{path}: cần một danh sách người dùng"])
        rows = [(i + 1, item if isinstance(item, dict) else {"email": item}) for i, item in enumerate(items)]
        where = "mục"
    else:
        reader = csv.DictReader(io.StringIO(text))
        rows = [(reader.line_num, {k.strip().lower(): v for k, v in row.items() if k}) for row in reader]
        where = "dòng"
    result = ImportResult()
    first_line: dict[str, int] = {}
    for line, row in rows:
        try:
            item = UserRowIn.model_validate({k: v for k, v in row.items() if v not in (None,)})
        except ValidationError as exc:
            first = exc.errors()[0]
            column = ".".join(map(str, first["loc"]))
            result.errors.append(
                f"{path}, {where} {line}: {f'trường {column}: ' if column else ''}"
                f"{str(first['msg']).removeprefix('Value error, ')}"
            )
            continue
        email = str(item.email).lower()
        if email in first_line:  # the later row would silently replace the earlier one
            result.errors.append(f"{path}, {where} {line}: thư điện tử {email} đã có ở {where} {first_line[email]}")
            continue
        first_line[email] = line
        result.users.append(
            User(
                email=email,
                name=normalize_vietnamese(item.name),
                role=item.role,
                province=item.province,
                is_head=item.head,
                phone=item.phone,
            )
        )
    return result
