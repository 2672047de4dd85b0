"""The word-by-word change between two texts of an article."""

from __future__ import annotations

from dashboards.dossier.textdiff import text_changes


def test_one_word_changed() -> None:
    old = "Thu giữ hơn 127 gram ma túy.\nBị cáo lãnh án."
    new = "Thu giữ hơn 172 gram ma túy.\nBị cáo lãnh án."
    changes = text_changes(old, new, old_name="a", new_name="b").splitlines()
    assert changes[:2] == ["--- a", "+++ b"]
    assert [line for line in changes[3:] if line[:1] in "+-"] == ["-127", "+172"]
    assert " ¶" in changes  # the paragraph break is kept as a word of its own


def test_equal_texts_have_no_diff() -> None:
    assert text_changes("Bài viết", "Bài viết", old_name="a", new_name="b") == ""
