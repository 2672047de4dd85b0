"""NLP commands: train the models, classify a JSONL file."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from storage.errors import file_problem
from thads_monitor.commands.common import input_file, input_folder, open_database, output_file, settings_of
from thads_monitor.settings import ConfigError

# The commands import the NLP (scikit-learn, underthesea, datasketch: seconds to load) when they run, so that the
# rest of the command line does not wait for it.
nlp_app = typer.Typer(help="Mô hình ngôn ngữ (phân loại bài viết).", no_args_is_help=True)


@nlp_app.command("train")
def train_command(
    corpus: Annotated[Path, typer.Option(help="Thư mục kho bài (ví dụ ../shared/corpus).")],
    labels: Annotated[Path, typer.Option(help="Tệp nhãn JSONL (ví dụ nlp/data/labels-vietnews-pool.jsonl).")],
    out: Annotated[Path | None, typer.Option(help="Thư mục ghi mô hình (mặc định: mô hình của phần mềm).")] = None,
    background: Annotated[int, typer.Option(help="Số bài nền (không liên quan) lấy từ kho mẫu.")] = 3000,
) -> None:
    """Huấn luyện lại các mô hình và viết thẻ mô hình (model card) với số liệu kiểm định chéo."""
    from nlp.train import TrainingError, train

    input_folder(corpus, "--corpus")
    input_file(labels, "--labels")
    try:
        report = train(corpus, labels, out=out) if out else train(corpus, labels, background=background)
    except TrainingError as exc:
        raise ConfigError(str(exc)) from exc
    except OSError as exc:
        raise ConfigError(f"không đọc được kho bài: {file_problem(exc)}") from exc
    rel = report.metrics["relevance"]
    typer.echo(
        f"Liên quan: F1 {rel['f1']:.3f} (P {rel['precision']:.3f}, R {rel['recall']:.3f}), ngưỡng {rel['threshold']}"
    )
    for name in ("topic", "sentiment"):
        r = report.metrics[name]
        typer.echo(
            f"{name}: thật {r['real']['accuracy']:.3f}, bài viết mẫu {r['written']['accuracy']:.3f} (độ chính xác)"
        )
    typer.echo(f"Tỉnh/thành: {report.metrics['province']['real']['accuracy']:.3f} trên bài thật")


def classify_command(
    input: Annotated[Path, typer.Option("--input", help="Tệp JSONL vào: {id, title, text[, summary, outlet]}.")],
    output: Annotated[Path, typer.Option("--output", help="Tệp JSONL ra.")],
) -> None:
    """Phân loại từng bài trong tệp JSONL: liên quan, chủ đề, sắc thái, tỉnh/thành, thực thể."""
    from nlp.classify import Classifier, Document, ModelError

    input_file(input, "--input")
    output_file(output, "--output")
    try:
        classifier = Classifier.load()
    except ModelError as exc:
        raise ConfigError(str(exc)) from exc
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
                )
                out = classifier.classify(doc).as_json(doc.id)
                done += 1
            except (json.JSONDecodeError, KeyError, ValueError, TypeError) as exc:
                reason = f"thiếu trường {exc}" if isinstance(exc, KeyError) else str(exc)
                out = {"line": number, "error": f"dòng {number}: {reason}"}
                bad += 1
            dst.write(json.dumps(out, ensure_ascii=False) + "\n")
    typer.echo(f"Đã phân loại {done} bài, {bad} dòng lỗi → {output}")


def enrich_command(ctx: typer.Context) -> None:
    """Đọc các bài mới đã thu thập: phân loại, xác định tỉnh/thành, gộp các bản đăng lại thành câu chuyện."""
    from nlp.classify import MODEL_DIR, Classifier, ModelError
    from nlp.enrich import run_enrich

    settings = settings_of(ctx)
    try:
        classifier = Classifier.load(settings.nlp.model_dir or MODEL_DIR, use_ner=settings.nlp.use_ner)
    except ModelError as exc:
        raise ConfigError(str(exc)) from exc
    with open_database(settings) as db:
        summary = run_enrich(db, classifier, settings.nlp, now=lambda: datetime.now(UTC))
    typer.echo(
        f"Đã đọc {summary.enriched} bài: {summary.relevant} liên quan đến thi hành án dân sự, "
        f"{summary.new_stories} câu chuyện mới, {summary.joined_stories} bản đăng lại được gộp."
    )


def register(app: typer.Typer) -> None:
    app.add_typer(nlp_app, name="nlp")
    app.command("classify")(classify_command)
    app.command("enrich")(enrich_command)
