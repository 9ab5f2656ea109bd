"""Staff pages for handling applications (工作台 › 依申请公开)."""

from django.urls import path

from . import views_reply as r
from . import views_staff as v

app_name = "applications"

urlpatterns = [
    path("", v.application_list, name="list"),
    path("register/", v.register, name="register"),
    path("<int:pk>/", v.detail, name="detail"),
    path("<int:pk>/id/", v.reveal_id, name="reveal_id"),
    path("<int:pk>/act/<slug:action>/", v.act, name="act"),
    path("<int:pk>/letters/issue/", v.issue_letter, name="issue_letter"),
    path("<int:pk>/proofs/upload/", v.upload_proof, name="upload_proof"),
    path("<int:pk>/proofs/<int:file_id>/", v.proof_file, name="proof_file"),
    path("<int:pk>/letters/<int:letter_id>.<str:fmt>", v.letter_file, name="letter_file"),
    path("<int:pk>/reply/", r.reply, name="reply"),
    path("<int:pk>/reply-files/upload/", r.upload_file, name="reply_file_upload"),
    path("<int:pk>/reply-files/<int:file_id>/", r.staff_file, name="reply_file"),
    path("<int:pk>/reply-files/<int:file_id>/remove/", r.remove_file, name="reply_file_remove"),
]
