"""Why the models said what they said, cheaply: a linear model's logit for a class is a sum over the article's
features of coefficient × feature value, so the features with the largest products are the ones that weighed
most. The province's reasons are the places the reader weighed for the province it chose.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from domain.records import Place, Term
from nlp.linear import MARK, LinearModel
from nlp.province import ProvinceResult

TOP_TERMS = 5
TOP_PLACES = 4
TITLE = "T_"  # the headline and lead's words carry this prefix (nlp.tokens.features)
# The wording marks of nlp.tokens, as a reader would name them.
MARK_VI = {
    "CUE_BODY": "tên cơ quan, chức danh thi hành án",
    "CUE_PARTY": "người phải / được thi hành án",
    "CUE_ACT": "thao tác thi hành án (kê biên, cưỡng chế, quyết định thi hành án…)",
    "CUE_LAW": "luật, văn bản về thi hành án dân sự",
    "CUE_CRIMINAL": "thi hành án hình sự",
    "CUE_OTHER_COERCION": "cưỡng chế của cơ quan khác",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Reasons:
    """Why an article got its labels: the terms behind relevance, topic and tone, the places behind the province."""

    relevance: tuple[Term, ...]
    topic: tuple[Term, ...]
    sentiment: tuple[Term, ...]
    places: tuple[Place, ...]


_names: dict[int, tuple[LinearModel, list[str]]] = {}  # id(model) → (model, its features by column)


def feature_names(model: LinearModel) -> list[str]:
    """The model's features by column: its vocabulary, then its marks (built once per model)."""
    known = _names.get(id(model))
    if known is not None and known[0] is model:
        return known[1]
    names = [""] * len(model.vocabulary)
    for word, column in model.vocabulary.items():
        names[column] = word
    names += list(model.marks)
    if len(_names) > 8:  # versions come and go: keep the latest few
        _names.clear()
    _names[id(model)] = (model, names)
    return names


def readable(feature: str) -> tuple[str, str]:
    """(the feature as a reader would say it, where it stood: "mark", "title" or "text")."""
    if feature.startswith(MARK):
        return MARK_VI.get(feature, feature), "mark"
    words = feature.split(" ")
    part = "title" if any(w.startswith(TITLE) for w in words) else "text"
    return " ".join(w.removeprefix(TITLE).replace("_", " ") for w in words), part


def top_terms(model: LinearModel, tokens: list[str], label: str, k: int = TOP_TERMS) -> tuple[Term, ...]:
    """The `k` features of `tokens` that pushed the model most towards `label` (coefficient × value > 0), largest
    first. For a binary model the one row of coefficients points to its second class; for several classes the
    coefficients are centred over the classes (the probabilities are the same), so that a word every class
    weighs alike does not pass for a reason."""
    cols, values = model.vector(tokens)
    if not len(cols):
        return ()
    if model.coef.shape[0] == 1:
        sign = 1.0 if label == model.classes[1] else -1.0
        weights = sign * model.coef[0, cols] * values
    else:  # softmax is unchanged by a per-feature shift: centred coefficients say what sets this class apart
        block = model.coef[:, cols]
        weights = (block[model.classes.index(label)] - block.mean(axis=0)) * values
    order = np.argsort(-weights)[:k]
    names = feature_names(model)
    terms = []
    for i in order:
        if weights[i] <= 0:
            break
        text, part = readable(names[int(cols[i])])
        terms.append(Term(text=text, part=part, weight=float(weights[i])))
    return tuple(terms)


def deciding_places(result: ProvinceResult, *, home_province: str | None = None) -> tuple[Place, ...]:
    """The places weighed for the province chosen (the same name in the same part counted once, weights added),
    heaviest first; for a nationwide result the wording that spoke of the whole system; for a result from the
    outlet's home province, that."""
    summed: dict[tuple[str, str], float] = {}
    for mention, part, gain in result.weighed:
        units = (mention.province,) if isinstance(mention.province, str) else mention.province
        if result.province in units:
            key = (mention.text, "body" if mention.in_body_name else part)
            summed[key] = summed.get(key, 0.0) + gain / len(units)
    places = [Place(text=t, part=p, weight=w) for (t, p), w in summed.items()]
    if not places and result.province == home_province:
        places = [Place(text=home_province, part="home", weight=0.0)]
    if not places and result.central:
        counted: dict[str, int] = {}
        for phrase in result.central:
            counted[phrase.lower()] = counted.get(phrase.lower(), 0) + 1
        places = [Place(text=t, part="central", weight=float(n)) for t, n in counted.items()]
    return tuple(sorted(places, key=lambda p: -p.weight)[:TOP_PLACES])
