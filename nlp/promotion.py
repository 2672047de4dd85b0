"""The promotion rule, in one place: a retrained model replaces the active one only if it is not worse on the
fixed validation set. Light to import (the command line quotes it in its help)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nlp.validation import Figures

TOLERANCE = 0.005
RULED = ("relevance_f1", "topic_accuracy", "tone_macro_f1")  # Figures fields, each judged
RULE_VI = (
    "Mô hình mới chỉ được đưa vào dùng khi không kém mô hình đang dùng trên tập kiểm định cố định: "
    "F1 nhận diện tin liên quan, độ chính xác chủ đề và F1 trung bình (macro) sắc thái đều không thấp hơn "
    f"của mô hình đang dùng quá {TOLERANCE:.3f}".replace("0.", "0,")
)


def not_worse(candidate: Figures, active: Figures) -> bool:
    """Each ruled figure of the candidate ≥ the active model's minus TOLERANCE."""
    return all(getattr(candidate, name) >= getattr(active, name) - TOLERANCE for name in RULED)
