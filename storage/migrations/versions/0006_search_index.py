"""full-text search index of articles: FTS5 on SQLite, tsvector with unaccent on PostgreSQL

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 19:20:00

Triggers in the database keep the index current, so every writer of `article` (the crawler's extraction
workers, edits through storage.articles.update_article_content, bulk loads) updates it without a line of
Python on its path; existing articles are indexed here. Neither structure is in the ORM metadata (see
storage.views.search and storage.migrate.include_name). What each one holds and why: storage/views/search.py.

A later migration that rebuilds `article` or `enrichment` on SQLite in batch mode (copy, drop, rename) drops
their triggers and must create them again (PostgreSQL keeps them through ALTER TABLE).
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# --- PostgreSQL -------------------------------------------------------------------------------------------
# The search key of a text: unaccent (every Vietnamese letter, đ included, to its base letter; decomposed
# marks too), and the punctuation inside tokens (TP.HCM, thi-hành, 12/3, a@b.vn) turned into spaces so that the
# parser cuts runs of letters and digits as SQLite's unicode61 does and storage.search_terms expects. The
# 'simple' configuration lower-cases and keeps every word (no Vietnamese stemmer exists; syllables are words).
PG_FUNCTIONS = [
    "CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public",
    """
    CREATE FUNCTION thads_search_text(value text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
      SELECT replace(replace(replace(replace(replace(replace(replace(replace(
        public.unaccent('public.unaccent'::regdictionary, value),
        '.', ' '), '-', ' '), '/', ' '), '@', ' '), ':', ' '), '_', ' '), '&', ' '), '+', ' ')
    $$
    """,
    """
    CREATE FUNCTION thads_search_vector(value text) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
      SELECT to_tsvector('pg_catalog.simple'::regconfig, thads_search_text(coalesce(value, '')))
    $$
    """,
    """
    CREATE FUNCTION thads_search_head(title text, sapo text) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
      SELECT setweight(thads_search_vector(title), 'A') || setweight(thads_search_vector(sapo), 'B')
    $$
    """,
]
PG_TABLE = [
    # One row per article: the vectors and, copied from the article and its enrichment, what the filters test.
    # Partitioned by `relevant` so that the relevant few per cent (what users search by default, and all a
    # province-scoped user may see) sit together on few pages, with their own indexes.
    """
    CREATE TABLE article_search (
      article_id bigint NOT NULL REFERENCES article (id) ON DELETE CASCADE,
      relevant boolean NOT NULL DEFAULT false,
      at timestamptz NOT NULL,
      outlet_id bigint NOT NULL,
      topic varchar(32),
      sentiment varchar(16),
      province varchar(64),
      story_id bigint,
      head tsvector NOT NULL,
      document tsvector NOT NULL,
      CONSTRAINT pk_article_search PRIMARY KEY (article_id, relevant)
    ) PARTITION BY LIST (relevant)
    """,
    "CREATE TABLE article_search_relevant PARTITION OF article_search FOR VALUES IN (true)",
    "CREATE TABLE article_search_other PARTITION OF article_search FOR VALUES IN (false)",
]
PG_FILL = """
    INSERT INTO article_search (article_id, relevant, at, outlet_id, topic, sentiment, province, story_id, head,
                                document)
    SELECT a.id, coalesce(e.relevant, false), coalesce(a.published_at, a.fetched_at), a.outlet_id,
           e.topic, e.sentiment, e.province, e.story_id, h.head, h.head || thads_search_vector(a.text)
    FROM article a
    LEFT JOIN enrichment e ON e.article_id = a.id
    CROSS JOIN LATERAL (SELECT thads_search_head(a.title, a.sapo) AS head) h
"""
PG_INDEXES = [
    "CREATE INDEX ix_article_search_document ON article_search USING gin (document)",
    "CREATE INDEX ix_article_search_at ON article_search (at)",
    "CREATE INDEX ix_article_search_province_at ON article_search (province, at)",
    "CREATE INDEX ix_article_search_outlet_at ON article_search (outlet_id, at)",
]
PG_TRIGGERS = [
    """
    CREATE FUNCTION article_search_write() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      v_head tsvector;
    BEGIN
      IF TG_OP = 'UPDATE' AND NEW.title IS NOT DISTINCT FROM OLD.title AND NEW.sapo IS NOT DISTINCT FROM OLD.sapo
         AND NEW.text IS NOT DISTINCT FROM OLD.text THEN
        UPDATE article_search SET at = coalesce(NEW.published_at, NEW.fetched_at), outlet_id = NEW.outlet_id
         WHERE article_id = NEW.id;
        RETURN NULL;
      END IF;
      v_head := thads_search_head(NEW.title, NEW.sapo);
      IF TG_OP = 'UPDATE' THEN
        UPDATE article_search
           SET at = coalesce(NEW.published_at, NEW.fetched_at), outlet_id = NEW.outlet_id, head = v_head,
               document = v_head || thads_search_vector(NEW.text)
         WHERE article_id = NEW.id;
        IF FOUND THEN
          RETURN NULL;
        END IF;
      END IF;
      INSERT INTO article_search (article_id, relevant, at, outlet_id, topic, sentiment, province, story_id, head,
                                  document)
      SELECT NEW.id, coalesce(e.relevant, false), coalesce(NEW.published_at, NEW.fetched_at), NEW.outlet_id,
             e.topic, e.sentiment, e.province, e.story_id, v_head, v_head || thads_search_vector(NEW.text)
      FROM (SELECT 1) AS one LEFT JOIN enrichment e ON e.article_id = NEW.id;
      RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER article_search_write AFTER INSERT OR UPDATE ON article
    FOR EACH ROW EXECUTE FUNCTION article_search_write()
    """,
    # A label that changes moves the row (to the relevant partition, typically); unchanged labels cost nothing.
    """
    CREATE FUNCTION article_search_labels() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' THEN
        UPDATE article_search SET relevant = false, topic = NULL, sentiment = NULL, province = NULL, story_id = NULL
         WHERE article_id = OLD.article_id;
      ELSE
        UPDATE article_search
           SET relevant = NEW.relevant, topic = NEW.topic, sentiment = NEW.sentiment, province = NEW.province,
               story_id = NEW.story_id
         WHERE article_id = NEW.article_id
           AND (relevant, topic, sentiment, province, story_id)
               IS DISTINCT FROM (NEW.relevant, NEW.topic, NEW.sentiment, NEW.province, NEW.story_id);
      END IF;
      RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER article_search_labels AFTER INSERT OR UPDATE OR DELETE ON enrichment
    FOR EACH ROW EXECUTE FUNCTION article_search_labels()
    """,
]
PG_DOWNGRADE = [
    "DROP TRIGGER IF EXISTS article_search_labels ON enrichment",
    "DROP TRIGGER IF EXISTS article_search_write ON article",
    "DROP FUNCTION IF EXISTS article_search_labels()",
    "DROP FUNCTION IF EXISTS article_search_write()",
    "DROP TABLE IF EXISTS article_search",
    "DROP FUNCTION IF EXISTS thads_search_head(text, text)",
    "DROP FUNCTION IF EXISTS thads_search_vector(text)",
    "DROP FUNCTION IF EXISTS thads_search_text(text)",
    # The unaccent extension stays: other objects of the database may use it.
]

# --- SQLite -----------------------------------------------------------------------------------------------
# Contentless FTS5 (the text stays in `article` only), rowid = article id. unicode61 with remove_diacritics 2
# folds every diacritic and lower-cases, but đ is a letter of its own to Unicode: it is folded here.


SQLITE_UPGRADE = [
    "CREATE VIRTUAL TABLE article_fts USING fts5("
    "title, sapo, text, content='', tokenize='unicode61 remove_diacritics 2')",
    """
    INSERT INTO article_fts (rowid, title, sapo, text)
    SELECT article.id, replace(replace(article.title, 'đ', 'd'), 'Đ', 'd'),
              replace(replace(article.sapo, 'đ', 'd'), 'Đ', 'd'), replace(replace(article.text, 'đ', 'd'), 'Đ', 'd')
    FROM article
    """,
    """
    CREATE TRIGGER article_fts_insert AFTER INSERT ON article BEGIN
      INSERT INTO article_fts (rowid, title, sapo, text)
      VALUES (new.id, replace(replace(new.title, 'đ', 'd'), 'Đ', 'd'),
              replace(replace(new.sapo, 'đ', 'd'), 'Đ', 'd'), replace(replace(new.text, 'đ', 'd'), 'Đ', 'd'));
    END
    """,
    """
    CREATE TRIGGER article_fts_update AFTER UPDATE OF title, sapo, text ON article BEGIN
      INSERT INTO article_fts (article_fts, rowid, title, sapo, text)
      VALUES ('delete', old.id, replace(replace(old.title, 'đ', 'd'), 'Đ', 'd'),
              replace(replace(old.sapo, 'đ', 'd'), 'Đ', 'd'), replace(replace(old.text, 'đ', 'd'), 'Đ', 'd'));
      INSERT INTO article_fts (rowid, title, sapo, text)
      VALUES (new.id, replace(replace(new.title, 'đ', 'd'), 'Đ', 'd'),
              replace(replace(new.sapo, 'đ', 'd'), 'Đ', 'd'), replace(replace(new.text, 'đ', 'd'), 'Đ', 'd'));
    END
    """,
    """
    CREATE TRIGGER article_fts_delete AFTER DELETE ON article BEGIN
      INSERT INTO article_fts (article_fts, rowid, title, sapo, text)
      VALUES ('delete', old.id, replace(replace(old.title, 'đ', 'd'), 'Đ', 'd'),
              replace(replace(old.sapo, 'đ', 'd'), 'Đ', 'd'), replace(replace(old.text, 'đ', 'd'), 'Đ', 'd'));
    END
    """,
]
SQLITE_DOWNGRADE = [
    "DROP TRIGGER IF EXISTS article_fts_delete",
    "DROP TRIGGER IF EXISTS article_fts_update",
    "DROP TRIGGER IF EXISTS article_fts_insert",
    "DROP TABLE IF EXISTS article_fts",
]


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        statements = [*PG_FUNCTIONS, *PG_TABLE, PG_FILL, *PG_INDEXES, *PG_TRIGGERS]
    else:
        statements = SQLITE_UPGRADE
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    for statement in PG_DOWNGRADE if op.get_bind().dialect.name == "postgresql" else SQLITE_DOWNGRADE:
        op.execute(statement)
