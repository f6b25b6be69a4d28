"""Related stories, story clusters and the source's RELATED lines: each rule on its own."""

from __future__ import annotations

import dataclasses
import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.enrich import related
from generator.enrich.related import HeadlineIndex, StoryDoc, link_archive

DAY = dt.datetime(2026, 11, 20, tzinfo=dt.UTC)
STORM = (
    "Storm Ilse flooded Zeeland on Monday. The dike near Vlissingen held as the surge rose, "
    "and water board engineers watched the sea wall all night."
)
FERRIES = (
    "Ferries stopped in Zeeland as Storm Ilse pushed the surge against the dike at Vlissingen; "
    "engineers of the water board said the sea wall held."
)
YEAR_ON = (
    "A year after Storm Ilse, Zeeland repairs the dike at Vlissingen and the water board plans "
    "a higher sea wall against the next surge."
)
BIKES = "A Lisbon startup built a solar cargo bike with a panel roof for deliveries in the city centre hills."
COURT = "The court in Harare sentenced the former minister after a trial about land deals and missing funds."


def doc(key: str, text: str, days: int = 0, source: str = "Wire", tags: str = "", **fields) -> StoryDoc:
    return StoryDoc(
        key=key,
        title="",
        text=text,
        date=DAY + dt.timedelta(days=days),
        source=source,
        tags=tuple(tags.split(",")) if tags else (),
        **fields,
    )


def test_no_articles_and_one_article():
    assert link_archive([]).related == {}
    assert link_archive([doc("a", STORM)]).related == {"a": ()}


def test_similar_stories_link_both_ways_and_unrelated_ones_not_at_all():
    links = link_archive([doc("a", STORM), doc("b", FERRIES, days=1), doc("c", COURT)])
    assert [link.key for link in links.related["a"]] == ["b"]
    assert [link.key for link in links.related["b"]] == ["a"]  # older links forward, newer back
    assert links.related["c"] == ()  # no link rather than a weak one


def test_never_itself_nor_a_near_duplicate_of_itself():
    links = link_archive([doc("a", STORM), doc("copy", STORM, source="Other Wire"), doc("b", FERRIES)])
    assert "a" not in {link.key for link in links.related["a"]}
    assert "copy" not in {link.key for link in links.related["a"]}
    assert "copy" in links.coverage["a"]  # a duplicate is the same story instead


def test_closer_in_time_ranks_first():
    far = doc("far", YEAR_ON, days=200)
    near = doc("near", YEAR_ON, days=2)
    links = link_archive([doc("a", STORM), far, near])
    assert [link.key for link in links.related["a"]] == ["near", "far"]


def test_reasons_name_shared_tags_and_terms():
    links = link_archive([doc("a", STORM, tags="Zeeland,Storm Ilse"), doc("b", FERRIES, days=9, tags="Zeeland")])
    (link,) = links.related["a"]
    assert link.reason.startswith("Shares: Zeeland, ")


def test_editor_pins_come_first_and_bans_never_appear():
    docs = [
        doc("a", STORM, pinned=("court",), banned=("b",)),
        doc("b", FERRIES, days=9),
        doc("court", COURT),
        doc("c", YEAR_ON, days=9),
    ]
    links = link_archive(docs).related["a"]
    assert links[0].key == "court" and links[0].reason == "Chosen by the editor"
    assert "b" not in {link.key for link in links}
    assert "c" in {link.key for link in links}


def test_one_story_needs_other_sources_within_days():
    docs = [
        doc("a", STORM, source="Digest Wire", tags="Zeeland,Storm Ilse"),
        doc("b", FERRIES, days=1, source="Harbour Herald", tags="Zeeland,Storm Ilse"),
        doc("c", YEAR_ON, days=1, source="Digest Wire", tags="Zeeland,Storm Ilse"),
        doc("later", YEAR_ON, days=365, source="Northern Wire", tags="Zeeland,Storm Ilse"),
    ]
    coverage = link_archive(docs).coverage
    assert set(coverage["a"]) == {"b", "c"}  # c joins through b: same source, same story
    assert "later" not in coverage
    assert "b" not in {link.key for link in link_archive(docs).related["a"]}  # other coverage, not related


