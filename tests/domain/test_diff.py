"""The word-level diff of two versions of an article: what was deleted and inserted, unchanged runs shortened."""

from __future__ import annotations

from domain.diff import DiffPart, word_diff

OLD = (
    "Chiều ngày 26-12, Tòa Phúc thẩm TAND Tối cao tại TPHCM đã tuyên bác kháng cáo, y án 18 năm tù giam đối với "
    "Đặng Văn Trung (SN 1980, quê Cà Mau) về tội giết người. Năm 2007, Trung đến thuê nhà của chị Hương."
)


def test_a_changed_figure_is_one_word_deleted_and_one_inserted() -> None:
    diff = word_diff(OLD, OLD.replace("18 năm", "20 năm"))
    assert diff.changed
    assert (diff.deleted, diff.inserted) == (1, 1)
    assert [p.kind for p in diff.parts] == ["same", "deleted", "inserted", "same"]
    assert diff.as_text(3) == "… cáo, y án [-18-] {+20+} năm tù giam …"


def test_every_word_is_kept_in_order_in_the_parts() -> None:
    new = OLD.replace("Năm 2007, ", "") + " Bài viết đã được cập nhật."
    diff = word_diff(OLD, new)
    assert [w for p in diff.parts if p.kind != "inserted" for w in p.words] == OLD.split()
    assert [w for p in diff.parts if p.kind != "deleted" for w in p.words] == new.split()


def test_shortened_keeps_context_beside_each_change_only() -> None:
    diff = word_diff(OLD, OLD + " Cập nhật.")
    short = diff.shortened(4)
    assert short[0].kind == "skipped"
    assert short[1] == DiffPart("same", tuple(OLD.split()[-4:]))
    assert short[-1] == DiffPart("inserted", ("Cập", "nhật."))
    assert len(short[0].words) == len(OLD.split()) - 4


def test_white_space_alone_is_no_change_and_html_is_escaped() -> None:
    same = word_diff("Bản án  số 12/2024\n<b>", "Bản án số 12/2024 <b>")
    assert not same.changed
    assert same.as_html() == "Bản án số 12/2024 &lt;b&gt;"
    changed = word_diff("a <script>", "a <img onerror=x>")
    assert changed.as_html() == "a <del>&lt;script&gt;</del> <ins>&lt;img onerror=x&gt;</ins>"


def test_an_emptied_text_is_all_deleted() -> None:
    diff = word_diff("Bài viết", "")
    assert diff.parts == (DiffPart("deleted", ("Bài", "viết")),)
    assert diff.as_text() == "[-Bài viết-]"
