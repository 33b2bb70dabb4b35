"""The oracle bound of the production path: the `single` strategy with a perfect model.

A fake backend answers each chunk request with exactly the gold initiatives whose evidence lies in
that chunk: names, descriptions, quotes and figures copied from the gold file, a quote only when it
occurs in the chunk's text, an outcome only when its evidence does. The article-fields request is
answered with the gold locality and summary. Chunking, grounding, merge and the figure normalizer
then stand alone: whatever the scores below lose is lost by the pipeline, not by a model.

    PYTHONPATH=$PWD .venv/bin/python bench/bench_oracle.py            # seeds and corpus
    PYTHONPATH=$PWD .venv/bin/python bench/bench_oracle.py --losses   # and what each article lost
    PYTHONPATH=$PWD .venv/bin/python bench/bench_oracle.py --chunk-chars 800 --overlap-chars 100

Scored with `summarizer.evaluation.score_article`, the code `summarizer eval` runs. The corpus is
read from ../shared/corpus/articles (never copied into the repository). Prints figures only.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from summarizer.backends.base import Message
from summarizer.backends.fake import FakeBackend
from summarizer.core.config import RunConfig
from summarizer.core.models import ArticleSummary, Initiative
from summarizer.evaluation.metrics import ArticleScore, micro, score_article
from summarizer.evaluation.runs import load_gold
from summarizer.ingest.article import ingest_file
from summarizer.pipeline import summarize
from summarizer.stages.drafts import ArticleFields, ChunkExtraction, DraftInitiative, DraftOutcome

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "articles"
SETS = {"seeds": (ROOT / "seeds", ROOT / "eval" / "gold"), "corpus": (CORPUS, ROOT / "eval" / "corpus-gold")}
COLUMNS = [
    ("init F1", "initiative_f1"),
    ("init R", "initiative_recall"),
    ("outc F1", "outcome_f1"),
    ("fig R", "figure_recall"),
    ("fig acc", "figure_accuracy"),
]
_CHUNK = re.compile(r"<article>\n(.*)\n</article>", re.S)


def chunk_of(messages: list[Message]) -> str:
    """The chunk's text as the extract prompt renders it, between <article> markers."""
    for message in messages:
        found = _CHUNK.search(message.get("content", ""))
        if found:
            return found.group(1)
    raise ValueError("no <article> block in the request")


def _inside(text: str, chunk: str) -> bool:
    return text in chunk or _squeezed(text) in _squeezed(chunk)


def _squeezed(text: str) -> str:
    # Ingest strips each line and joins lines with one newline: compare without whitespace.
    return re.sub(r"\s+", "", text)


def oracle_answer(gold: ArticleSummary, chunk: str) -> ChunkExtraction:
    """Every gold initiative with evidence in `chunk`, holding only what `chunk` shows."""
    drafts = []
    for item in gold.initiatives:
        quotes = [s.text for s in item.evidence if _inside(s.text, chunk)]
        outcomes = [
            DraftOutcome(
                description=o.description, metric=o.metric, value_text=o.value_text, quote=o.evidence.text
            )
            for o in item.outcomes
            if _inside(o.evidence.text, chunk)
        ]
        if quotes or outcomes:
            drafts.append(
                DraftInitiative(
                    name=item.name,
                    domain=item.domain,
                    description=item.description,
                    actors=item.actors,
                    quotes=quotes[:10],
                    outcomes=outcomes,
                )
            )
    return ChunkExtraction(initiatives=drafts)


def oracle_handler(gold: ArticleSummary) -> Callable[[list[Message], type[Any]], Any]:
    def handler(messages: list[Message], response_model: type[Any]) -> Any:
        if response_model is ArticleFields:
            return ArticleFields(locality=gold.locality, summary=gold.summary)
        if response_model is ChunkExtraction:
            return oracle_answer(gold, chunk_of(messages))
        raise ValueError(f"the oracle does not answer {response_model.__name__}")

    return handler


def run_article(
    path: Path, gold: ArticleSummary, **settings: int
) -> tuple[ArticleSummary, ArticleScore, int]:
    article = ingest_file(path)
    backend = FakeBackend(handler=oracle_handler(gold))
    config = RunConfig.for_backend("fake", strategy="single", **settings)
    summary = summarize(article, backend, config)
    chunks = sum(1 for call in backend.history if call.response_model is ChunkExtraction)
    return summary, score_article(summary, gold, article.text), chunks


def _cell(value: float | None) -> str:
    return "   -  " if value is None else f"{value:6.3f}"


def print_losses(summary: ArticleSummary, gold: ArticleSummary, score: ArticleScore) -> None:
    for name in score.missed:
        print(f"      missed initiative: {name}")
    for name in score.spurious:
        print(f"      spurious initiative: {name}")
    predicted = _figures(summary.initiatives)
    for key, where in _figures(gold.initiatives).items():
        if key not in predicted:
            print(f"      lost figure {key[0]!r} ({where})")
    provenance = summary.provenance
    if provenance and (provenance.dropped_initiatives or provenance.dropped_spans):
        print(
            f"      dropped by grounding: {provenance.dropped_initiatives} initiatives, "
            f"{provenance.dropped_spans} spans"
        )


def _figures(items: list[Initiative]) -> dict[tuple[str, float | None, str | None], str]:
    return {(o.value_text or "", o.value, o.unit): i.name for i in items for o in i.outcomes if o.value_text}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--losses", action="store_true", help="list what each article lost")
    parser.add_argument("--only", default="", help="article ids containing this text")
    parser.add_argument("--chunk-chars", type=int, default=RunConfig.chunk_chars)
    parser.add_argument("--overlap-chars", type=int, default=RunConfig.overlap_chars)
    args = parser.parse_args()
    settings = {"chunk_chars": args.chunk_chars, "overlap_chars": args.overlap_chars}
    print(f"single strategy, oracle model; chunk {args.chunk_chars} characters, overlap {args.overlap_chars}")
    print(f"{'article':44} {'chars':>6} {'chunks':>6} " + " ".join(f"{c:>7}" for c, _ in COLUMNS))
    totals: dict[str, list[ArticleScore]] = {}
    for set_name, (articles, gold_dir) in SETS.items():
        if not gold_dir.is_dir() or not articles.is_dir():
            print(f"{set_name}: {articles} or {gold_dir} not found; skipped")
            continue
        for article_id, gold in sorted(load_gold(gold_dir).items()):
            if args.only not in article_id:
                continue
            (path,) = articles.glob(f"{article_id}.*")
            summary, score, chunks = run_article(path, gold, **settings)
            totals.setdefault(set_name, []).append(score)
            chars = len(path.read_text(encoding="utf-8"))
            cells = " ".join(f"{_cell(score.value(m)):>7}" for _, m in COLUMNS)
            print(f"{article_id[:44]:44} {chars:6d} {chunks:6d} {cells}")
            if args.losses:
                print_losses(summary, gold, score)
    print()
    everything = [s for scores in totals.values() for s in scores]
    for name, scores in [*totals.items(), ("all", everything)]:
        cells = " ".join(f"{_cell(micro(scores, m)):>7}" for _, m in COLUMNS)
        print(f"{'micro ' + name:44} {'':6} {len(scores):6d} {cells}")


if __name__ == "__main__":
    main()
