"""NLP commands: train the models (a new version, promoted if not worse), list and switch versions, classify a
JSONL file, enrich the collected articles."""

from __future__ import annotations

import getpass
import importlib.util
import json
import socket
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from nlp.promotion import RULE_VI
from storage.engine import Database, check_connection
from storage.errors import StorageError, file_problem
from storage.migrate import current_revision, head_revision
from thads_monitor.commands.common import input_file, input_folder, open_database, output_file, settings_of
from thads_monitor.settings import ConfigError, Settings

if TYPE_CHECKING:
    from nlp.classify import Classifier
    from nlp.validation import Figures

# The commands import the NLP (underthesea, datasketch, and scikit-learn to train: seconds to load) when they run,
# so that the rest of the command line does not wait for it (nlp.promotion is light: the help quotes its rule).
nlp_app = typer.Typer(help="Mô hình ngôn ngữ (phân loại bài viết) và các phiên bản mô hình.", no_args_is_help=True)
FIGURES_VI = (
    ("relevance_f1", "F1 nhận diện tin liên quan"),
    ("relevance_precision", "  độ chính xác (precision)"),
    ("relevance_recall", "  độ bao phủ (recall)"),
    ("topic_accuracy", "Độ chính xác chủ đề"),
    ("tone_macro_f1", "F1 trung bình sắc thái"),
    ("province_accuracy", "Độ chính xác tỉnh/thành"),
)


def _now() -> datetime:
    return datetime.now(UTC)


def _actor() -> str:
    return f"dòng lệnh ({getpass.getuser()}@{socket.gethostname()})"


def _training_installed() -> None:
    """Training needs scikit-learn, the `train` extra; reading articles with the shipped models does not."""
    if importlib.util.find_spec("sklearn") is None:
        raise ConfigError(
            "huấn luyện mô hình cần gói scikit-learn chưa được cài; cài bằng: pip install 'thads-press-monitor[train]'"
        )


def _number(value: float) -> str:
    return f"{value:.3f}".replace(".", ",")


def _reenrich(settings: Settings, db: Database, classifier: Classifier) -> None:
    from nlp.enrich import run_reenrich

    done = run_reenrich(db, classifier, settings.nlp, now=_now())
    typer.echo(
        f"Đã đọc lại {done.read} bài của {settings.nlp.reenrich_days} ngày gần đây bằng mô hình {classifier.version}: "
        f"{done.changed} bài đổi nhãn, {done.kept} bài giữ nhãn do giám sát đã xác định."
    )


