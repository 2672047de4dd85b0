"""Why the models said what they said (nlp/explain.py), on the project's real written articles: the top terms
are the features whose coefficient × value is largest (checked against the model's own logit), the places are
those of the province chosen."""

from __future__ import annotations

import numpy as np
import pytest

from nlp.classify import Classifier, Document
from nlp.explain import MARK_VI, deciding_places, readable, top_terms
from nlp.province import detect_province
from nlp.tokens import cues, features, reading_window, words
from tests.seeding import samples


@pytest.fixture(scope="module")
def classifier() -> Classifier:
    return Classifier.load(use_ner=False)


def _doc(key: str) -> Document:
    row = samples()[key]
    return Document(id=key, title=row["title"], summary=row["summary"], text=row["text"])


def test_features_read_as_a_reader_would_say_them() -> None:
    assert readable("T_thi_hành_án") == ("thi hành án", "title")
    assert readable("chấp_hành_viên kê_biên") == ("chấp hành viên kê biên", "text")
    assert readable("T_cưỡng_chế T_nhà") == ("cưỡng chế nhà", "title")
    assert readable("CUE_BODY") == (MARK_VI["CUE_BODY"], "mark")


def test_top_terms_are_the_largest_products_and_sum_towards_the_logit(classifier: Classifier) -> None:
    doc = _doc("written:w4:006")
    window = reading_window(doc.text)
    tokens = features(words(doc.title), words(doc.summary), words(window), marks=cues(doc.title, doc.summary, window))
    terms = top_terms(classifier.relevance, tokens, "True", k=400)
    cols, values = classifier.relevance.vector(tokens)
    products = classifier.relevance.coef[0, cols] * values
    positive = np.sort(products[products > 0])[::-1]
    assert [round(t.weight, 5) for t in terms] == [round(float(p), 5) for p in positive[: len(terms)]]
    # every feature accounted for: the logit is the intercept plus the products
    logit = float(classifier.relevance.intercept[0] + products.sum())
    assert classifier.relevance.scores(tokens)["True"] == pytest.approx(1 / (1 + np.exp(-logit)), rel=1e-5)
    # towards "not relevant" the reasons are other features (the negative products)
    against = top_terms(classifier.relevance, tokens, "False")
    assert not {t.text for t in against} & {t.text for t in terms[:5]}


@pytest.mark.parametrize("key", ["written:w4:005", "written:w4:006", "written:w1:005"])
def test_every_relevant_article_says_why(classifier: Classifier, key: str) -> None:
    result = classifier.classify(_doc(key))
    assert result.relevant
    assert result.reasons is not None
    why = result.reasons
    for terms in (why.relevance, why.topic, why.sentiment):
        assert 1 <= len(terms) <= 5
        assert [t.weight for t in terms] == sorted((t.weight for t in terms), reverse=True)
    assert why.places, "the places that decided the province"
    assert why.relevance[0].text == MARK_VI["CUE_BODY"]  # a THADS body named: the strongest reason


def test_the_places_are_those_of_the_province_chosen() -> None:
    row = samples()["written:w4:005"]  # Mỹ Xuyên (Sóc Trăng before 2025), now Cần Thơ
    found = detect_province(row["title"], row["summary"], row["text"])
    assert found.province == "Cần Thơ"
    places = deciding_places(found)
    assert places[0].part == "body"  # inside "Chi cục THADS huyện Mỹ Xuyên"
    assert "Mỹ Xuyên" in places[0].text
    assert {p.part for p in places} <= {"body", "title", "lead", "text"}


def test_a_nationwide_story_names_the_wording_that_made_it_so() -> None:
    title = "Bộ Tư pháp sơ kết sáu tháng thi hành án dân sự trên cả nước"
    text = "Theo Bộ Tư pháp, toàn ngành đã thi hành xong nhiều việc; Luật Thi hành án dân sự sửa đổi đang được soạn."
    found = detect_province(title, "", text)
    assert found.province == "toan_quoc"
    places = deciding_places(found)
    assert places
    assert {p.part for p in places} == {"central"}
    assert "bộ tư pháp" in {p.text for p in places}
