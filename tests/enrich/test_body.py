"""An article's own enrichment, as Pelican reads its source: sanitised, anchored, timed, described."""

from __future__ import annotations

from generator.enrich.body import DESCRIPTION_LENGTH, body_text, enrich_body

BODY = "<p>First paragraph &amp; more.</p>\n<p>The second one here, longer.</p>"


def test_generated_highlights_link_to_their_paragraphs():
    content, own = enrich_body(BODY, {"highlights": ["The second one here, longer."], "highlights_from": "generated"})
    assert '<p id="highlight-1">The second one here, longer.</p>' in content
    assert own["highlight_anchors"] == ["highlight-1"]
    assert own["description"] == "The second one here, longer."


def test_the_sources_own_highlights_are_not_anchored():
    content, own = enrich_body(BODY, {"highlights": ["First paragraph & more."], "highlights_from": "source"})
    assert content == BODY
    assert own["highlight_anchors"] == [None]


def test_without_highlights_the_description_is_the_bodys_start_cut_at_a_word():
    long = "<p>" + "word " * 300 + "</p>"
    _, own = enrich_body(long, {})
    assert own["highlight_anchors"] == []
    assert own["description"].startswith("word word") and len(own["description"]) <= DESCRIPTION_LENGTH + 1
    assert own["reading_minutes"] == 2  # 300 words at 238 a minute


def test_a_feed_items_html_is_sanitised_again_whatever_the_file_now_says():
    hostile = '<p>Hello <script>alert(1)</script><a href="javascript:alert(2)">x</a></p>'
    content, _ = enrich_body(hostile, {"guid": "urn:item:1"})
    assert "<script" not in content and "javascript:" not in content
    assert enrich_body(hostile, {})[0] == hostile  # not from a feed: our own Markdown, trusted


def test_body_text_drops_tags_and_decodes_entities():
    assert body_text(BODY) == "First paragraph & more. The second one here, longer."
