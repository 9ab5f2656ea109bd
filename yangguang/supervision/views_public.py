"""Public pages of issued, published bulletins (/bulletins/). Drafts and internal ones are 404."""

from django.shortcuts import get_object_or_404, render

from . import services
from .models import Bulletin
from .views_bulletins import file_response


def published():
    return Bulletin.objects.filter(state=Bulletin.State.ISSUED, visibility=Bulletin.Visibility.PUBLIC) \
        .select_related("region").order_by("-year", "-month", "region__path")


def bulletin_list(request):
    return render(request, "supervision/public_list.html", {"bulletins": published()[:200]})


def bulletin_detail(request, pk: int):
    bulletin = get_object_or_404(published(), pk=pk)
    return render(request, "supervision/public_detail.html", {
        "bulletin": bulletin, "blocks": services.document_blocks(bulletin)})


def bulletin_file(request, pk: int, fmt: str):
    return file_response(get_object_or_404(published(), pk=pk), fmt)
