"""The comment reader on real comments: normalisation of real teencode and emoji, the shipped tone model and the
relevance rule on the hand-labelled comments (floors a little below the measured figures of COMMENTS_CARD.md)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from domain.text import fold_diacritics
from nlp.comments import (
    CUE_LAUGH,
    CUE_NEGATIVE,
    CUE_POSITIVE,
    CUE_WORD,
    load_tone_model,
    normalise_comment,
    read_comment,
    relevance,
    squeeze,
)
from nlp.comments_train import LabelledComment, agreement, cross_validated, load_labelled, predict_tone
from nlp.metrics import classification_figures
from tests.conftest import REPO

COMMENTS = Path(os.environ.get("THADS_COMMENTS_DIR", REPO.parent / "comments-data"))


@pytest.fixture(scope="module")
def labelled() -> list[LabelledComment]:
    if not COMMENTS.exists():
        # The two public comment datasets carry no licence to redistribute ("research purposes only"): the
        # repository keeps ids and labels, each machine fetches the datasets itself (COMMENTS_CARD.md says how).
        pytest.skip(f"{COMMENTS} is missing: the comment datasets (COMMENTS_CARD.md) are not on this machine")
    return load_labelled(COMMENTS)


# Real comments of the labelled set (ViHSD, ViCTSD) and what normalisation must make of them.
@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Sao cai mieng no xau du vay.", "sao cai mieng no xau du vay"),
        ("Sao cái miệng nó xấu dữ vậy.", "sao cai mieng no xau du vay"),
        ("Ko biết công đoạn sơ chế có đảm bảo vệ sinh ko", "khong biet cong doan so che co dam bao ve sinh khong"),
        ("Đk vl anh ơi", "duoc vai anh oi"),
        (
            "thuong chi Minh Hieu qua. Ai thich giong mik thi likeeeeeeeeeeee",
            "thuong chi minh hieu qua ai thich giong minh thi like",
        ),
        ("Ơ buồn thế, nhớ ngiu qaa", "o buon the nho nguoi yeu qua"),
        ("Chi cục THA huyện", "chi cuc thi hanh an huyen"),
    ],
)
def test_normalisation_of_real_comments(text: str, folded: str) -> None:
    assert normalise_comment(text).folded == fold_diacritics(folded)


def test_squeeze_keeps_real_double_letters() -> None:
    assert [squeeze(w) for w in ("quáaaa", "đẹppp", "xoong", "hayyy")] == ["quá", "đẹp", "xoong", "hay"]


@pytest.mark.parametrize(
    ("text", "cues"),
    [
        ("Chị hay lắm à nha❤️❤️❤️", {CUE_POSITIVE, CUE_WORD["pos"]}),
        ("Nhìn tùng sói đáng yêu vãi =))", {CUE_LAUGH, CUE_WORD["pos"]}),
        ("poor anh 😞", {CUE_NEGATIVE}),
        ("Khịa 😂", {CUE_LAUGH}),
        ("Muốn tạo tiếng cười cũng khó", set()),
        ("phim không hay", {CUE_WORD["neg"]}),  # negation turns the tone word round
    ],
)
def test_emoji_emoticons_and_tone_words_become_cues(text: str, cues: set[str]) -> None:
    assert set(normalise_comment(text).cues) == cues


@pytest.mark.parametrize(
    ("text", "relevant"),
    [
        # a real reader comment on an enforcement story (niemrieng.net forum)
        ("Đúng là phiền phức cho cơ quan thi hành án thật! chấp hành viên cũng thực sự khó khăn", True),
        ("chi cuc thi hanh an chay i ko ke bien tai san", True),
        ("Thi hành án tử thì khác gì cái thoòng treo trên cổ chúng nó", False),  # real ViHSD: death penalty
        ("Con này k bỏ tù cũng phải bồi thường thiệt hại cho đất nước thì mới mong đc sự tha thứ", False),
        ("Giáo dục để các em biết bảo vệ bản thân trước kẻ biến thái", False),  # kẻ biến ≠ kê biên
        ("Tôi không đồng ý với bản án này,quá nhẹ.", False),  # a verdict, no enforcement
    ],
)
def test_relevance_rule(text: str, relevant: bool) -> None:
    assert relevance(normalise_comment(text))[0] is relevant


def test_reading_gives_agency_tone_only_when_relevant() -> None:
    about = read_comment("cơ quan thi hành án làm ăn tắc trách, bao năm ko thi hành xong, bức xúc quá 😡")
    assert about.relevant
    assert about.agency_tone == about.tone == "tieu_cuc"
    other = read_comment("Cô dễ thương quá ❤️❤️❤️")
    assert not other.relevant
    assert other.agency_tone is None
    assert other.tone == "tich_cuc"


def test_shipped_tone_model_on_the_labelled_comments(labelled: list[LabelledComment]) -> None:
    """Fitted on these comments, so this is a floor against a broken model file or normalisation, not a measure
    of generalisation (that is the cross-validated test below)."""
    model = load_tone_model()
    guess = [predict_tone(model, x.text) for x in labelled]
    assert classification_figures([x.tone for x in labelled], guess)["macro_f1"] >= 0.85


@pytest.mark.slow
@pytest.mark.training
def test_tone_cross_validated_floor(labelled: list[LabelledComment]) -> None:
    truth = [x.tone for x in labelled]
    guess = cross_validated(labelled)
    assert classification_figures(truth, guess)["macro_f1"] >= 0.57  # measured 0.596 (card)
    plain = [i for i, x in enumerate(labelled) if not x.diacritics]
    assert len(plain) >= 150
    assert classification_figures([truth[i] for i in plain], [guess[i] for i in plain])["macro_f1"] >= 0.57


def test_tone_is_diacritic_insensitive(labelled: list[LabelledComment]) -> None:
    model = load_tone_model()
    toned = [x for x in labelled if x.diacritics][:200]
    assert all(predict_tone(model, x.text) == predict_tone(model, fold_diacritics(x.text)) for x in toned)


def test_relevance_rule_on_the_labelled_comments(labelled: list[LabelledComment]) -> None:
    found = [relevance(normalise_comment(x.text))[0] for x in labelled]
    assert all(f for f, x in zip(found, labelled, strict=True) if x.relevant)
    assert sum(f and not x.relevant for f, x in zip(found, labelled, strict=True)) <= 2  # measured 0


def test_second_pass_agreement(labelled: list[LabelledComment]) -> None:
    figures = agreement(labelled)
    assert figures["n"] == 60
    assert figures["tone_kappa"] >= 0.8
