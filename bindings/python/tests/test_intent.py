"""`classify` and `classify_many` (bindings/python/src/intent.rs); `classify_column` is in
test_arrow.py, the LLM cascade in test_llm.py."""

import pytest

import arichat


def test_classify_opt_out() -> None:
    c = arichat.classify("no me interesa")
    assert c["primary"] == "opt_out"
    top = c["intents"][0]
    assert top["intent"] == "opt_out"
    assert 0.5 <= top["confidence"] <= 1.0
    text = "no me interesa"
    assert text[top["start"] : top["end"]] == top["evidence"]


def test_classify_spans_are_string_indices() -> None:
    text = "👋 holaaa, ¿cuánto cuesta el envío? ya no me interesa"
    c = arichat.classify(text)
    assert len(c["intents"]) >= 2
    for m in c["intents"]:
        assert text[m["start"] : m["end"]] == m["evidence"]


def test_classify_fields_and_other() -> None:
    c = arichat.classify("hola, cuánto cuesta?")
    assert c["primary"] == "price_inquiry"
    assert {m["intent"] for m in c["intents"]} >= {"greeting", "price_inquiry"}
    for m in c["intents"]:
        assert set(m) == {"intent", "confidence", "start", "end", "evidence"}
    assert set(c) == {"intents", "primary", "confidence", "language", "uncertain", "opt_out"}
    assert 0.0 <= c["confidence"] <= 1.0
    assert c["language"] in {"es", "pt", "en", "unknown"}
    assert isinstance(c["uncertain"], bool)
    assert c["opt_out"] is None
    empty = arichat.classify("")
    assert (empty["intents"], empty["primary"], empty["language"]) == ([], "other", "unknown")


def test_classify_opt_out_signal() -> None:
    explicit = arichat.classify("ya no me escriban más por favor")
    assert (explicit["primary"], explicit["opt_out"], explicit["language"]) == ("opt_out", "explicit", "es")
    assert explicit["uncertain"] is False
    # A keyword asked about is not a request to leave.
    quoted = arichat.classify('me llegó un SMS que dice "responda BAJA para cancelar", ¿es de ustedes?')
    assert quoted["primary"] != "opt_out"


def test_classify_many_matches_classify() -> None:
    texts = ["no me interesa", "oi, vcs parcelam em 10x?", "", "quiero comprar 2 😀"]
    assert arichat.classify_many(texts) == [arichat.classify(t) for t in texts]
    assert arichat.classify_many([]) == []
    with pytest.raises(TypeError):
        arichat.classify_many([1, 2])  # type: ignore[list-item]
