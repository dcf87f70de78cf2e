from django.urls import path

from .feeds import LatestPublicationsFeed
from .views.scripts import choose_script
from .views.search import search

app_name = "disclosure"

urlpatterns = [
    path("search/", search, name="search"),
    path("script/<str:script>/", choose_script, name="script"),
    path("feeds/publications/", LatestPublicationsFeed(), name="publications_feed"),
]