@nlp_app.command("train", help=f"Huấn luyện mô hình mới và so sánh với mô hình đang dùng. {RULE_VI}.")
def train_command(
    ctx: typer.Context,
    corpus: Annotated[Path, typer.Option(help="Thư mục kho bài (ví dụ ../shared/corpus).")],
    labels: Annotated[
        Path | None,
        typer.Option(help="Chỉ học từ một tệp nhãn bài VietNews này (mặc định: mọi tệp nhãn trong nlp/data)."),
    ] = None,
    from_db: Annotated[
        bool,
        typer.Option(
            "--from-db", help="Thêm dữ liệu từ cơ sở dữ liệu: nhãn giám sát đã sửa, tin đã xác nhận hoặc loại."
        ),
    ] = False,
    out: Annotated[
        Path | None,
        typer.Option(help="Chỉ ghi mô hình vào thư mục này (không lập phiên bản, không so sánh, không đưa vào dùng)."),
    ] = None,
    background: Annotated[int, typer.Option(help="Số bài nền (tin chung, không liên quan) thêm từ kho mẫu.")] = 0,
    written: Annotated[Path | None, typer.Option(help="Tệp bài viết mẫu (mặc định: của phần mềm).")] = None,
    validation: Annotated[
        Path | None, typer.Option(help="Tệp tập kiểm định cố định (mặc định: nlp/data/validation-ids.jsonl).")
    ] = None,
    cache: Annotated[
        Path | None,
        typer.Option(help="Tệp lưu kết quả tách từ để lần huấn luyện sau dùng lại (chỉ khi có --out)."),
    ] = None,
    library_pages: Annotated[
        Path | None,
        typer.Option(
            "--library-pages",
            help="Tệp nội dung các trang của bộ tin thư viện (nlp/library_set.py) để đo mô hình mới trên tin thật "
            "của báo và năm khác.",
        ),
    ] = None,
) -> None:
    _training_installed()
    from nlp.train import TrainingError, train

    input_folder(corpus, "--corpus")
    if labels is not None:
        input_file(labels, "--labels")
    if library_pages is not None:
        input_file(library_pages, "--library-pages")
    settings = settings_of(ctx)
    if out is not None:
        try:
            report = train(
                corpus,
                labels,
                written=written,
                out=out,
                background=background,
                cache=cache,
                library_pages=library_pages,
            )
        except TrainingError as exc:
            raise ConfigError(str(exc)) from exc
        except OSError as exc:
            raise ConfigError(f"không đọc được kho bài: {file_problem(exc)}") from exc
        rel = report.metrics["relevance"]
        oos, val = rel["out_of_source"]["all"], report.metrics.get("validation", {}).get("relevance")
        typer.echo(
            f"Đã ghi mô hình vào {out}. Liên quan, ngoài nguồn: F1 {_number(oos['f1'])} "
            f"(P {_number(oos['precision'])}, R {_number(oos['recall'])}), ngưỡng {rel['threshold']}"
            + (f"; tập kiểm định: F1 {_number(val['f1'])}" if val else "")
        )
        return
    from nlp.classify import Classifier
    from nlp.retrain import retrain
    from nlp.validation import VALIDATION_IDS, load_validation

    try:
        examples = load_validation(corpus, validation or VALIDATION_IDS)
    except (TrainingError, OSError) as exc:
        raise ConfigError(str(exc)) from exc
    with open_database(settings) as db:
        try:
            done = retrain(
                db,
                corpus=corpus,
                labels=labels,
                validation=examples,
                data_dir=settings.storage.data_dir,
                by=_actor(),
                now=_now(),
                from_db=from_db,
                written=written,
                background=background,
                library_pages=library_pages,
            )
        except (TrainingError, OSError) as exc:
            raise ConfigError(str(exc)) from exc
        if from_db:
            typer.echo(
                f"Dữ liệu từ giám sát: {done.feedback} bài"
                + (
                    f" ({done.incomplete} bài liên quan chưa có đủ chủ đề và sắc thái, chưa dùng)"
                    if done.incomplete
                    else ""
                )
            )
        _print_comparison(done.active, done.active_figures, done.candidate, done.candidate_figures)
        if done.promoted:
            typer.echo(f"Đã đưa mô hình {done.candidate} vào dùng (mô hình trước: {done.active}).")
            _reenrich(settings, db, Classifier.load(_folder(db, done.candidate), use_ner=settings.nlp.use_ner))
        else:
            typer.echo(f"Giữ mô hình {done.active}: mô hình mới {done.candidate} kém hơn. {RULE_VI}.")
            typer.echo(f"Mô hình mới vẫn được lưu; dùng nó bằng: thads-monitor nlp use {done.candidate}")


def _folder(db: Database, version: str) -> Path:
    from nlp.versions import model_path
    from storage.model_versions import get_model_version

    with db.session() as session:
        found = get_model_version(session, version)
    assert found is not None
    return model_path(found)


def _print_comparison(active: str, active_figures: Figures, candidate: str, candidate_figures: Figures) -> None:
    typer.echo(
        f"Tập kiểm định cố định: {candidate_figures.n} bài, trong đó {candidate_figures.n_relevant} bài liên quan."
    )
    width = max(len(label) for _, label in FIGURES_VI) + 2
    typer.echo(f"{'':{width}}{'đang dùng':>12}{'mới':>12}   (đang dùng: {active}; mới: {candidate})")
    for name, label in FIGURES_VI:
        before, after = _number(getattr(active_figures, name)), _number(getattr(candidate_figures, name))
        typer.echo(f"{label:{width}}{before:>12}{after:>12}")


@nlp_app.command("models")
def models_command(ctx: typer.Context) -> None:
    """Các phiên bản mô hình, số liệu trên tập kiểm định và phiên bản đang dùng."""
    from domain.localtime import VN
    from nlp.versions import ensure_shipped
    from storage.model_versions import list_model_versions

    with open_database(settings_of(ctx)) as db:
        ensure_shipped(db, now=_now())
        with db.session() as session:
            versions = list_model_versions(session)
    for v in versions:
        figures = v.metrics.get("validation") or {}
        measured = (
            "kiểm định: " + " · ".join(f"{label.strip()} {_number(figures[name])}" for name, label in FIGURES_VI)
            if figures
            else "chưa đo trên tập kiểm định"
        )
        promoted = (
            f"; đưa vào dùng {v.promoted_at.astimezone(VN):%d/%m/%Y %H:%M} bởi {v.promoted_by}" if v.promoted_at else ""
        )
        typer.echo(
            f"{'*' if v.active else ' '} {v.version}"
            + (" (kèm phần mềm)" if not v.path else "")
            + (" – đang dùng" if v.active else "")
            + f"\n    tạo {v.created_at.astimezone(VN):%d/%m/%Y %H:%M}; {measured}{promoted}"
        )