def test_non_english_articles_are_left_out():
    french = "Le conseil de la ville a voté le budget de la ville pour les bus et les ponts de la rivière."
    links = link_archive([doc("fr1", french, lang="fr"), doc("fr2", french + " Les élus.", lang="fr"), doc("a", STORM)])
    assert "fr1" not in links.related and links.coverage == {}


def test_related_headlines_resolve_to_archive_titles_typos_and_all():
    titles = {"seed": "Dozens dead after airstike hits Syrian school", "other": "Storm Ilse floods Dutch towns"}
    index = HeadlineIndex(titles)
    assert index.resolve(["Dozens dead after airstrike hits Syrian school", "Something else entirely"]) == [
        ("Dozens dead after airstrike hits Syrian school", "seed"),
        ("Something else entirely", None),
    ]
    assert index.resolve(["Storm Ilse floods Dutch towns"], exclude="other") == [
        ("Storm Ilse floods Dutch towns", None)
    ]


@settings(max_examples=40, deadline=None)
@given(st.permutations(range(5)))
def test_results_do_not_depend_on_archive_order(order):
    base = [doc("a", STORM), doc("b", FERRIES, 1), doc("c", BIKES), doc("d", YEAR_ON, 3), doc("e", COURT)]
    expected = link_archive(base)
    shuffled = link_archive([base[i] for i in order])
    assert shuffled.related == expected.related
    assert {k: set(v) for k, v in shuffled.coverage.items()} == {k: set(v) for k, v in expected.coverage.items()}


def archive(count: int) -> list[StoryDoc]:
    topics = [STORM, FERRIES, YEAR_ON, BIKES, COURT]
    return [doc(f"n{n}", f"{topics[n % 5]} Item {n} notes {n * 7}.", days=n, source=f"S{n % 3}") for n in range(count)]


def test_a_rebuild_with_nothing_changed_reuses_the_model_and_gives_the_same_links():
    docs = archive(30)
    first = link_archive(docs)
    again = link_archive(docs, cache=first.cache)
    assert again.cache.vectorizer is first.cache.vectorizer  # not fitted again
    assert (again.related, again.coverage) == (first.related, first.coverage)


def test_one_new_article_is_modelled_alone_and_links_both_ways():
    docs = archive(30)
    first = link_archive(docs)
    newcomer = doc("new", YEAR_ON + " The board adds pumps.", days=40, source="S9")
    after = link_archive([*docs, newcomer], cache=first.cache)
    assert after.cache.vectorizer is first.cache.vectorizer
    assert after.related["new"], "the new article finds its related stories"
    assert any("new" in {link.key for link in after.related[key]} for key in after.related if key != "new")


def test_many_changes_model_the_archive_again():
    docs = archive(30)
    first = link_archive(docs)
    changed = [doc(d.key, d.text + " Updated.", days=i, source=d.source) for i, d in enumerate(docs[:10])] + docs[10:]
    assert link_archive(changed, cache=first.cache).cache.vectorizer is not first.cache.vectorizer


def test_reasons_are_kept_while_both_articles_stay_and_given_again_when_one_changes(monkeypatch):
    docs = archive(30)
    first = link_archive(docs)
    asked = []
    real_reason = related._reason
    monkeypatch.setattr(
        related, "_reason", lambda a, b, *rest: asked.append((a.key, b.key)) or real_reason(a, b, *rest)
    )
    again = link_archive(docs, cache=first.cache)
    assert asked == [] and again.related == first.related  # every reason from the cache
    source, (target, *_) = next((key, links) for key, links in first.related.items() if links)
    position = next(i for i, d in enumerate(docs) if d.key == source)
    docs[position] = dataclasses.replace(docs[position], tags=("Harbour Board",))
    docs = [dataclasses.replace(d, tags=("Harbour Board",)) if d.key == target.key else d for d in docs]
    edited = link_archive(docs, cache=again.cache)
    assert edited.cache.vectorizer is first.cache.vectorizer
    assert asked and all(source in pair or target.key in pair for pair in asked)  # only the edited ones' reasons
    assert any(link.reason.startswith("Shares: Harbour Board") for link in edited.related[source])


def test_a_body_given_as_html_links_as_the_same_text_does():
    docs = archive(12)
    as_html = [dataclasses.replace(d, text="", html=f"<p>{d.text.replace('.', '.</p><p>')}</p>") for d in docs]
    assert link_archive(as_html).related == link_archive(docs).related
