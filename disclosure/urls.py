from django.urls import path

from .views.search import search

app_name = "disclosure"

urlpatterns = [
    path("search/", search, name="search"),
]
