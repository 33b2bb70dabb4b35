"""One set of defaults: `summarize()` from Python and `summarizer run` choose the same."""

from pathlib import Path

from click.testing import CliRunner

from summarizer.backends.fake import FakeBackend
from summarizer.cli import main
from summarizer.core.config import RunConfig
from summarizer.ingest.article import ingest_file
from summarizer.pipeline import summarize

SEED = sorted((Path(__file__).resolve().parent.parent / "seeds").glob("*.txt"))[0]


class LocalLikeFake(FakeBackend):
    name = "local"  # type: ignore[assignment]


def test_library_defaults_for_the_local_model_ask_what_the_cli_asks():
    backend = LocalLikeFake()
    summary = summarize(ingest_file(SEED), backend)
    assert summary.provenance.strategy == "decomposed"
    asked = {call.prompt_id.partition("@")[0] for call in backend.history}
    assert "article" not in asked  # the CLI's decomposed runs write article fields deterministically
    assert RunConfig.for_backend("local") == RunConfig(
        strategy="decomposed", model_writes_article_fields=False
    )


def test_cli_and_library_agree_for_the_fake_backend(tmp_path, monkeypatch):
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(tmp_path / "cache"))
    out = tmp_path / "run"
    result = CliRunner().invoke(main, ["run", str(SEED), "-o", str(out), "--backend", "fake", "--no-cache"])
    assert result.exit_code == 0, result.output
    from summarizer.core.models import ArticleSummary

    cli_summary = ArticleSummary.model_validate_json((out / f"{SEED.stem}.json").read_text(encoding="utf-8"))
    library = summarize(ingest_file(SEED), FakeBackend())
    assert library.provenance.strategy == cli_summary.provenance.strategy
    assert library.provenance.prompts == cli_summary.provenance.prompts
    assert library.provenance.config_fingerprint == cli_summary.provenance.config_fingerprint
