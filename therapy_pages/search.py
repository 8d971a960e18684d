"""
The site search: an index of published pages and FAQ entries, and the query over it.

Each database searches with its own full-text engine. PostgreSQL stems with its
'english' Snowball configuration (there is no British one; British spellings stem the
same way) and ranks with weights, titles and headings above body text. SQLite uses FTS5
with the porter stemmer and bm25 with the same order of weights. When the words as typed
find nothing, each word that matches nothing is replaced by the closest word of the
index's own vocabulary: by trigram similarity (pg_trgm) on PostgreSQL, by difflib on SQLite.

The index holds published content only. It is rebuilt for a page whenever
djangocms-versioning publishes or unpublishes it, inside the same transaction, and a
deleted page takes its entries with it. What visitors type is neither logged nor stored.
"""

import difflib
import html
import re
from dataclasses import dataclass

from cms.models import CMSPlugin, PageContent, Placeholder
from cms.utils.plugins import downcast_plugins
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
    TrigramSimilarity,
)
from django.db import connection
from django.db.models import F, Value
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe
from djangocms_text.models import Text
from djangocms_versioning.constants import OPERATION_PUBLISH, OPERATION_UNPUBLISH

from therapy_pages.models import CallToAction, FaqEntry, Image, SearchEntry, SearchTerm, Section, TitledPoint

LANGUAGE = settings.LANGUAGE_CODE
POSTGRESQL_CONFIG = "english"
MAX_QUERY_WORDS = 8
RESULTS_PER_PAGE = 10
# Marks around matched words in snippets, chosen because page text never holds them:
# the snippet is escaped first, then the marks become <mark> elements.
MATCH_START, MATCH_END = "\x02", "\x03"
# How alike a misspelt word and a word of the vocabulary must be to stand in for it, on
# SQLite; PostgreSQL uses pg_trgm's own threshold (see SearchTerm).
MIN_DIFFLIB_RATIO = 0.7
_WORD = re.compile(r"\w+")
_NOT_TEXT = re.compile(f"[{MATCH_START}{MATCH_END}]")
# What each kind of part adds to its page's entry: (heading fields, body fields).
# FAQ entries are entries of their own, so that a result links to the answer.
_PLUGIN_TEXT_FIELDS = {
    Section: (["heading"], []),
    TitledPoint: (["title"], ["body"]),
    CallToAction: (["heading"], ["text"]),
    Text: ([], ["body"]),
    Image: ([], ["alt_text", "caption"]),
}


# Building the index


def update_index_on_version_change(sender, operation, obj, **kwargs):
    """Keep a page's entries in step with what djangocms-versioning publishes."""
    if operation not in (OPERATION_PUBLISH, OPERATION_UNPUBLISH):
        return
    if operation == OPERATION_UNPUBLISH and kwargs.get("to_be_published"):
        return  # The publish that replaces it indexes the page once it is done.
    index_pages([obj.content.page_id])


def index_pages(page_ids):
    """Rebuild the entries of these pages from their published content, if any."""
    SearchEntry.objects.filter(page_content__page_id__in=page_ids).delete()
    _index(PageContent.objects.filter(page_id__in=page_ids, language=LANGUAGE))


def rebuild_index():
    """Rebuild every entry from the published content; returns how many there are."""
    SearchEntry.objects.all().delete()
    return _index(PageContent.objects.filter(language=LANGUAGE))


def _index(published_contents):
    # Under djangocms-versioning the default PageContent manager sees published content only.
    contents = list(published_contents)
    plugins_by_content = _plugins_by_content(contents)
    entries = []
    for content in contents:
        entries.extend(_entries_for(content, plugins_by_content.get(content.pk, [])))
    SearchEntry.objects.bulk_create(entries)
    if connection.vendor == "postgresql":
        _fill_search_documents([entry.pk for entry in entries])
    return len(entries)


def _plugins_by_content(contents):
    placeholders = Placeholder.objects.filter(
        content_type=ContentType.objects.get_for_model(PageContent),
        object_id__in=[content.pk for content in contents],
    )
    content_by_placeholder = {placeholder.pk: placeholder.object_id for placeholder in placeholders}
    plugins = CMSPlugin.objects.filter(placeholder_id__in=content_by_placeholder, language=LANGUAGE).order_by(
        "placeholder_id", "position"
    )
    plugins_by_content = {}
    for plugin in downcast_plugins(plugins):
        plugins_by_content.setdefault(content_by_placeholder[plugin.placeholder_id], []).append(plugin)
    return plugins_by_content


