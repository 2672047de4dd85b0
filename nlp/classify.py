"""The classifier: relevance, then for relevant articles topic, sentiment, province and entities."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from domain.enums import Sentiment
from domain.records import Reading
from domain.text import normalize_vietnamese
from nlp.entities import find_entities, ner_people
from nlp.explain import Reasons, deciding_places, top_terms
from nlp.linear import LinearModel
from nlp.province import detect_province, home_from_url
from nlp.tokens import HEAD_WORDS, cues, features, passes_gate, reading_window, words

MODEL_DIR = Path(__file__).with_name("models")


class ModelError(Exception):
    """The model files are missing or unreadable; the message says which and how to rebuild them."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Document:
    id: str
    title: str
    text: str
    summary: str = ""
    home_province: str | None = None  # of the outlet, a weak prior for the province
    url: str = ""  # the article's address: names the province of an outlet the registry does not place

    @property
    def home(self) -> str | None:
        return self.home_province or (home_from_url(self.url) if self.url else None)


@dataclass(frozen=True, slots=True, kw_only=True)
class Result(Reading):
    """A reading with the reasons behind it (relevant articles, or every article read with read_all)."""

    reasons: Reasons | None = None


def as_json(reading: Reading, id_: str) -> dict[str, Any]:
    """A reading as `thads-monitor nlp classify` prints it (one JSON line per text)."""
    return {
        "id": id_,
        "relevant": reading.relevant,
        "relevance_score": round(reading.relevance_score, 4),
        "topic": reading.topic,
        "sentiment": reading.sentiment,
        "province": reading.province,
        "entities": [{k: v for k, v in asdict(e).items() if v is not None} for e in reading.entities],
    }


class Classifier:
    def __init__(
        self,
        *,
        relevance: LinearModel,
        topic: LinearModel,
        sentiment: LinearModel,
        threshold: float,
        version: str,
        use_ner: bool = True,
    ) -> None:
        self.relevance = relevance
        self.topic = topic
        self.sentiment = sentiment
        self.threshold = threshold
        self.version = version
        self.use_ner = use_ner

    @classmethod
    def load(cls, directory: Path = MODEL_DIR, *, use_ner: bool = True) -> Classifier:
        meta_path = directory / "meta.json"
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            models = {name: LinearModel.load(directory / name) for name in ("relevance", "topic", "sentiment")}
        except (OSError, ValueError, KeyError) as exc:
            raise ModelError(
                f"không đọc được mô hình trong {directory} ({exc}); dựng lại bằng: thads-monitor nlp train"
            ) from exc
        return cls(**models, threshold=float(meta["threshold"]), version=str(meta["version"]), use_ner=use_ner)

    def classify(self, doc: Document, *, read_all: bool = False) -> Result:
        """`read_all`: topic, tone and province also for an article judged not relevant (to measure them on
        articles known to be relevant, whatever the relevance model says); entities only for relevant ones."""
        title, summary, text = (normalize_vietnamese(x) for x in (doc.title, doc.summary, doc.text))
        gate = passes_gate(title, summary, text)
        if not gate and not read_all:
            return Result(relevant=False, relevance_score=0.0)
        window = reading_window(text)  # the opening, and the passages around enforcement words beyond it
        title_words, summary_words, text_words = words(title), words(summary), words(window)
        marks = cues(title, summary, window)
        full = features(title_words, summary_words, text_words, marks=marks)
        # the character block reads what the words read (nlp.train.char_text)
        score = self.relevance.scores(full, f"{title}\n{summary}\n{window}")["True"]
        score = score if gate else 0.0
        if score < self.threshold and not read_all:
            return Result(relevant=False, relevance_score=score)
        # topic reads the headline, lead and opening; tone the whole window (as nlp.train.LABEL_VIEW)
        head = features(title_words, summary_words, text_words, text_limit=HEAD_WORDS)
        topics = self.topic.scores(head)
        sentiments = self.sentiment.scores(full)
        topic = max(topics, key=lambda k: topics[k])
        sentiment = max(sentiments, key=lambda k: sentiments[k])
        home = doc.home
        place = detect_province(title, summary, text, home_province=home)
        province = place.province
        reasons = Reasons(
            # words and marks only: the character block weighs in the score, but a fragment of a word is no reason
            # a monitor can read (top_terms is given the tokens without the text)
            relevance=top_terms(self.relevance, full, "True"),
            topic=top_terms(self.topic, head, topic),
            sentiment=top_terms(self.sentiment, full, sentiment),
            places=deciding_places(place, home_province=home),
        )
        # NER costs as much per character as segmentation: it reads the headline, where the people who matter
        # are named; honorific patterns ("ông", "bà", "chấp hành viên" + name) cover the rest of the text.
        relevant = score >= self.threshold
        entities = (
            find_entities(f"{title}\n{summary}\n{text}", people=ner_people if self.use_ner else None, lead=title)
            if relevant
            else ()
        )
        return Result(
            relevant=relevant,
            relevance_score=score,
            topic=topic,
            topic_scores={k: round(v, 4) for k, v in topics.items()},
            sentiment=Sentiment(sentiment),
            sentiment_score=round(sentiments[sentiment], 4),
            province=province,
            entities=entities,
            reasons=reasons,
        )
