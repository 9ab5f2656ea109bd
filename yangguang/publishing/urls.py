from django.urls import path

from .views import workbench as v

app_name = "workbench"

urlpatterns = [
    path("", v.home, name="home"),
    path("new/", v.create, name="create"),
    path("documents/", v.documents, name="documents"),
    path("catalog/", v.catalog, name="catalog"),
    path("register/", v.register, name="register"),
    path("screen/", v.live_screen, name="screen"),
    path("e/<int:pk>/", v.detail, name="edition"),
    path("e/<int:pk>/edit/", v.edit, name="edit"),
    path("e/<int:pk>/submit/", v.submit, name="submit"),
    path("e/<int:pk>/approve/", v.approve, name="approve"),
    path("e/<int:pk>/return/", v.return_, name="return"),
    path("e/<int:pk>/urgent/", v.urgent, name="urgent"),
    path("e/<int:pk>/discard/", v.discard, name="discard"),
    path("e/<int:pk>/upload/", v.upload, name="upload"),
    path("e/<int:pk>/attachments/<uuid:att_id>/remove/", v.remove_attachment, name="remove_attachment"),
    path("e/<int:pk>/findings/<int:finding_id>/accept/", v.accept, name="accept"),
    path("d/<int:pk>/new-edition/", v.new_edition, name="new_edition"),
    path("d/<int:pk>/withdraw/", v.withdraw, name="withdraw"),
    path("d/<int:pk>/withdraw/request/", v.request_withdrawal, name="withdraw_request"),
    path("d/<int:pk>/withdraw/approve/", v.approve_withdrawal, name="withdraw_approve"),
    path("d/<int:pk>/withdraw/refuse/", v.refuse_withdrawal, name="withdraw_refuse"),
    path("d/<int:pk>/retro/", v.retro, name="retro"),
    path("d/<int:pk>/interpretation/", v.interpretation, name="interpretation"),
]
