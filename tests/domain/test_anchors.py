import re

from domain.anchors import COMMON, Anchor, AnchorKind, anchors, document_frequency, frequency
from domain.matching import BODY_START, ArticleDoc, Forms, ProfileMatcher
from domain.query import parse_query


def keys(query: str) -> set[Anchor] | None:
    found = anchors(parse_query(query))
    return None if found is None else set(found.keys)


def test_document_frequency_table() -> None:
    table = document_frequency()
    assert table["va"] > 0.9  # "và": in nearly every article
    assert COMMON < table["thi"] < 1
    assert frequency("zzzz") < min(table.values())  # unlisted words are the rarest


def test_a_phrase_is_anchored_on_its_rarest_word() -> None:
    assert keys("VNeID") == {Anchor(AnchorKind.WORD, "vneid")}
    assert keys('"ứng dụng VNeID"') == {Anchor(AnchorKind.WORD, "vneid", frozenset({"ung", "dung"}))}
    # Every syllable of "kê biên tài sản" is in more than 5 % of articles: the rarest, with the others as well.
    assert all(frequency(w) > COMMON for w in ("ke", "bien", "tai", "san"))
    assert keys('"kê biên tài sản"') == {Anchor(AnchorKind.WORD, "bien", frozenset({"ke", "tai", "san"}))}


def test_a_phrase_of_common_words_needs_its_other_words_too() -> None:
    (anchor,) = keys('"Hà Nội"') or set()
    assert anchor.kind is AnchorKind.WORD
    assert frequency(anchor.key) > COMMON
    assert {anchor.key, *anchor.also} == {"ha", "noi"}


def test_headline_terms_and_near() -> None:
    assert keys('title:"phá sản"') == {Anchor(AnchorKind.TITLE_WORD, "pha", frozenset({"san"}))}
    assert keys('"thi hành án" NEAR/5 "kê biên"') == {
        Anchor(AnchorKind.WORD, "bien", frozenset({"thi", "hanh", "an", "ke"}))
    }
    # The headline is rarer than the text: AND keeps the headline's anchor.
    assert keys('"Hà Nội" AND title:"phá sản"') == {Anchor(AnchorKind.TITLE_WORD, "pha", frozenset({"san"}))}
    matcher = ProfileMatcher({"title": 'title:"phá sản"', "any": '"phá sản"'})
    body_only = ArticleDoc(title="Tin kinh tế", text="Công ty phá sản.")
    assert {matcher.ids[n] for n in matcher.candidates(body_only)} == {"any"}
    assert matcher.match(ArticleDoc(title="Công ty phá sản", text="")) == ["title", "any"]


def test_and_keeps_the_cheapest_or_the_union_not_none() -> None:
    assert keys('"Hà Nội" AND THADS') == {Anchor(AnchorKind.WORD, "thads")}
    assert keys("THADS OR VNeID") == {Anchor(AnchorKind.WORD, "thads"), Anchor(AnchorKind.WORD, "vneid")}
    assert keys("NOT THADS") is None
    assert keys("THADS OR NOT VNeID") is None
    assert keys("covid*") == {Anchor(AnchorKind.PREFIX, "covid")}
    huế = keys("province:Huế") or set()
    assert Anchor(AnchorKind.PROVINCE, "Huế") in huế
    assert Anchor(AnchorKind.WORD, "hue") in huế  # not enriched: a mention of the name


def test_forms_count_positions_of_headline_and_body() -> None:
    forms = Forms(["a", "b", "a"], ["c", "a", "a"])
    assert forms.text == " a b a \n c a a "
    assert forms.starts(re.compile(" a(?= )"), False) == [0, 2, BODY_START + 1, BODY_START + 2]
    assert forms.starts(re.compile(" a(?= )"), True) == [0, 2]
    assert forms.starts(re.compile(" a a(?= )"), False) == [BODY_START + 1]  # not across the line break


def test_shared_checks_are_computed_once_per_article() -> None:
    doc = ArticleDoc(title="Cục Thi hành án dân sự kê biên tài sản", text="Chấp hành viên đã cưỡng chế.")
    matcher = ProfileMatcher({"a": '"thi hành án" NEAR/5 "kê biên"', "b": '"thi hành án" NEAR/5 "kê biên" OR x'})
    assert matcher.match(doc) == ["a", "b"]
    assert doc.memo["near/5:any:thi hanh an|any:ke bien"] is True


def test_exact_terms_are_found_in_text_as_written() -> None:
    """Either tone placement, NFD text, any punctuation between the words; not inside another word."""
    new_style = ArticleDoc(title="Lũ ở Thanh Hoá", text="Tỉnh Thanh-Hoá thỏa thuận.")
    decomposed = ArticleDoc(title="Tin", text="Tho\u0309a thua\u0323\u0302n ở Thanh Ho\u0301a")
    folded_only = ArticleDoc(title="Tin", text="thanh hoa, thoa thuan")
    inside = ArticleDoc(title="Tin", text="Bắc Thanh Hóanh")
    matcher = ProfileMatcher({"title": 'title:="Thanh Hóa"', "body": '="thoả thuận"', "name": '="Thanh Hóa"'})
    assert matcher.match(new_style) == ["title", "body", "name"]
    assert matcher.match(decomposed) == ["body", "name"]
    assert matcher.match(folded_only) == []
    assert matcher.match(inside) == []
