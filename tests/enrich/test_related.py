"""Related stories, story clusters and the source's RELATED lines: each rule on its own."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import time
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support import EVAL

from generator.enrich import related
from generator.enrich import vectors as models
from generator.enrich.related import HeadlineIndex, StoryDoc, link_archive
from generator.enrich.tfidf import count_terms

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


def test_reports_of_one_event_are_one_story_and_an_unrelated_article_shows_nothing():
    links = link_archive([doc("a", STORM), doc("b", FERRIES, days=1, source="Harbour Herald"), doc("c", COURT)])
    assert links.coverage["a"] == ("b",) and links.coverage["b"] == ("a",)
    assert links.related["c"] == () and "c" not in links.coverage  # no link rather than a weak one
    assert "b" not in {link.key for link in links.related["a"]}  # other coverage, not related


def test_never_itself_and_a_near_duplicate_is_the_same_story():
    links = link_archive([doc("a", STORM), doc("copy", STORM, source="Other Wire"), doc("b", BIKES)])
    assert "a" not in {link.key for link in links.related["a"]}
    assert "copy" in links.coverage["a"]
    assert links.related["b"] == ()


def test_one_sources_follow_up_is_related_alone_and_joins_the_story_another_source_reports():
    """A story is one event as two sources or more report it: one source's pieces alone are
    related stories of each other (shown on each other's pages all the same, issue #15)."""
    alone = link_archive([doc("a", STORM, source="Digest Wire"), doc("b", FERRIES, days=1, source="Digest Wire")])
    assert alone.coverage == {}
    assert [link.key for link in alone.related["a"]] == ["b"] and [link.key for link in alone.related["b"]] == ["a"]
    reported = [doc("c", STORM + " Zeeland counted the damage.", source="Harbour Herald")]
    joined = link_archive(
        [doc("a", STORM, source="Digest Wire"), doc("b", FERRIES, days=1, source="Digest Wire"), *reported]
    )
    assert set(joined.coverage["a"]) == {"b", "c"}


def test_one_article_twice_from_one_source_is_one_story():
    """A feed item and its saved page: the same text, one source."""
    links = link_archive([doc("a", STORM, source="Digest Wire"), doc("copy", STORM, source="Digest Wire")])
    assert links.coverage["a"] == ("copy",)


def test_a_chain_of_look_alikes_does_not_make_one_story():
    """Average linkage: each story must hold together, not just link article by article (issue #15)."""
    chain = [
        "Storm Ilse flooded Zeeland and the dike at Vlissingen held through the night.",
        "The dike at Vlissingen held; engineers in Zeeland now inspect pumps at Terneuzen harbour.",
        "Pumps at Terneuzen harbour failed, and the port of Terneuzen closed its locks to ships.",
        "The port of Terneuzen reopened its locks as a new cargo terminal for grain ships opened.",
        "A new cargo terminal for grain ships in Antwerp doubles the port's wheat exports this year.",
    ]
    links = link_archive([doc(f"c{n}", text, days=n, source=f"S{n}") for n, text in enumerate(chain)])
    assert "c4" not in links.coverage.get("c0", ())


def test_reasons_name_shared_tags_and_names_never_function_words():
    docs = [doc("a", STORM, tags="Zeeland,Storm Ilse"), doc("b", FERRIES, days=9, tags="Zeeland")]
    _, vectors, _, model, _ = models.model(docs, "en", None)
    terms = tuple(models.terms(vectorizer) for vectorizer in model.vectorizers)
    reason = related._reason(docs[0], docs[1], vectors, terms, 0, 1, models.stop_words_for("en"))
    assert reason.startswith("Shares: Zeeland, ")
    shown = {word.casefold() for word in reason.removeprefix("Shares: ").replace(",", " ").split()}
    assert not shown & models.stop_words_for("en")


def test_editor_pins_come_first_and_bans_never_appear():
    docs = [
        doc("a", STORM, pinned=("court",), banned=("b",)),
        doc("b", FERRIES, days=9),
        doc("court", COURT),
    ]
    links = link_archive(docs).related["a"]
    assert links[0].key == "court" and links[0].reason == "Chosen by the editor"
    assert "b" not in {link.key for link in links}


def test_each_language_is_compared_only_with_itself():
    """Issue #15: German and Portuguese items related to each other through "die", "se" and "que"."""
    german = [
        "Die Regierung hat die neue Steuer für die Bahn beschlossen, die nicht alle wollen.",
        "Die Bahn bekommt die neue Steuer, die Regierung hat es beschlossen, und nicht alle wollen es.",
    ]
    portuguese = "O governo disse que se a chuva continuar, a ponte ao norte vai fechar, e que se deve esperar."
    docs = [doc("de1", german[0], lang="de"), doc("de2", german[1], lang="de-DE", source="Bahnkurier")]
    docs += [doc("pt", portuguese, lang="pt")]
    docs += [doc("en", STORM)]
    links = link_archive(docs)
    assert links.coverage.get("de1") == ("de2",)
    for key in ("de1", "de2"):
        assert not {"pt", "en"} & ({link.key for link in links.related[key]} | set(links.coverage.get(key, ())))
    assert links.related["pt"] == () and "pt" not in links.coverage


def test_function_words_of_every_language_the_feeds_bring_are_stop_words():
    assert {"die", "nicht", "es"} <= models.stop_words_for("de")
    assert {"se", "ao", "que"} <= models.stop_words_for("pt")
    assert {"کے", "میں", "ہے"} <= models.stop_words_for("ur")
    assert {"said", "subscription", "digital"} <= models.stop_words_for("en")


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


def gun_reports(count: int = 400) -> list[StoryDoc]:
    """Real local news (dev/ of the clusters evaluation set): an archive with related links to reuse."""
    path = EVAL / "clusters" / "dev" / "gva_incidents.jsonl"
    if not path.is_file():
        pytest.skip("../shared/eval is not beside the repo")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()[:count]]
    return [
        StoryDoc(
            key=f"g{n}", title=row["title"], text=row["text"], date=DAY - dt.timedelta(days=n), source=row["source"]
        )
        for n, row in enumerate(rows)
        if row["text"].strip()
    ]


