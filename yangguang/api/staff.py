"""Staff endpoints for documents: scoped to the caller's organization (supervisor: region)."""

from datetime import date, datetime

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.security import SessionAuth

from yangguang.api.errors import ObjectId, limit_param, offset_param
from yangguang.core.errors import InvalidInput, NotAllowed, ServiceError
from yangguang.orgs import permissions
from yangguang.publishing import services
from yangguang.publishing.models import Column, Edition
from yangguang.publishing.services.actions import allowed_actions

router = Router(auth=SessionAuth(), tags=["工作人员"])


class Error(Schema):
    detail: str
    errors: list[str] = []


class EditionOut(Schema):
    id: int
    document_id: int
    number: int
    state: str
    state_label: str
    level: int
    title: str
    doc_number: str
    written_date: date | None
    topic: str
    genre: str
    validity: str
    index_number: str | None
    org_code: str
    column: str
    submitted_at: datetime | None
    published_at: datetime | None

    @staticmethod
    def resolve_state_label(obj):
        return obj.get_state_display()

    @staticmethod
    def resolve_index_number(obj):
        return obj.document.index_number

    @staticmethod
    def resolve_org_code(obj):
        return obj.document.org.code

    @staticmethod
    def resolve_column(obj):
        return obj.document.column.slug


class EditionDetail(EditionOut):
    body: str
    findings: list[dict]
    actions: list[str] = Field(description="调用者现在可以办理的操作（与工作台页面显示的按钮相同）：edit, submit, "
                                           "review, urgent, new_edition, retro, decide_withdrawal, withdraw, "
                                           "request_withdrawal")

    @staticmethod
    def resolve_actions(obj, context):
        return allowed_actions(context["request"].user, obj)

    @staticmethod
    def resolve_findings(obj):
        return [
            {"kind": f.kind, "severity": f.severity, "start": f.start, "end": f.end, "text": f.text,
             "source": f.source, "accepted": f.accepted_at is not None}
            for f in obj.findings.all()
        ]


class DraftIn(Schema):
    column: str
    title: str
    doc_number: str = ""
    written_date: date | None = None
    topic: str = "02"
    genre: str = "other_doc"
    keywords: str = ""
    validity: str = "valid"
    body: str = ""
    info_date: date | None = None


class ReasonIn(Schema):
    reason: str = ""


def _edition_for(request, edition_id: int) -> Edition:
    edition = get_object_or_404(Edition.objects.select_related("document__org", "document__column"), pk=edition_id)
    if not permissions.reads_org(request.user, edition.document.org):
        raise Http404  # existence of other orgs' drafts is not disclosed
    return edition


def _fail(exc: ServiceError):
    status = 403 if isinstance(exc, NotAllowed) else 400 if isinstance(exc, InvalidInput) else 409
    return Status(status, {"detail": exc.message, "errors": exc.details})


@router.get("/editions", response=list[EditionOut], summary="本机构的文件版本")
def list_editions(request, state: str | None = None, limit: int = limit_param(50, 200), offset: int = offset_param()):
    qs = (
        Edition.objects.filter(permissions.readable_orgs_q(request.user, "document__org"))
        .select_related("document__org", "document__column")
        .order_by("-updated_at")
    )
    if state:
        qs = qs.filter(state=state)
    return list(qs[offset: offset + limit])


@router.get("/editions/{edition_id}", response={200: EditionDetail, 404: Error}, summary="文件版本详情")
def get_edition(request, edition_id: ObjectId):
    return _edition_for(request, edition_id)


@router.post("/editions", response={201: EditionDetail, 400: Error, 403: Error, 409: Error}, summary="起草")
def create_edition(request, payload: DraftIn):
    column = Column.objects.filter(org_id=request.user.org_id, slug=payload.column).first()
    data = payload.dict()
    data.pop("column")
    try:
        return Status(201, services.create_draft(request.user, column, data))
    except ServiceError as exc:
        return _fail(exc)


@router.post("/editions/{edition_id}/submit", response={200: EditionOut, 400: Error, 403: Error, 404: Error, 409: Error})
def submit(request, edition_id: ObjectId):
    try:
        return services.submit(_edition_for(request, edition_id), request.user)
    except ServiceError as exc:
        return _fail(exc)


@router.post("/editions/{edition_id}/approve", response={200: EditionOut, 400: Error, 403: Error, 404: Error, 409: Error})
def approve(request, edition_id: ObjectId, payload: ReasonIn):
    try:
        return services.approve(_edition_for(request, edition_id), request.user, payload.reason)
    except ServiceError as exc:
        return _fail(exc)


@router.post("/editions/{edition_id}/return", response={200: EditionOut, 400: Error, 403: Error, 404: Error, 409: Error})
def return_edition(request, edition_id: ObjectId, payload: ReasonIn):
    try:
        return services.return_edition(_edition_for(request, edition_id), request.user, payload.reason)
    except ServiceError as exc:
        return _fail(exc)
