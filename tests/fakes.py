"""Scripted answers for the fake backend that look like a real model's: quotes from the prompt."""

import re

from summarizer.stages.drafts import ArticleFields, ChunkExtraction


def chunk_text_of(messages):
    match = re.search(r"<article>\n(.*?)\n</article>", messages[-1]["content"], re.S)
    return match.group(1) if match else ""


MODEL_SUMMARY = "潮州以“百千万工程”为头号工程推进城乡区域协调发展。全市强县促镇带村，县域经济和圩镇建设加快。乡村振兴和城乡融合取得新进展。"


def quoting_handler(messages, response_model):
    """One initiative per chunk quoting its first sentence with 改革, with that sentence's figure."""
    if response_model is ArticleFields:
        return {
            "locality": {"name": "潮州市", "level": "city", "province": "广东省"},
            "summary": MODEL_SUMMARY,
        }
    assert response_model is ChunkExtraction
    sentences = re.findall(r"[^。！？\n]*改革[^。！？\n]*[。！？]", chunk_text_of(messages))
    if not sentences:
        return {"initiatives": []}
    quote = sentences[0].strip()
    figure = re.search(r"\d+(?:\.\d+)?(?:万|亿)?(?:元|户|项|个|%)", quote)
    outcomes = [{"description": "成果", "value_text": figure.group(0), "quote": quote}] if figure else []
    return {
        "initiatives": [
            {
                "name": quote[:12],
                "domain": "other",
                "description": quote,
                "quotes": [quote],
                "outcomes": outcomes,
            }
        ]
    }