def _entries_for(content, plugins):
    headings, body = [], [content.meta_description or ""]
    faq_entries = []
    for plugin in plugins:
        if isinstance(plugin, FaqEntry):
            faq_entries.append(
                SearchEntry(
                    page_content=content,
                    anchor=plugin.anchor,
                    title=_plain(plugin.question),
                    body=_plain(plugin.answer),
                    position=len(faq_entries) + 1,
                )
            )
            continue
        heading_fields, body_fields = _PLUGIN_TEXT_FIELDS.get(type(plugin), ([], []))
        headings.extend(getattr(plugin, name) for name in heading_fields)
        body.extend(getattr(plugin, name) for name in body_fields)
    page_entry = SearchEntry(
        page_content=content,
        title=_plain(content.title),
        headings=_plain(" ".join(headings)),
        body=_plain(" ".join(body)),
    )
    return [page_entry, *faq_entries]


def _plain(markup):
    """Text as a reader sees it: no tags, entities decoded, whitespace collapsed."""
    text = html.unescape(strip_tags(markup.replace("<", " <")))
    return " ".join(_NOT_TEXT.sub(" ", text).split())


def _fill_search_documents(entry_ids):
    SearchEntry.objects.filter(pk__in=entry_ids).update(
        search_document=SearchVector("title", weight="A", config=POSTGRESQL_CONFIG)
        + SearchVector("headings", weight="B", config=POSTGRESQL_CONFIG)
        + SearchVector("body", weight="D", config=POSTGRESQL_CONFIG)
    )
    with connection.cursor() as cursor:
        cursor.execute(f"REFRESH MATERIALIZED VIEW {SearchTerm._meta.db_table}")


# Searching


@dataclass
class SearchResult:
    title: str
    url: str
    snippet: str
    page_title: str
    is_faq: bool


@dataclass
class SearchResults:
    results: list
    page: int = 1
    has_more: bool = False
    # True when words that matched nothing were replaced by close words of the index.
    corrected: bool = False

    @property
    def first_number(self):
        return (self.page - 1) * RESULTS_PER_PAGE + 1

    @property
    def last_number(self):
        return self.first_number + len(self.results) - 1


def search(query, page=1):
    """One page of the published pages and FAQ entries holding every word of `query`, best first."""
    words = _WORD.findall(query.lower())[:MAX_QUERY_WORDS]
    if not words:
        return SearchResults([])
    engine = _PostgresqlEngine() if connection.vendor == "postgresql" else _SqliteEngine()
    offset = (page - 1) * RESULTS_PER_PAGE
    corrected = False
    matches = engine.matches([engine.exact(word) for word in words], offset)
    if not matches:
        corrected_terms = engine.corrected(words)
        if corrected_terms:
            matches, corrected = engine.matches(corrected_terms, offset), True
    return SearchResults(
        results=_results(matches[:RESULTS_PER_PAGE]),
        page=page,
        has_more=len(matches) > RESULTS_PER_PAGE,
        corrected=corrected and bool(matches),
    )


@dataclass
class _Match:
    entry_id: int
    title: str
    snippet: str


def _results(matches):
    entries = (
        SearchEntry.objects.filter(pk__in=[match.entry_id for match in matches])
        .select_related("page_content__page")
        .prefetch_related("page_content__page__urls")
        .in_bulk()
    )
    results = []
    for match in matches:
        entry = entries[match.entry_id]
        page_url = entry.page_content.page.get_absolute_url(LANGUAGE)
        if page_url is None:
            continue  # A published page below an unpublished one has no address.
        results.append(
            SearchResult(
                title=_marked(match.title),
                url=f"{page_url}#{entry.anchor}" if entry.anchor else page_url,
                snippet=_marked(match.snippet),
                page_title=entry.page_content.title,
                is_faq=bool(entry.anchor),
            )
        )
    return results


def _marked(text):
    """Index text, escaped, with the engine's match marks turned into <mark> elements."""
    escaped = escape(text).replace(MATCH_START, "<mark>").replace(MATCH_END, "</mark>")
    return mark_safe(escaped)  # noqa: S308 (escaped above; only our own marks are markup)


