"""Public search over the site's catalog items and publications, audience-aware."""

from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from wagtail.models import Page, Site

from ..selectors.search import search_pages

RESULTS_PER_PAGE = 20
MAX_QUERY_LENGTH = 100


def search(request):
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    site = Site.find_for_request(request)
    results = Page.objects.none()
    if query and site is not None:
        results = search_pages(root=site.root_page, user=request.user, query=query)
    page = Paginator(results, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    return TemplateResponse(
        request, "disclosure/search.html", {"search_query": query, "search_results": page}
    )