def test_a_rebuild_with_nothing_changed_reuses_the_model_and_gives_the_same_links():
    docs = archive(30)
    first = link_archive(docs)
    again = link_archive(docs, cache=first.cache)
    assert again.cache.models["en"].vectorizers is first.cache.models["en"].vectorizers  # not fitted again
    assert (again.related, again.coverage) == (first.related, first.coverage)


def test_one_new_article_is_modelled_alone_and_joins_its_story():
    docs = archive(30)
    first = link_archive(docs)
    newcomer = doc("new", YEAR_ON + " The board adds pumps.", days=31, source="S9")
    after = link_archive([*docs, newcomer], cache=first.cache)
    assert after.cache.models["en"].vectorizers is first.cache.models["en"].vectorizers
    assert after.coverage["new"], "the new article finds its story"
    assert all("new" in after.coverage[key] for key in after.coverage["new"])


def test_a_model_saved_by_the_last_version_is_modelled_again_not_read(tmp_path: Path):
    """Its candidates were lists by key; the fields' names are the same (generator.build.related_step)."""
    from generator.article import write_pickle
    from generator.build.related_step import load_model

    model = link_archive(archive(30)).cache
    write_pickle(tmp_path / "now.pickle", model)
    assert load_model(tmp_path / "now.pickle") is not None
    english = model.models["en"]
    keys = english.keys
    english.candidates = {keys[i]: [(keys[j], cosine) for j, cosine in row] for i, row in enumerate(english.candidates)}
    write_pickle(tmp_path / "before.pickle", model)
    assert load_model(tmp_path / "before.pickle") is None


def test_many_changes_model_the_archive_again():
    docs = archive(30)
    first = link_archive(docs)
    changed = [doc(d.key, d.text + " Updated.", days=i, source=d.source) for i, d in enumerate(docs[:10])] + docs[10:]
    again = link_archive(changed, cache=first.cache)
    assert again.cache.models["en"].vectorizers is not first.cache.models["en"].vectorizers