class _PostgresqlEngine:
    def exact(self, word):
        return SearchQuery(word, config=POSTGRESQL_CONFIG)

    def corrected(self, words):
        """The words with each that matches nothing replaced by the most similar word of
        the index; None if no word needed replacing or one has no similar word."""
        lexemes = self._lexemes(words)
        known = set(SearchTerm.objects.filter(term__in=lexemes).values_list("term", flat=True))
        terms, replaced = [], False
        for word, lexeme in zip(words, lexemes, strict=True):
            if not lexeme or lexeme in known:
                terms.append(self.exact(word))  # A stop word is left for PostgreSQL to ignore.
                continue
            closest = self._most_similar_term(lexeme)
            if closest is None:
                return None
            # The vocabulary holds stems: match them as they are, as word beginnings.
            terms.append(SearchQuery(f"{closest}:*", search_type="raw", config="simple"))
            replaced = True
        return terms if replaced else None

    @staticmethod
    def _lexemes(words):
        columns = ", ".join("array_to_string(tsvector_to_array(to_tsvector(%s, %s)), ' ')" for _ in words)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {columns}", [value for word in words for value in (POSTGRESQL_CONFIG, word)]
            )
            return list(cursor.fetchone())

    @staticmethod
    def _most_similar_term(lexeme):
        candidates = (
            SearchTerm.objects.filter(term__trigram_similar=lexeme)
            .annotate(similarity=TrigramSimilarity("term", Value(lexeme)))
            .order_by("-similarity", "-entries")
            .values_list("term", flat=True)[:5]
        )
        # Only plain words can stand in a query; the index also holds the odd path or address.
        return next((term for term in candidates if _WORD.fullmatch(term)), None)

    def matches(self, terms, offset):
        """One more than a page of matches from `offset`, so the caller knows if more follow."""
        query = terms[0]
        for term in terms[1:]:
            query &= term
        headline_options = {"config": POSTGRESQL_CONFIG, "start_sel": MATCH_START, "stop_sel": MATCH_END}
        entries = (
            SearchEntry.objects.filter(search_document=query)
            .annotate(
                rank=SearchRank(F("search_document"), query),
                marked_title=SearchHeadline("title", query, highlight_all=True, **headline_options),
                snippet=SearchHeadline("body", query, max_words=30, min_words=15, **headline_options),
            )
            .order_by("-rank", "pk")
            .values_list("pk", "marked_title", "snippet")
        )
        return [_Match(*row) for row in entries[offset : offset + RESULTS_PER_PAGE + 1]]


class _SqliteEngine:
    # Ranked by bm25 with weights for the title, headings and body columns.
    MATCHES_SQL = """
        SELECT rowid,
               highlight(therapy_pages_search_fts, 0, %s, %s),
               snippet(therapy_pages_search_fts, 2, %s, %s, '…', 30)
        FROM therapy_pages_search_fts WHERE therapy_pages_search_fts MATCH %s
        ORDER BY bm25(therapy_pages_search_fts, 10.0, 5.0, 1.0), rowid LIMIT %s OFFSET %s
    """
    WORD_EXISTS_SQL = (
        "EXISTS (SELECT 1 FROM therapy_pages_search_fts WHERE therapy_pages_search_fts MATCH %s)"
    )

    def exact(self, word):
        return f'"{word}"'

    def corrected(self, words):
        """The words with each that matches nothing replaced by the closest word of the
        index; None if no word needed replacing or one has no close word."""
        known = self._known(words)
        unknown = [word for word in words if word not in known]
        if not unknown:
            return None
        candidates = self._vocabulary_sharing_first_letters(unknown)
        terms = []
        for word in words:
            if word in known:
                terms.append(self.exact(word))
                continue
            closest = difflib.get_close_matches(word, candidates, n=1, cutoff=MIN_DIFFLIB_RATIO)
            if not closest:
                return None
            # The vocabulary holds stems: match them as word beginnings.
            terms.append(f'"{closest[0]}"*')
        return terms

    def _known(self, words):
        checks = ", ".join([self.WORD_EXISTS_SQL] * len(words))
        with connection.cursor() as cursor:
            cursor.execute("SELECT " + checks, [self.exact(word) for word in words])
            found = cursor.fetchone()
        return {word for word, is_found in zip(words, found, strict=True) if is_found}

    @staticmethod
    def _vocabulary_sharing_first_letters(words):
        """Misspellings seldom change a word's first letter: compare only those terms."""
        if not words:
            return []
        first_letters = sorted({word[0] for word in words})
        terms = SearchTerm.objects.none()
        for letter in first_letters:
            # A range, which fts5vocab answers from the index; it would scan it all for a LIKE.
            terms |= SearchTerm.objects.filter(term__gte=letter, term__lt=chr(ord(letter) + 1))
        return list(terms.order_by("-entries").values_list("term", flat=True))

    def matches(self, terms, offset):
        """One more than a page of matches from `offset`, so the caller knows if more follow."""
        marks = [MATCH_START, MATCH_END] * 2
        with connection.cursor() as cursor:
            cursor.execute(self.MATCHES_SQL, [*marks, " ".join(terms), RESULTS_PER_PAGE + 1, offset])
            return [_Match(*row) for row in cursor.fetchall()]
