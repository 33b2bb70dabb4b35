import pytest

from summarizer.stages.chunking import chunk_text, split_sentences


def _check_offsets(text, chunks):
    for chunk in chunks:
        assert text[chunk.start : chunk.end] == chunk.text


@pytest.mark.parametrize(
    ("text", "max_chars", "expected_chunks"),
    [
        ("", 100, 0),
        ("   \n ", 100, 0),
        ("一句话。", 200, 1),
        ("甲" * 200, 200, 1),  # exactly the limit: one chunk
        ("甲" * 201, 200, 2),  # one sentence over the limit is cut
        ("第一句。第二句！第三句？" * 40, 200, 3),
    ],
)
def test_chunk_table(text, max_chars, expected_chunks):
    chunks = chunk_text(text, max_chars=max_chars, overlap_chars=0)
    assert len(chunks) == expected_chunks
    assert all(len(c.text) <= max_chars for c in chunks)
    _check_offsets(text, chunks)


def test_never_cuts_inside_a_sentence():
    sentences = [f"第{i}项改革取得成效，群众满意度达到{i}%。" for i in range(60)]
    text = "".join(sentences)
    for chunk in chunk_text(text, max_chars=300, overlap_chars=60):
        assert chunk.text.endswith("。")
        assert chunk.text.startswith("第")


def test_overlap_carries_whole_sentences():
    text = "".join(f"句子{i:03d}的内容比较长一些。" for i in range(100))
    chunks = chunk_text(text, max_chars=300, overlap_chars=50)
    for prev, nxt in zip(chunks, chunks[1:], strict=False):
        assert nxt.start < prev.end  # overlap
        assert text[nxt.start : prev.end].endswith("。")


def test_full_width_punctuation_and_mixed_scripts():
    text = "推进“一照通”改革；办理时限压缩85%！GDP增长5.2%?下一句\n新的一行"
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == [
        "推进“一照通”改革；",
        "办理时限压缩85%！",
        "GDP增长5.2%?",
        "下一句\n",
        "新的一行",
    ]


def test_short_article_is_one_chunk():
    text = "短文章。" * 10
    assert len(chunk_text(text, max_chars=1500)) == 1
