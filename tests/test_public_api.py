import summarizer


def test_all_names_exist():
    for name in summarizer.__all__:
        assert hasattr(summarizer, name), name


def test_docstring_example_runs():
    from pathlib import Path

    from summarizer import BackendOptions, RunConfig, build_backend, ingest_file, summarize

    article = ingest_file(Path(__file__).resolve().parent.parent / "seeds" / "000_85ee287e49764f57.txt")
    summary = summarize(article, build_backend(BackendOptions(kind="fake")), RunConfig())
    assert summary.article_id == "000_85ee287e49764f57"
