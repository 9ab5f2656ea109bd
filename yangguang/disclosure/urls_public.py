"""Public 依申请公开 pages (apply, receipt, tracking)."""

from django.urls import path

from . import views_public

app_name = "apply"

urlpatterns = [
    path("status/<int:pk>/correct/", views_public.correct, name="correct"),
    path("status/<int:pk>/letters/<int:letter_id>.<str:fmt>", views_public.letter, name="letter"),
    path("status/<int:pk>/files/<int:file_id>/", views_public.reply_file, name="reply_file"),
    path("", views_public.apply, name="apply"),
    path("receipt/", views_public.receipt, name="receipt"),
    path("track/", views_public.track, name="track"),
    path("status/<int:pk>/", views_public.status, name="status"),
    path("status/<int:pk>/withdraw/", views_public.withdraw, name="withdraw"),
]