def test_reasons_are_kept_while_both_articles_stay_and_given_again_when_one_changes(monkeypatch):
    docs = gun_reports()
    first = link_archive(docs)
    asked = []
    real_reason = related._reason
    monkeypatch.setattr(
        related, "_reason", lambda a, b, *rest: asked.append((a.key, b.key)) or real_reason(a, b, *rest)
    )
    again = link_archive(docs, cache=first.cache)
    assert asked == [] and again.related == first.related  # every reason from the cache
    source, (target, *_) = next((key, links) for key, links in first.related.items() if links)
    docs = [dataclasses.replace(d, tags=("Harbour Board",)) if d.key in (source, target.key) else d for d in docs]
    edited = link_archive(docs, cache=again.cache)
    assert edited.cache.models["en"].vectorizers is first.cache.models["en"].vectorizers
    assert asked and all(source in pair or target.key in pair for pair in asked)  # only the edited ones' reasons
    # The shared new tag gives the pair a new reason, or makes the two one story.
    assert target.key in edited.coverage.get(source, ()) or any(
        link.reason.startswith("Shares: Harbour Board") for link in edited.related[source]
    )


def test_a_body_given_as_html_links_as_the_same_text_does():
    docs = archive(12)
    as_html = [dataclasses.replace(d, text="", html=f"<p>{d.text.replace('.', '.</p><p>')}</p>") for d in docs]
    assert link_archive(as_html).related == link_archive(docs).related


def test_a_large_archive_gets_the_same_models_with_its_word_model_fitted_in_another_process(monkeypatch):
    """From PARALLEL_FIT_MIN articles the word model is fitted in a second process: the same models."""
    places = ["Zeeland", "Lisbon", "Idlib", "Utrecht", "Porto", "Aleppo", "Vlissingen", "Braga", "Homs", "Delft"]
    things = ["ferries", "dikes", "rowers", "aid convoys", "cargo bikes", "schools", "trains", "markets"]
    docs = [
        doc(f"story-{n}", f"{things[n % 8]} in {places[n % 10]} and {places[(n * 3) % 10]}: {things[(n * 5) % 8]}")
        for n in range(60)
    ]
    monkeypatch.setattr(models, "PARALLEL_FIT_MIN", 10**9)
    alone_models, alone, alone_shares, alone_furniture = models.fit(docs, "en")
    monkeypatch.setattr(models, "PARALLEL_FIT_MIN", 10)
    parallel_models, parallel, parallel_shares, parallel_furniture = models.fit(docs, "en")
    assert all((one == other).all() for one, other in zip(alone_shares, parallel_shares, strict=True))
    assert alone_furniture == parallel_furniture
    for one, other in zip(alone_models, parallel_models, strict=True):
        assert getattr(one, "vocabulary", None) == getattr(other, "vocabulary", None)
    assert alone_models[0].vocabulary
    for one, other in zip(alone, parallel, strict=True):
        assert one.shape == other.shape and (one != other).nnz == 0
    assert alone[0].nnz > 0


def _count_after_meanwhile(texts, **options):
    """count_terms, but in the process counting a word model only once the build called meanwhile
    (the gate file exists): each such count leaves a file beside the gate."""
    gate = Path(os.environ["NEWSDIGEST_TEST_GATE"])
    if os.getpid() != int(os.environ["NEWSDIGEST_TEST_PARENT"]):
        deadline = time.monotonic() + 120  # against a hang only: the gate opens at once when it works
        while not gate.exists():
            if time.monotonic() > deadline:
                raise TimeoutError("meanwhile was not called while the word model was fitted")
            time.sleep(0.02)
        (gate.parent / f"fitted-{os.getpid()}").touch()
    return count_terms(texts, **options)