@nlp_app.command("use")
def use_command(
    ctx: typer.Context, version: Annotated[str, typer.Argument(help="Phiên bản (xem: thads-monitor nlp models).")]
) -> None:
    """Chuyển sang dùng một phiên bản mô hình (kể cả quay lại phiên bản cũ), rồi đọc lại các bài gần đây."""
    from nlp.classify import Classifier, ModelError
    from nlp.versions import ensure_shipped, model_path
    from storage.model_versions import activate_model_version, get_model_version, list_model_versions

    settings = settings_of(ctx)
    with open_database(settings) as db:
        ensure_shipped(db, now=_now())
        with db.session() as session:
            found = get_model_version(session, version)
            if found is None:
                known = ", ".join(v.version for v in list_model_versions(session))
                raise ConfigError(f"không có phiên bản mô hình “{version}” (các phiên bản: {known})")
        try:
            classifier = Classifier.load(model_path(found), use_ner=settings.nlp.use_ner)
        except ModelError as exc:
            raise ConfigError(f"phiên bản {version}: {exc}") from exc
        with db.session() as session:
            activate_model_version(session, version, by=_actor(), at=_now())
        typer.echo(f"Đang dùng mô hình {version}.")
        _reenrich(settings, db, classifier)


def active_classifier(settings: Settings) -> Classifier:
    """The classifier of the active model version (setting nlp.model_dir: that folder); the shipped models when
    there is no database yet (an SQLite file not created, a schema not at the newest migration)."""
    from nlp.classify import MODEL_DIR, Classifier, ModelError
    from nlp.versions import active_model

    nlp = settings.nlp
    folder = nlp.model_dir or MODEL_DIR
    if nlp.model_dir is None and _database_ready(settings):
        db = Database.from_settings(settings.storage)
        try:
            _, folder = active_model(db)
        finally:
            db.dispose()
    try:
        return Classifier.load(folder, use_ner=nlp.use_ner)
    except ModelError as exc:
        raise ConfigError(str(exc)) from exc


def _database_ready(settings: Settings) -> bool:
    url = settings.storage.effective_url()
    if url.get_backend_name() == "sqlite" and not (url.database and Path(url.database).exists()):
        return False
    db = Database.from_settings(settings.storage)
    try:
        check_connection(db.engine)
        return current_revision(db.engine) == head_revision()
    except StorageError:
        return False
    finally:
        db.dispose()


def classify_command(
    ctx: typer.Context,
    input: Annotated[Path, typer.Option("--input", help="Tệp JSONL vào: {id, title, text[, summary, outlet]}.")],
    output: Annotated[Path, typer.Option("--output", help="Tệp JSONL ra.")],
) -> None:
    """Phân loại từng bài trong tệp JSONL (mô hình đang dùng): liên quan, chủ đề, sắc thái, tỉnh/thành, thực thể."""
    from nlp.classify import Document, as_json

    input_file(input, "--input")
    output_file(output, "--output")
    classifier = active_classifier(settings_of(ctx))
    done = bad = 0
    with input.open(encoding="utf-8") as src, output.open("w", encoding="utf-8") as dst:
        for number, line in enumerate(src, 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                if not isinstance(item, dict):
                    raise ValueError("dòng phải là một đối tượng JSON")
                doc = Document(
                    id=str(item["id"]),
                    title=str(item["title"]),
                    text=str(item["text"]),
                    summary=str(item.get("summary") or ""),
                    url=str(item.get("url") or ""),
                )
                out = as_json(classifier.classify(doc), doc.id)
                done += 1
            except (json.JSONDecodeError, KeyError, ValueError, TypeError) as exc:
                reason = f"thiếu trường {exc}" if isinstance(exc, KeyError) else str(exc)
                out = {"line": number, "error": f"dòng {number}: {reason}"}
                bad += 1
            dst.write(json.dumps(out, ensure_ascii=False) + "\n")
    typer.echo(f"Đã phân loại {done} bài, {bad} dòng lỗi → {output}")


def enrich_command(ctx: typer.Context) -> None:
    """Đọc các bài mới đã thu thập (mô hình đang dùng): phân loại, tỉnh/thành, gộp bản đăng lại thành câu chuyện."""
    from nlp.enrich import run_enrich

    settings = settings_of(ctx)
    classifier = active_classifier(settings)
    with open_database(settings) as db:
        summary = run_enrich(db, classifier, settings.nlp, now=_now)
    typer.echo(
        f"Đã đọc {summary.enriched} bài: {summary.relevant} liên quan đến thi hành án dân sự, "
        f"{summary.new_stories} câu chuyện mới, {summary.joined_stories} bản đăng lại được gộp."
    )


def register(app: typer.Typer) -> None:
    app.add_typer(nlp_app, name="nlp")
    app.command("classify")(classify_command)
    app.command("enrich")(enrich_command)
