"""Saved HTML news pages -> `ArticleParts`.

The main text comes from trafilatura, which tells an article from the site
around it far better than any rule we would write. The facts about the
article come from what the page states about itself, most precise first:
JSON-LD (`NewsArticle` and kin), then Open Graph and other meta tags, then
the <title>; trafilatura's own metadata only fills what the page leaves out
(its guesses at authors are often page furniture, so authors never come
from it).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import lxml.html
import trafilatura
from dateutil import parser as date_parser

from generator.errors import SourceError
from generator.ingest.parts import ArticleParts
from generator.ingest.text import decode_text

_ARTICLE_TYPES = frozenset({"NewsArticle", "Article", "ReportageNewsArticle", "AnalysisNewsArticle", "BlogPosting"})
_DATE_METAS = (
    "article:published_time",
    "datepublished",
    "pubdate",
    "publish-date",
    "parsely-pub-date",
    "dc.date",
    "dcterms.created",
    "date",
    "ptime",
)
_DECLARED_CHARSET = re.compile(rb"<meta[^>]+charset=[\"']?([\w-]+)", re.IGNORECASE)
_TITLE_SEPARATORS = re.compile(r"\s+[-|–—:]\s+")
_BYLINE_SPLIT = re.compile(r",\s*(?:and\s+)?|\s+and\s+")


def split_page(data: bytes, path: str = "<string>") -> ArticleParts:
    """Take a saved news page apart. Raises `SourceError` naming `path` when it cannot."""
    declared = _DECLARED_CHARSET.search(data[:4096])
    text = decode_text(data, declared[1].decode("ascii") if declared else None)
    try:
        tree = lxml.html.document_fromstring(text)
    except (ValueError, lxml.etree.ParserError) as exc:
        raise SourceError(path, f"not a readable HTML page: {exc}") from exc
    metas = _metas(tree)
    article = next(_json_ld_articles(tree), {})
    fallback = trafilatura.extract_metadata(tree)

    source = _name(article.get("publisher")) or metas.get("og:site_name") or (fallback and fallback.sitename) or ""
    title = str(article.get("headline") or "").strip() or _strip_site(
        metas.get("og:title") or _text(tree.find(".//title")) or (fallback and fallback.title) or "", source
    )
    if not title:
        raise SourceError(path, "no headline found (no JSON-LD headline, og:title or <title>)")
    link = next((url for url in (_canonical(tree), metas.get("og:url"), _url(article)) if url and _is_http(url)), "")
    source = source or urlsplit(link).hostname or ""

    body = trafilatura.extract(text, output_format="txt", include_comments=False, include_tables=False)
    paragraphs = [_unbullet(line) for line in (body or "").splitlines() if line.strip()]
    published = _published(article, metas, fallback)
    while paragraphs and (paragraphs[0] == title or _states_the_date(paragraphs[0], published)):
        paragraphs = paragraphs[1:]  # the page's heading and date line, which the story's page shows itself
    if not paragraphs:
        raise SourceError(path, "no article text found in the page")

    return ArticleParts(
        headline=title,
        paragraphs=tuple(paragraphs),
        source=source,
        link=link,
        authors=_authors(article, metas, source),
        lang=_language(tree, metas, article),
        date=published,
    )


#: A line of nothing but a date and time ("08.04.2015 12:46", "2015-04-08"): no word in it.
_DATE_LINE = re.compile(r"[\d\s./:,-]{8,25}")


def _states_the_date(line: str, published: dt.datetime | None) -> bool:
    """Whether `line` is only the page's publication date (day first or month first), as pages
    print it above their text (heise: "08.04.2015 12:46")."""
    if published is None or not _DATE_LINE.fullmatch(line):
        return False
    for dayfirst in (True, False):
        try:
            stated = date_parser.parse(line, dayfirst=dayfirst)
        except (ValueError, OverflowError):
            continue
        if stated.date() == published.date():
            return True
    return False


def _language(tree: lxml.html.HtmlElement, metas: dict[str, str], article: dict) -> str:
    """The page's language as a BCP 47 tag, from <html lang>, JSON-LD or og:locale."""
    declared = tree.get("lang") or article.get("inLanguage") or metas.get("og:locale") or ""
    tag = str(declared).strip().replace("_", "-")
    return tag if re.fullmatch(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*", tag) else ""


def _metas(tree: lxml.html.HtmlElement) -> dict[str, str]:
    """Meta tags by lowercase property/name; the first one of each wins."""
    found: dict[str, str] = {}
    for meta in tree.iter("meta"):
        key = meta.get("property") or meta.get("name") or meta.get("itemprop")
        content = (meta.get("content") or "").strip()
        if key and content:
            found.setdefault(key.lower(), content)
    return found


def _json_ld_articles(tree: lxml.html.HtmlElement) -> Iterator[dict]:
    """Every article object in the page's JSON-LD, tolerating CDATA and @graph."""
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json":
            continue
        raw = (script.text or "").strip().removeprefix("<![CDATA[").removesuffix("]]>").strip()
        try:
            data = json.loads(raw)
        except json.JSONDecodeError:
            continue  # a broken block says nothing reliable; the meta tags still do
        stack = data if isinstance(data, list) else [data]
        while stack:
            item = stack.pop(0)
            if not isinstance(item, dict):
                continue
            stack.extend(item.get("@graph", []))
            types = item.get("@type")
            if set(types if isinstance(types, list) else [types]) & _ARTICLE_TYPES:
                yield item


def _published(article: dict, metas: dict[str, str], fallback) -> dt.datetime | None:
    candidates = [article.get("datePublished"), *(metas.get(name) for name in _DATE_METAS)]
    candidates.append(fallback and fallback.date)
    for value in candidates:
        if not value or not isinstance(value, str):
            continue
        try:
            parsed = date_parser.isoparse(value)
        except ValueError:
            try:
                parsed = date_parser.parse(value)
            except (ValueError, OverflowError):
                continue
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
    return None


def _authors(article: dict, metas: dict[str, str], source: str) -> tuple[str, ...]:
    names: list[str] = []
    credited = article.get("author")
    for person in credited if isinstance(credited, list) else [credited]:
        name = _name(person)
        if name:
            names.append(name)
    if not names:
        for key in ("author", "article:author"):
            names.extend(_BYLINE_SPLIT.split(metas.get(key, "")))
    cleaned = [name.strip() for name in names if name.strip() and not _is_http(name.strip()) and name.strip() != source]
    return tuple(dict.fromkeys(cleaned))


def _name(value: object) -> str:
    if isinstance(value, dict):
        value = value.get("name")
    if isinstance(value, list):
        value = value[0] if value else ""
    return str(value).strip() if value else ""


def _url(article: dict) -> str:
    page = article.get("mainEntityOfPage")
    return str(article.get("url") or (page.get("@id") if isinstance(page, dict) else page) or "")


def _canonical(tree: lxml.html.HtmlElement) -> str:
    for link in tree.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split():
            return (link.get("href") or "").strip()
    return ""


def _strip_site(title: str, source: str) -> str:
    """ "Obama admits ... - BBC News" -> "Obama admits ...": the site's name is not the headline."""
    title = " ".join(title.split())
    pieces = _TITLE_SEPARATORS.split(title)
    if len(pieces) > 1 and source:
        suffix, site = pieces[-1].casefold(), source.casefold()
        if suffix == site or site.startswith(suffix) or suffix.startswith(site):
            return title[: title.rindex(pieces[-1])].rstrip(" -|–—:")
    return title


def _text(element) -> str:
    return " ".join(element.text_content().split()) if element is not None else ""


def _unbullet(line: str) -> str:
    """trafilatura writes list items as "- item"; the dash is its markup, not the page's."""
    return re.sub(r"^-\s+", "", line.strip())


def _is_http(url: str) -> bool:
    return urlsplit(url).scheme.lower() in ("http", "https")