def test_meanwhile_is_called_once_while_another_process_fits_or_else_at_the_end(monkeypatch, tmp_path):
    """The build describes its articles while the related step would only wait for the word model
    fitted in another process (generator.build.plugin); once, whatever the languages and the path."""
    docs = [
        *archive(12),
        *(doc(f"nl-{n}", f"{STORM} Verslag {n} over de dijk en de zee.", days=n, lang="nl") for n in range(12)),
    ]
    gate = tmp_path / "gate"
    calls = []

    def meanwhile():
        calls.append(len(list(tmp_path.glob("fitted-*"))))
        gate.touch()

    monkeypatch.setenv("NEWSDIGEST_TEST_GATE", str(gate))
    monkeypatch.setenv("NEWSDIGEST_TEST_PARENT", str(os.getpid()))
    monkeypatch.setattr(models, "count_terms", _count_after_meanwhile)
    monkeypatch.setattr(models, "PARALLEL_FIT_MIN", 10)
    first = link_archive(docs, meanwhile=meanwhile)
    assert calls == [0] and len(list(tmp_path.glob("fitted-*"))) == 2  # once, before both languages' fits
    calls.clear()
    link_archive(docs, cache=first.cache, meanwhile=meanwhile)  # nothing fitted again: at the end
    assert calls == [2]
    calls.clear()
    monkeypatch.setattr(models, "PARALLEL_FIT_MIN", 10**9)
    assert link_archive(docs, meanwhile=meanwhile).related == first.related
    assert calls == [2] and len(list(tmp_path.glob("fitted-*"))) == 2


def test_a_new_article_modelled_alone_gets_the_whole_share_of_its_text_and_the_others_keep_theirs():
    """A rebuild models only what is new (`_update`): its rows' shares of their texts' lengths come
    from the fitted models (terms they never saw count as terms of one text), the others' are kept."""
    docs = gun_reports(300)
    first = link_archive(docs)
    before = first.cache.models["en"]
    short = doc("new", "A shooting at the Vlissingen ferry terminal: Zeeland dike engineers heard shots.", days=1)
    again = link_archive([*docs, short], cache=first.cache).cache.models["en"]
    assert again.vectorizers is before.vectorizers  # modelled alone, not fitted again
    row = {key: n for n, key in enumerate(again.keys)}
    old_row = {key: n for n, key in enumerate(before.keys)}
    for ours, theirs, vectorizer, text in zip(
        again.shares, before.shares, before.vectorizers[::2], models._texts(short)[::2], strict=True
    ):
        assert all(ours[row[key]] == theirs[old_row[key]] for key in before.keys)
        assert ours[row["new"]] == pytest.approx(vectorizer.whole_shares([text])[0])
    assert again.shares[0][row["new"]] < 0.5  # mostly words the archive lacks


def test_an_article_modelled_alone_loses_its_sources_furniture_as_the_fit_takes_it_off_the_others():
    """A source's furniture ("Continue reading ...", on most of its pages) is found at the fit and
    taken off its articles' rows; an article of it modelled alone on a rebuild loses it too, or it
    would look like every other article of its source."""
    furniture = " Continue reading at the Harbour Herald newsroom."
    texts = [STORM, BIKES, COURT, YEAR_ON, FERRIES]
    docs = [doc(f"h{n}", f"{texts[n % 5]} Item {n}.{furniture}", days=n, source="Harbour Herald") for n in range(8)]
    docs += [doc(f"w{n}", f"{texts[n % 5]} Wire item {n}.", days=n, source=f"Wire {n}") for n in range(6)]
    cache = link_archive(docs).cache
    first = cache.models["en"]
    terms = models.terms(first.vectorizers[0])
    columns = {int(np.flatnonzero(terms == word)[0]) for word in ("continue", "reading", "newsroom")}
    assert columns <= first.furniture[0]["Harbour Herald"]
    new = doc("h-new", f"Ferries stopped in Zeeland as the dike held.{furniture}", days=9, source="Harbour Herald")
    again = link_archive([*docs, new], cache=cache).cache.models["en"]
    assert again.vectorizers is first.vectorizers  # modelled alone, not fitted again
    row = again.vectors[0][again.keys.index("h-new")]
    assert row.nnz and not columns & set(row.indices.tolist())
