"""Search (检索): catalog categories, items and publications holding every word of a query (in
their own text or in the names of the category and item they are filed under), highlighted."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field, field_validator
from wagtail.api.v3.errors import problem_response

from ..rules.search_text import MAX_QUERY_LENGTH, MAX_RESULTS, MIN_QUERY_LENGTH, query_length
from ..selectors.catalog import visible_category
from ..selectors.search import SearchFilters, SearchHits, SearchResult, search_pages
from ..services import ratelimit
from . import schemas
from .auth import PUBLIC
from .build import page_url
from .catalog import institution_or_404
from .errors import problems
from .pagination import PageInfo, PageParams, paginate
from .publications import PublishedBetween

router = Router(tags=["search"], auth=PUBLIC)


class SearchParams(PublishedBetween):
    """The query and its filters; a date range keeps publications only (a catalog item has no
    publication date)."""

    q: str = Field(
        min_length=MIN_QUERY_LENGTH,
        max_length=MAX_QUERY_LENGTH,
        description=(
            f"What to find: words in Chinese (found inside longer words: 收费 finds "
            f"门诊收费标准), Latin letters or numbers; Traditional characters are accepted. "
            f"Every word must match. At least {MIN_QUERY_LENGTH} characters (422); spaces "
            f"do not count, so a query of fewer other characters finds nothing."
        ),
    )
    institution: schemas.Id | None = Field(
        None, description="An institution's id; the one serving this host when omitted."
    )
    category: schemas.Id | None = Field(None, description="A category's id.")
    department: schemas.Id | None = Field(None, description="The responsible department's id.")

    @field_validator("q")
    @classmethod
    def words_only(cls, value: str) -> str:
        value = " ".join(value.split())
        return value if query_length(value) >= MIN_QUERY_LENGTH else ""


class Segment(Schema):
    text: str
    hit: bool = Field(description="Whether this piece is what was searched for (to highlight).")


class SearchHit(Schema):
    id: int
    title: str
    type: str = Field(
        description="The page type: disclosure.CatalogCategoryPage, disclosure.CatalogItemPage "
        "or a publication's, e.g. disclosure.PublicationPage."
    )
    url: str | None
    publication_date: dt.date | None = Field(description="Publications only.")
    title_segments: list[Segment] = Field(description="The title, cut where the query matched.")
    passage: list[Segment] = Field(
        description="A passage of the text around the first match (… where it was cut)."
    )


class SearchPageOut(PageInfo):
    capped: bool = Field(
        description=f"More than {MAX_RESULTS} pages match; only the best {MAX_RESULTS} are listed."
    )
    items: list[SearchHit]


def _hit(result: SearchResult, request: HttpRequest) -> SearchHit:
    page = result.page
    return SearchHit(
        id=page.pk,
        title=page.title,
        type=f"{page._meta.app_label}.{type(page).__name__}",
        url=page_url(page, request),
        publication_date=result.publication_date,
        title_segments=[Segment(text=s.text, hit=s.hit) for s in result.title],
        passage=[Segment(text=s.text, hit=s.hit) for s in result.passage],
    )


@router.get(
    "/search/",
    response={200: SearchPageOut, **problems(401, 404, 422, 429)},
    operation_id="search",
    summary="Search the catalog and its publications",
)
def search(request: HttpRequest, params: Query[SearchParams], page: Query[PageParams]):
    """Pages the caller may see holding every word of ``q`` in their title, in the names of the
    category and item they are filed under (收费 finds the price lists of 医保价格收费), or in
    their text. Categories and items named by the words come first, then publications so
    titled (newest first), then what is filed under the names (items, then publications newest
    first), then text matches by relevance (newest first among equals). A date range keeps
    publications only. Rate-limited per client (429)."""
    if not ratelimit.allow_request(request, "search"):
        return problem_response(
            status=429, detail=_("Too many searches in a short time. Please try again later.")
        )
    site = institution_or_404(params.institution, request)
    hits = SearchHits([], ())
    category = visible_category(params.category, request.user) if params.category else None
    if params.q and (params.category is None or category is not None):
        hits = search_pages(
            root=site.root_page,
            user=request.user,
            query=params.q,
            filters=SearchFilters(
                category=category,
                department_id=params.department,
                date_from=params.date_from,
                date_to=params.date_to,
            ),
        )
    answer = paginate(request, hits, page, lambda rows: [_hit(row, request) for row in rows])
    return {**answer, "capped": hits.capped}
