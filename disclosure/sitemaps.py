"""``sitemap.xml`` with what an anonymous visitor may read, and nothing more.

Wagtail's sitemap lists every live public page, even one below an unpublished page. This one
lists the pages the disclosure API and the site show an anonymous visitor (``visible_to``): the
same pages, without those below an unpublished one. Use it in the project's URLs:
``path("sitemap.xml", sitemap, {"sitemaps": {"wagtail": DisclosureSitemap}})``.
"""

from __future__ import annotations

from wagtail.contrib.sitemaps import Sitemap

from .selectors.visibility import visible_to


class DisclosureSitemap(Sitemap):
    def items(self):
        return visible_to(super().items(), None)
