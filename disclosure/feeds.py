"""An RSS feed of the site's newest public publications."""

from django.contrib.syndication.views import Feed
from django.utils.translation import gettext_lazy as _
from wagtail.models import Site

from .selectors.catalog import disclosure_index_for_site, latest_publications

FEED_LENGTH = 50


class LatestPublicationsFeed(Feed):
    description = _("The newest information disclosed by the institution.")

    def get_object(self, request, *args, **kwargs):
        self.request = request
        return Site.find_for_request(request)

    def title(self, site):
        return _("%(site)s: information disclosure") % {"site": site.site_name if site else ""}

    def link(self, site):
        index = disclosure_index_for_site(site) if site else None
        return index.get_url(self.request) if index else "/"

    def items(self, site):
        index = disclosure_index_for_site(site) if site else None
        if index is None:
            return []
        # Feeds are public: always read as an anonymous visitor, whoever asks.
        return latest_publications(root=index, user=None, limit=FEED_LENGTH)

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary or item.item_title

    def item_link(self, item):
        return item.get_url(self.request)

    def item_pubdate(self, item):
        return item.first_published_at
