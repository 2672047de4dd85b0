"""Watch-profile matching at scale: 200 profiles over the 20,000-article sample, against the cost of storing.

Default mode: the starter profiles plus generated realistic variants (200 in all: the starters by province, topic
vocabularies, random AND/OR/NEAR/prefix combinations of corpus words). For every article, in the same run: the
cost of storing it through the project's storage into a fresh SQLite file (article and evidence snapshot, one
transaction per article, as the crawler does), of indexing it once (`ArticleDoc`), and of matching it against
every profile (`ProfileMatcher`); then the ratio matching / storing (target ≤ 0.20). Also the cost without the
anchor index (every profile evaluated) on a subset, to show what the index saves. Prints figures, asserts nothing.

    .venv/bin/python benchmarks/profiles.py --corpus ../shared/corpus/vietnews-sample.jsonl.gz [--limit 20000]

`--starters`: the number of matches of each starter profile over vietnews-sample (where they were tuned),
news-2026-sample (held out) and vietnews-thads-pool (the enforcement articles the sample leaves out), and a
random sample of 20 matches per profile and corpus (title and lead) written to `--samples` for hand-checking.

    .venv/bin/python benchmarks/profiles.py --starters --samples /work/query-samples
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import random
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from html import escape
from pathlib import Path

from crawler.replay.corpus import load_corpus
from domain.matching import ArticleDoc, ProfileMatcher
from domain.provinces import PROVINCES
from domain.records import Article, Outlet, OutletKind
from domain.text import fold_diacritics, fold_words, normalize_vietnamese
from domain.watch_profiles import starter_profiles
from storage.articles import add_article, add_snapshot
from storage.engine import Database
from storage.migrate import upgrade
from storage.outlets import upsert_outlet
from storage.settings import StorageSettings

PROFILES = 200
FETCHED_AT = datetime(2026, 12, 1, tzinfo=UTC)
# Topic vocabularies a unit would watch (the press's own words).
TOPICS: dict[str, tuple[str, ...]] = {
    "đất đai": ("thu hồi đất", "giải phóng mặt bằng", "bồi thường", "sổ đỏ", "tranh chấp đất"),
    "tín dụng": ("nợ xấu", "ngân hàng", "tài sản bảo đảm", "khoản vay", "thế chấp"),
    "tham nhũng": ("tham nhũng", "nhận hối lộ", "lạm quyền", "thu hồi tài sản", "khởi tố"),
    "tòa án": ("tòa án", "bản án", "xét xử", "phúc thẩm", "giám đốc thẩm"),
    "khiếu nại": ("khiếu nại", "tố cáo", "kiến nghị", "đơn thư", "bức xúc"),
    "đấu giá": ("đấu giá", "giá khởi điểm", "tài sản kê biên", "trúng đấu giá", "đặt trước"),
    "doanh nghiệp": ("doanh nghiệp", "phá sản", "giải thể", "hợp đồng", "nợ thuế"),
    "cải cách": ("cải cách hành chính", "chuyển đổi số", "thủ tục hành chính", "một cửa", "trực tuyến"),
    "giao thông": ("tai nạn giao thông", "cao tốc", "vi phạm nồng độ cồn", "tước giấy phép", "CSGT"),
    "môi trường": ("ô nhiễm", "rác thải", "xả thải", "khai thác cát", "phá rừng"),
}


def generated_profiles(words: list[str], count: int, rng: random.Random) -> dict[str, str]:
    """`count` realistic variants: starters by province, topic vocabularies, random combinations of words."""
    starters = starter_profiles()
    out: dict[str, str] = {}
    provinces = list(PROVINCES)
    rng.shuffle(provinces)
    for n, province in enumerate(provinces[:40]):
        base = starters[n % len(starters)]
        out[f"tinh-{n}"] = f'province:"{province}" AND ({base.query})'
    topics = list(TOPICS.items())
    for n in range(60):
        name, vocabulary = topics[n % len(topics)]
        chosen = rng.sample(vocabulary, k=rng.randint(2, 4))
        query = " OR ".join(f'"{w}"' for w in chosen)
        if n % 3 == 0:
            query = f'({query}) AND "{rng.choice(provinces)}"'
        elif n % 3 == 1:
            query = f'({query}) NOT "{rng.choice(vocabulary)}" NEAR/5 "{name}"'
        out[f"chu-de-{n}"] = query
    shapes = (
        "{a} AND ({b} OR {c})",
        '"{a} {b}" NEAR/5 {c}',
        "{a} {b} -{c}",
        "title:{a} OR ({b} NEAR/3 {c})",
        "{a}* AND NOT ({b} OR {c})",
        "({a} OR {b}) AND ({c} OR {d})",
        "{a} NEAR/8 {b} AND {c}",
    )
    n = 0
    while len(out) < count:
        a, b, c, d = rng.sample(words, k=4)
        out[f"ngau-nhien-{n}"] = shapes[n % len(shapes)].format(a=a, b=b, c=c, d=d)
        n += 1
    return out


def corpus_words(rows: list[tuple[str, str, str, str]], rng: random.Random) -> list[str]:
    """Mid-frequency words of the corpus (not the 150 commonest, seen in at least 20 of the first 2,000)."""
    counts: Counter[str] = Counter()
    for _, title, summary, text in rows[:2000]:
        counts.update(set(fold_diacritics(f"{title} {summary} {text}").split()))
    common = {w for w, _ in counts.most_common(150)}
    words = sorted(w for w, c in counts.items() if c >= 20 and w.isalpha() and len(w) >= 3 and w not in common)
    rng.shuffle(words)
    return words[:400]


def page(title: str, summary: str, text: str) -> bytes:
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in text.split("\n"))
    return (
        f'<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>{escape(title)}</title></head>'
        f"<body><h1>{escape(title)}</h1><p>{escape(summary)}</p>{paragraphs}</body></html>"
    ).encode()


def benchmark(corpus: Path, limit: int, naive_subset: int) -> None:
    rng = random.Random(931)
    rows = load_corpus(corpus, limit=limit)
    profiles = {p.code: p.query for p in starter_profiles()}
    profiles |= generated_profiles(corpus_words(rows, rng), PROFILES - len(profiles), rng)
    started = time.perf_counter()
    matcher = ProfileMatcher(profiles)
    compile_s = time.perf_counter() - started
    always = len(matcher.always)

    work = Path(tempfile.mkdtemp(prefix="thads-profiles-"))
    db = Database.from_settings(StorageSettings(database_url=f"sqlite:///{work / 'bench.db'}", data_dir=work))
    upgrade(db.engine)
    with db.session() as session:
        outlet = upsert_outlet(
            session, Outlet(slug="vietnews", name="VietNews", domain="vietnews.vn", kind=OutletKind.NATIONAL)
        )
    assert outlet.id is not None
    names = (outlet.slug, outlet.name, outlet.domain)

    store_s = index_s = match_s = 0.0
    matches: Counter[str] = Counter()
    evaluated = 0
    for n, (source_id, title, summary, text) in enumerate(rows):
        t0 = time.perf_counter()
        with db.session() as session:
            article, _ = add_article(
                session,
                Article(
                    outlet_id=outlet.id,
                    url=f"https://vietnews.vn/{n}.html",
                    title=title,
                    sapo=summary,
                    text=text,
                    content_hash=hashlib.sha256(f"{title}\n{text}".encode()).hexdigest(),
                    fetched_at=FETCHED_AT,
                ),
                known_new=True,
            )
            assert article.id is not None
            add_snapshot(
                session,
                article_id=article.id,
                url=article.url,
                html=page(title, summary, text),
                content_hash=article.content_hash,
                fetched_at=FETCHED_AT,
                first=True,
            )
        t1 = time.perf_counter()
        doc = ArticleDoc(title=title, sapo=summary, text=text, outlet=names)
        t2 = time.perf_counter()
        evaluated += len(matcher.candidates(doc))
        t3 = time.perf_counter()
        found = matcher.match(doc)
        t4 = time.perf_counter()
        store_s, index_s, match_s = store_s + t1 - t0, index_s + t2 - t1, match_s + t4 - t3
        matches.update(found)
        del source_id

    # Without the anchor index: every profile on fresh documents (no check computed yet, nothing built lazily).
    docs = [ArticleDoc(title=t, sapo=s, text=x, outlet=names) for _, t, s, x in rows[:naive_subset]]
    t0 = time.perf_counter()
    for doc in docs:
        for query in matcher.queries:
            query.test(doc)
    naive_ms = (time.perf_counter() - t0) * 1000 / max(len(docs), 1)

    n = len(rows)
    store_ms, index_ms, match_ms = (s * 1000 / n for s in (store_s, index_s, match_s))
    print(f"articles: {n} from {corpus.name}; profiles: {len(profiles)} (compiled in {compile_s * 1000:.1f} ms)")
    print(f"profiles without anchors (always evaluated): {always}")
    print(f"profiles evaluated per article after the anchor index: {evaluated / n:.1f} of {len(profiles)}")
    print(f"store (article + snapshot, SQLite, one transaction): {store_ms:8.3f} ms/article")
    print(f"index (tokenise and fold once):                      {index_ms:8.3f} ms/article")
    print(f"match all {len(profiles)} profiles:                          {match_ms:8.3f} ms/article")
    print(f"  per profile:                                       {match_ms * 1000 / len(profiles):8.3f} µs")
    print(f"  every profile evaluated, no anchor index ({len(docs)} fresh art.): {naive_ms:8.3f} ms/article")
    print(f"ratio match / store:            {match_ms / store_ms:.3f}")
    print(f"ratio (index + match) / store:  {(index_ms + match_ms) / store_ms:.3f}   (target ≤ 0.20)")
    print(
        f"matches per article: {sum(matches.values()) / n:.2f}; profiles that matched nothing: "
        f"{sum(1 for p in profiles if not matches[p])}"
    )


def read_jsonl(path: Path) -> list[dict[str, str]]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def starters(corpus_dir: Path, samples: Path) -> None:
    profiles = starter_profiles()
    matcher = ProfileMatcher({p.code: p.query for p in profiles})
    rng = random.Random(931)
    for name in ("vietnews-sample", "news-2026-sample", "vietnews-thads-pool"):
        rows = read_jsonl(corpus_dir / f"{name}.jsonl.gz")
        hits: dict[str, list[dict[str, str]]] = {p.code: [] for p in profiles}
        for row in rows:
            doc = ArticleDoc(
                title=row["title"], sapo=row.get("summary", ""), text=row["text"], outlet=(row.get("outlet", ""),)
            )
            for code in matcher.match(doc):
                hits[code].append(row)
        print(f"{name} ({len(rows)} articles):")
        folder = samples / name
        folder.mkdir(parents=True, exist_ok=True)
        for profile in profiles:
            found = hits[profile.code]
            print(f"  {profile.code:28} {len(found):6}")
            chosen = rng.sample(found, k=min(20, len(found)))
            lines = [f"# {profile.name}\n# {profile.query}\n# {len(found)} matches, {len(chosen)} sampled\n"]
            for row in chosen:
                lead = normalize_vietnamese(row.get("summary") or row["text"][:300])
                lines.append(f"[ ] {row['id']}\n    {normalize_vietnamese(row['title'])}\n    {lead}\n")
            (folder / f"{profile.code}.txt").write_text("\n".join(lines), encoding="utf-8")
    print(f"samples: {samples}")


def word_frequency(corpus: Path, out: Path, share: float = 0.005) -> None:
    """Write the document frequency of every folded word found in at least `share` of the corpus's articles."""
    counts: Counter[str] = Counter()
    rows = read_jsonl(corpus)
    for row in rows:
        counts.update(set(fold_words(f"{row['title']}\n{row.get('summary', '')}\n{row['text']}")))
    lines = [f"# documents: {len(rows)} ({corpus.name}; benchmarks/profiles.py --word-frequency)"]
    lines += [f"{w} {c}" for w, c in counts.most_common() if c >= share * len(rows)]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines) - 1} words → {out}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpus/vietnews-sample.jsonl.gz"))
    parser.add_argument("--limit", type=int, default=20000)
    parser.add_argument("--naive-subset", type=int, default=1000, help="articles for the no-index comparison")
    parser.add_argument("--starters", action="store_true", help="count and sample the starter profiles' matches")
    parser.add_argument("--samples", type=Path, default=Path("../query-samples"))
    parser.add_argument("--word-frequency", type=Path, help="write the anchors' word frequency table here")
    args = parser.parse_args()
    if args.word_frequency:
        word_frequency(args.corpus, args.word_frequency)
    elif args.starters:
        starters(args.corpus.parent, args.samples)
    else:
        benchmark(args.corpus, args.limit, args.naive_subset)


if __name__ == "__main__":
    main()
