"""Reading what social polling stored: the tone of new comments (nlp.comments), and the story of a post or video
that shares no article's link but whose text is like one of the story's articles (the MinHash shingles of
nlp.stories, containment of the post's shingles in the article's, threshold `nlp.social_join_threshold`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from nlp.comments import load_tone_model, read_comment
from nlp.settings import NlpSettings
from nlp.stories import _SYLLABLE, from_bytes, signature, similar_stories
from storage.engine import Database
from storage.enrichments import recent_signatures
from storage.social import join_post_to_story, recent_leads, set_tones, unjoined_posts, untoned_comments

BATCH = 1000
MIN_SYLLABLES = 15  # a shorter post ("Thi hành án dân sự") is in too many articles to say which story it joins


@dataclass
class SocialReading:
    toned: int = 0
    joined: int = 0  # posts joined to a story by text
    compared: int = 0  # posts compared with the stories


def read_comment_tones(database: Database, *, batch: int = BATCH) -> int:
    """The tone of every stored comment not read yet; returns how many were read."""
    model = load_tone_model()
    done = 0
    while True:
        with database.session() as session:
            pending = untoned_comments(session, limit=batch)
            if not pending:
                return done
            set_tones(session, {i: read_comment(text, model).tone for i, text in pending})
        done += len(pending)
        if len(pending) < batch:
            return done


def join_posts_by_text(database: Database, settings: NlpSettings, *, now: dt.datetime) -> tuple[int, int]:
    """Compare the posts that share no link (published within the window) with the recent articles (their body, as
    stored for clustering, and their headline with the lead, which posts quote most); a post whose shingles an
    article holds at least `social_join_threshold` of joins that article's story.
    Returns (compared, joined)."""
    window = dt.timedelta(days=settings.social_join_days)
    with database.session() as session:
        posts = unjoined_posts(session, published_after=now - window)
        if not posts:
            return 0, 0
        oldest = min(p for _, _, p in posts)
        articles = recent_signatures(session, oldest - window)
        leads = recent_leads(session, oldest - window)
    others = [(story_id, f) for _, story_id, data in articles if (f := from_bytes(data)) is not None]
    others += [(story_id, signature(title, lead)) for story_id, title, lead in leads if lead.strip()]
    joined = 0
    for post_id, text, _ in posts:
        long_enough = len(_SYLLABLE.findall(text)) >= MIN_SYLLABLES
        found = similar_stories([signature("", text)], others, limit=1, floor=0.0) if long_enough else []
        story_id, score = found[0] if found else (None, 0.0)
        if story_id is not None and score < settings.social_join_threshold:
            story_id = None
        with database.session() as session:
            join_post_to_story(session, post_id, story_id, round(score, 4))
        joined += story_id is not None
    return len(posts), joined


def read_social(database: Database, settings: NlpSettings, *, now: dt.datetime) -> SocialReading:
    toned = read_comment_tones(database)
    compared, joined = join_posts_by_text(database, settings, now=now)
    return SocialReading(toned=toned, joined=joined, compared=compared)
