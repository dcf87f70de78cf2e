from django.urls import path

from .feeds import LatestPublicationsFeed
from .views.search import search

app_name = "disclosure"

urlpatterns = [
    path("search/", search, name="search"),
    path("feeds/publications/", LatestPublicationsFeed(), name="publications_feed"),
]
