"""Settings of the periodic reports (composed into the application Settings as `reports`)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class ReportSettings(BaseModel):
    """The report's header and closing blocks, and the weekly and monthly e-mail to leaders."""

    model_config = ConfigDict(extra="forbid")

    weekly: bool = Field(
        default=True, description="E-mail leaders the report of the previous ISO week every Monday morning."
    )
    monthly: bool = Field(default=True, description="E-mail leaders the report of the previous month on the 1st.")
    send_hour: int = Field(
        default=7, ge=0, le=23, description="Hour (Asia/Ho_Chi_Minh) from which the weekly and monthly reports go."
    )
    parent_organisation: str = Field(
        default="BỘ TƯ PHÁP", description="Report header, top left: the governing body, in capitals."
    )
    organisation: str = Field(
        default="CỤC QUẢN LÝ THI HÀNH ÁN DÂN SỰ", description="Report header, left: the reporting body, in capitals."
    )
    document_code: str = Field(
        default="BC-QLTHADS", description="Symbol after the report's number, as in “Số: …/BC-QLTHADS”."
    )
    place: str = Field(default="Hà Nội", description="Place in the date line, as in “Hà Nội, ngày … tháng … năm …”.")
    recipients: tuple[str, ...] = Field(
        default=(
            "Lãnh đạo Bộ Tư pháp (để báo cáo)",
            "Lãnh đạo Cục (để chỉ đạo)",
            "Thi hành án dân sự các tỉnh, thành phố (để biết)",
            "Lưu: VT, VP",
        ),
        description="The report's “Nơi nhận” (recipients) list.",
    )
    signer_title: str = Field(default="CỤC TRƯỞNG", description="Title in the report's signature block.")
    signer_name: str = Field(default="", description="Name in the signature block; empty: left for the signer.")
    notable_stories: int = Field(
        default=10, ge=1, le=100, description="Notable stories listed in the report (the XLSX annex lists them all)."
    )
    case_rows: int = Field(
        default=30,
        ge=0,
        le=1000,
        description="Urgent (P1) and overdue cases listed in the report (the XLSX annex lists every case).",
    )
