from django.urls import path

from . import views_public as v

app_name = "bulletins"

urlpatterns = [
    path("", v.bulletin_list, name="list"),
    path("<int:pk>/", v.bulletin_detail, name="detail"),
    path("<int:pk>.<str:fmt>", v.bulletin_file, name="file"),
]
