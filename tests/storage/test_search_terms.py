"""Reading a search box: words and phrases, queries that no input can break, snippets and marks on real text."""

from __future__ import annotations

import json
import re

from hypothesis import given
from hypothesis import strategies as st

from domain.text import fold_diacritics
from storage.search_terms import (
    MAX_WORDS,
    TOGETHER_WITHIN,
    Terms,
    closer,
    fts5_near,
    fts5_query,
    parse_terms,
    pattern,
    snippet,
    tsquery,
)
from tests.conftest import REPO

SAMPLES = [
    json.loads(line) for line in (REPO / "nlp" / "data" / "written-samples.jsonl").read_text("utf-8").splitlines()
]


def test_words_are_folded_and_quotes_make_phrases() -> None:
    assert parse_terms("Thi hành án THANH HOÁ") == Terms(words=("thi", "hanh", "an", "thanh", "hoa"))
    assert parse_terms("“thi hành án” Đồng Nai") == Terms(words=("dong", "nai"), phrases=(("thi", "hanh", "an"),))
    assert parse_terms('"cưỡng chế" "x"') == Terms(words=("x",), phrases=(("cuong", "che"),))
    assert parse_terms('"thi hành án') == Terms(phrases=(("thi", "hanh", "an"),))  # an unclosed quote runs to the end
    assert parse_terms("thi hành án thi hành") == Terms(words=("thi", "hanh", "an"))
    assert parse_terms("TP.HCM 12/3 e-mail") == Terms(words=("tp", "hcm", "12", "3", "e", "mail"))
    assert not parse_terms("  * - ( ) ! ")
    assert len(parse_terms(" ".join(f"tu{i}" for i in range(500))).words) == MAX_WORDS


def test_engine_queries_quote_every_word() -> None:
    terms = parse_terms('NEAR(thi hành) "án dân sự" -x*')
    assert fts5_query(terms) == '"near" "thi" "hanh" "x" "an dan su"'
    assert tsquery(terms) == "'near' & 'thi' & 'hanh' & 'x' & ('an' <-> 'dan' <-> 'su')"


@given(st.text(max_size=300))
def test_no_input_leaves_anything_but_quoted_words(text: str) -> None:
    terms = parse_terms(text)
    for word in [*terms.words, *(w for p in terms.phrases for w in p)]:
        assert re.fullmatch(r"[^\W_]+", word)
        assert word == fold_diacritics(word)
    assert re.fullmatch(r'(?:"[^\W_]+(?: [^\W_]+)*"(?: |$))*', fts5_query(terms))
    rendered = tsquery(terms)
    for part in rendered.split(" & ") if rendered else []:
        assert re.fullmatch(r"'[^\W_]+'|\('[^\W_]+'(?: <-> '[^\W_]+')+\)", part)


def test_snippets_of_real_articles_mark_the_accented_words() -> None:
    terms = parse_terms("thi hanh an dan su")
    for row in SAMPLES[:120]:
        text, marks = snippet(row["text"], terms)
        assert len(text) <= 244
        for start, end in marks:
            assert fold_diacritics(text[start:end]) in terms.words
            assert not text[start - 1 : start].isalnum()
            assert not text[end : end + 1].isalnum()
        if "thi hành án dân sự" in " ".join(row["text"][:TOGETHER_WITHIN].lower().split()):
            joined = " ".join(fold_diacritics(text[a:b]) for a, b in marks)
            assert "thi hanh an dan su" in joined


def test_tone_placement_and_decomposed_text_are_found() -> None:
    found = pattern(parse_terms("hòa giải Khánh Hoà"))
    assert found is not None
    text = "Hoà giải thành ở Khánh Hòa; HÒA GIẢI ở khánh hoà; ho\u0300a gia\u0309i"
    assert [m.group(0) for m in found.finditer(text)] == [
        "Hoà", "giải", "Khánh", "Hòa", "HÒA", "GIẢI", "khánh", "hoà", "ho\u0300a", "gia\u0309i",
    ]  # fmt: skip
    dong = pattern(parse_terms("dong"))
    assert dong is not None
    assert dong.findall("Đồng đông dòng đong Dong DONGA") == [
        "Đồng",
        "đông",
        "dòng",
        "đong",
        "Dong",
    ]


def test_the_snippet_starts_at_the_first_match_and_cuts_on_words() -> None:
    text = " ".join(["mở đầu"] * 200) + " Cục Thi hành án dân sự tỉnh Thanh Hóa " + " ".join(["kết thúc"] * 200)
    cut, marks = snippet(text, parse_terms("thanh hoa"))
    assert cut.startswith("… ")
    assert cut.endswith(" …")
    assert [cut[a:b] for a, b in marks] == ["Thanh", "Hóa"]
    assert marks[0][0] < 100
    plain, none = snippet("Không có gì", parse_terms(""))
    assert (plain, none) == ("Không có gì", ())


def test_words_side_by_side_in_the_snippet_are_the_only_marks() -> None:
    """ "thi hanh an" in an article of Nghệ An: "Thi hành án" is the match, not "An" of "Nghệ An" alone."""
    row = next(r for r in SAMPLES if r["id"] == "written:w1:001")
    text, marks = snippet(f"{row['summary']}\n{row['text']}", parse_terms("thi hanh an"))
    assert "Thi hành án dân sự tỉnh Nghệ An" in text
    marked = [text[a:b] for a, b in marks]
    assert marked == ["Thi", "hành", "án"] * (len(marked) // 3)
    assert marked
    assert all(text[a - len("Nghệ ") : a] != "Nghệ " for a, _ in marks)
    # Without the words side by side in the piece, each word is the match wherever it stands.
    alone, alone_marks = snippet("Cán bộ tỉnh Nghệ An đi thi, nhận án phạt hành chính.", parse_terms("thi hanh an"))
    assert [alone[a:b] for a, b in alone_marks] == ["An", "thi", "án", "hành"]
    # The engine queries of the ranking: the words side by side, and close together.
    terms = parse_terms("thi hanh an")
    together = closer(terms)
    assert together is not None
    assert (fts5_query(together), tsquery(together)) == ('"thi hanh an"', "('thi' <-> 'hanh' <-> 'an')")
    assert fts5_near(terms) == 'NEAR("thi" "hanh" "an", 8)'
    assert closer(parse_terms('"thi hanh an"')) is None
    assert fts5_near(parse_terms("an")) is None
