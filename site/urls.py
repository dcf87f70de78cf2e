from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.api.v3.urls import api as wagtail_api
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from disclosure import urls as disclosure_urls
from disclosure.sitemaps import DisclosureSitemap

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v3/", wagtail_api.urls),
    path("api/disclosure/v1/", include("disclosure.api.urls")),
    path("sitemap.xml", sitemap, {"sitemaps": {"wagtail": DisclosureSitemap}}, name="sitemap"),
    path("", include(disclosure_urls)),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    from disclosure.media import media_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    # Not Django's static(): it would serve the documents' files raw, around the audience check
    # of Wagtail's document view (/documents/<id>/<name>).
    urlpatterns += media_urlpatterns()

urlpatterns += [
    path("", include(wagtail_urls)),
]
