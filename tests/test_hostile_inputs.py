"""Issue 12, rows 5, 6 and 14: inputs that hung a run or were rejected whole.

Each runs `summarizer run` in a real subprocess (`--backend none`: no model, the whole text path):
a 200,000-character line, a FIFO among the inputs, a few bad bytes in UTF-8, CR-only line endings.
Timings are measured by `bench/bench_long_lines.py`, not asserted here; the subprocess timeout
only turns a hang into a failure."""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

from summarizer.ingest.article import decode_bytes, ingest_file, ingest_text
from summarizer.ingest.navigation import is_navigation
from summarizer.stages.candidates import Candidate, Sentence, add_candidate

SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_85ee287e49764f57.txt"
HANG_GUARD_S = 120  # a hang fails the test; the measured time of a 200k line is about a second


def run_cli(*args: str, timeout: float = HANG_GUARD_S) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", "from summarizer.cli import main; main()", *args]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "SUMMARIZER_"))}
    return subprocess.run(command, capture_output=True, text=True, encoding="utf-8", timeout=timeout, env=env)


# -- row 5: one 200,000-character line ---------------------------------------------------------


def test_a_200k_character_line_is_summarized(tmp_path: Path) -> None:
    text = re.sub(r"[\s，。、；：！？“”（）]", "", ingest_file(SEED).body)  # the article, no navigation
    line = (text * (200_000 // len(text) + 1))[:200_000]
    (tmp_path / "long.txt").write_text("长文测试\n" + line + "\n", encoding="utf-8")
    result = run_cli("run", str(tmp_path / "long.txt"), "-o", str(tmp_path / "out"), "--backend", "none")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("1 ok, 0 resumed, 0 failed")
    summary = json.loads((tmp_path / "out" / "long.json").read_text(encoding="utf-8"))
    assert summary["initiatives"] and summary["locality"]["name"] == "潮州市"  # the line was read


@pytest.mark.parametrize(
    ("line", "navigation"),
    [
        ("您现在的位置 : 网站首页 >> 新闻中心 >> 正文", True),
        ("首页 » 要闻", True),
        ("要闻 › 地方", True),
        ("» 要闻", False),  # a marker needs text on both sides, as before
        ("要闻 »", False),
        ("潮州市推进改革，成效明显。", False),
        (">>", False),
    ],
)
def test_breadcrumbs_are_recognised_as_before(line: str, navigation: bool) -> None:
    assert is_navigation(line) is navigation


def test_name_index_keeps_add_candidates_choices() -> None:
    """The linear index of candidate names picks what the pairwise `add_candidate` picks."""
    from summarizer.stages.candidates import _NameIndex

    rng = random.Random(12)
    sentence = Sentence(0, 1, "x", 0)
    for _ in range(2000):
        alphabet = "甲乙丙“”"[: rng.randint(2, 5)]
        names = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 5))) for _ in range(12)]
        pairwise: list[Candidate] = []
        index = _NameIndex()
        for name in names:
            add_candidate(pairwise, Candidate(name, 0, 0, sentence))
            index.add(Candidate(name, 0, 0, sentence))
        assert [c.name for c in index.found] == [c.name for c in pairwise], names


# -- row 6: FIFOs, sockets and devices among the inputs ----------------------------------------


def test_a_fifo_in_an_input_folder_is_refused_in_one_line(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.txt").write_bytes(SEED.read_bytes())
    os.mkfifo(inputs / "b.txt")  # nobody ever writes to it: opening it to read would block
    result = run_cli("run", str(inputs), "-o", str(tmp_path / "out"), "--backend", "none", timeout=60)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"error: {inputs / 'b.txt'}: a FIFO, not a regular file; give a regular file"
    ]
    assert result.stdout.startswith("1 ok, 0 resumed, 1 failed")


def test_a_socket_or_device_given_as_input_is_refused(tmp_path: Path) -> None:
    import socket

    sock_path = tmp_path / "s.txt"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(sock_path))
        result = run_cli("run", str(sock_path), "/dev/zero", "-o", str(tmp_path / "out"), "--backend", "none")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"error: {sock_path}: a socket, not a regular file; give a regular file",
        "error: /dev/zero: a character device, not a regular file; give a regular file",
    ]


# -- row 14: bad bytes in UTF-8, CR-only line endings ------------------------------------------


def _with_bad_bytes(data: bytes) -> bytes:
    """Three bytes that are never UTF-8, each put between two characters of the text."""
    cuts = [i for i in range(len(data)) if data[i] < 0x80 or data[i] >= 0xC0][300::900][:3]
    for cut in reversed(cuts):
        data = data[:cut] + b"\xff" + data[cut:]
    return data


def test_a_few_bad_bytes_are_replaced_and_reported(tmp_path: Path) -> None:
    path = tmp_path / "bad_bytes.txt"
    path.write_bytes(_with_bad_bytes(SEED.read_bytes()))
    article = ingest_file(path)
    assert article.text.count("\ufffd") == 3
    assert article.warnings == ["3 undecodable byte sequence(s) replaced by U+FFFD"]
    assert article.title == ingest_file(SEED).title

    shown = run_cli("ingest", str(path))
    assert shown.returncode == 0
    assert shown.stderr == f"warning: {path}: 3 undecodable byte sequence(s) replaced by U+FFFD\n"

    result = run_cli("run", str(path), "-o", str(tmp_path / "out"), "--backend", "none")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("1 ok, 0 resumed, 0 failed")


def test_other_encodings_are_not_read_as_damaged_utf8() -> None:
    text = SEED.read_text(encoding="utf-8")
    for encoding in ("gb18030", "big5"):
        data = text.encode(encoding, errors="ignore")
        article = ingest_text(decode_bytes(data, "x"), "x")
        assert article.warnings == [] and "\ufffd" not in article.text


def test_cr_only_line_endings_are_line_endings(tmp_path: Path) -> None:
    text = SEED.read_text(encoding="utf-8")
    path = tmp_path / "old_mac.txt"
    path.write_bytes(text.replace("\n", "\r").encode("utf-8"))
    article, reference = ingest_file(path), ingest_text(text, "ref")
    assert article.body == reference.body and article.title == reference.title
    start = article.body.index("庵埠镇")
    assert article.text[article.to_text_offset(start) :].startswith("庵埠镇")

    result = run_cli("run", str(path), "-o", str(tmp_path / "out"), "--backend", "none")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("1 ok, 0 resumed, 0 failed")
