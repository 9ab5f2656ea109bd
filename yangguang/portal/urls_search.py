from django.urls import path

from . import views_search

app_name = "search"

urlpatterns: list = [
    path("", views_search.search_page, name="search"),
]
