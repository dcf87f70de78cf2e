from django.urls import path

from .feeds import LatestPublicationsFeed
from .views.annual_report import public_file_view
from .views.preferences import choose_script, choose_text_size
from .views.search import search

app_name = "disclosure"

urlpatterns = [
    path("search/", search, name="search"),
    path("script/<str:script>/", choose_script, name="script"),
    path("text-size/<str:size>/", choose_text_size, name="text_size"),
    path("feeds/publications/", LatestPublicationsFeed(), name="publications_feed"),
    path(
        "annual-reports/<int:page_id>/report.<str:format>",
        public_file_view,
        name="annual_report_file",
    ),
]
