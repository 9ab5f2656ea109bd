"""Intake of an application: its text cleaned and checked, registration (online or by staff),
受理, 分办 and the applicant's proof of identity."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yangguang.core import audit, validators
from yangguang.core.errors import InvalidInput, NotAllowed
from yangguang.core.sequences import next_serial
from yangguang.core.text import clean_multiline, clean_text
from yangguang.orgs import permissions

from .. import law
from ..models import Application, ApplicationCounter
from ..workflow import Action
from .common import ASSIGN_REFUSED, check_date, lock, move, require

REQUIRED = {
    "applicant_type": gettext_lazy("申请人类型"), "applicant_name": gettext_lazy("申请人姓名或名称"),
    "description": gettext_lazy("所需信息的名称或描述"), "channel": gettext_lazy("申请渠道"),
    "received_date": gettext_lazy("收到申请之日"),
}
# Free text of an application: one line each, except the description (text.py hygiene).
ONE_LINE = ("applicant_type", "applicant_name", "id_number", "contact_phone", "contact_email", "address",
            "doc_reference", "delivery_form", "delivery_route", "channel")
MULTILINE = ("description",)
MAX_LENGTHS = {"applicant_name": (gettext_lazy("申请人姓名或名称"), 200), "address": (gettext_lazy("通信地址"), 300),
               "doc_reference": (gettext_lazy("文号"), 200), "delivery_form": (gettext_lazy("信息形式"), 40),
               "delivery_route": (gettext_lazy("获取途径"), 40)}
PROOF_TYPES = {"application/pdf", "image/jpeg", "image/png"}


def is_person(applicant_type: str | None) -> bool | None:
    """Which 身份证明 an applicant type takes: an ID number (True), a credit code (False), unknown (None)."""
    if applicant_type == law.ApplicantType.NATURAL:
        return True
    return False if applicant_type in law.ORGANIZATION_TYPES else None


def clean_application(data: dict, *, online: bool) -> tuple[dict, list[str]]:
    """The application's text cleaned and its identifiers, contacts and receipt date checked — the
    one place for the public form, staff registration, the API and the importer of applications.
    Returns the cleaned data and every problem found."""
    data = dict(data)
    for key in ONE_LINE + MULTILINE:
        if key in data and (isinstance(data[key], str) or data[key] is None):
            data[key] = (clean_multiline if key in MULTILINE else clean_text)(data[key])
    errors = [_("%(label)s不能为空。") % {"label": label} for key, label in REQUIRED.items() if not data.get(key)]
    kind = data.get("applicant_type")
    if kind and kind not in law.ApplicantType.values:
        errors.append(_("申请人类型不正确。"))
    if data.get("channel") and data["channel"] not in law.Channel.values:
        errors.append(_("申请渠道不正确。"))
    for key, (label, limit) in MAX_LENGTHS.items():
        if len(data.get(key) or "") > limit:
            errors.append(_("%(label)s不能超过%(n)d个字。") % {"label": label, "n": limit})
    check_date(data.get("received_date"), str(REQUIRED["received_date"]), errors)
    if data.get("id_number"):
        data["id_number"] = validators.gather(errors, validators.identity_number, data["id_number"],
                                              person=is_person(kind)) or data["id_number"]
    for key, check in (("contact_phone", validators.phone), ("contact_email", validators.email)):
        if data.get(key):
            data[key] = validators.gather(errors, check, data[key]) or data[key]
    validators.gather(errors, validators.contact, phone=data.get("contact_phone"), email=data.get("contact_email"),
                      address=data.get("address"), trackable=online)
    return data, errors


def next_number(org, year: int) -> str:
    """The application number of ``org`` for ``year``: 2025-00001, …"""
    return f"{year}-{next_serial(ApplicationCounter, org=org, year=year):05d}"


def register(org, data: dict, by=None) -> Application:
    """An application received online (by=None: the public form) or registered by staff."""
    data, errors = clean_application(data, online=by is None and data.get("channel") == law.Channel.ONLINE)
    if by is not None and not permissions.can_register_application(by, org):
        raise NotAllowed(_("只有本机关政务公开办或承办人可以登记申请。"))
    if errors:
        raise InvalidInput(_("申请信息有误："), details=errors)
    fields = {k: v for k, v in data.items() if k in {f.name for f in Application._meta.fields}}
    with transaction.atomic():
        app = Application(org=org, registered_by=by, **fields)
        app.number = next_number(org, data["received_date"].year)
        app.save()
        audit.record("application.register", app, actor=by, org_id=org.id, data={
            "number": app.number, "channel": app.channel, "received_date": app.received_date,
        })
    return app


def accept(app: Application, by) -> Application:
    """受理."""
    require(by, app)
    with transaction.atomic():
        app = lock(app)
        old, new = move(app, Action.ACCEPT)
        app.save(update_fields=["state"])
        audit.record("application.accept", app, actor=by, org_id=app.org_id, data={"from": old, "to": new})
    return app


def assign(app: Application, by, department, handler=None) -> Application:
    """分办 to a handling department (the receiving org itself or one within its region)."""
    if not permissions.can_assign(by, app):
        raise NotAllowed(str(ASSIGN_REFUSED))
    if not permissions.can_assign_to(app, department):
        raise InvalidInput(_("只能分办给本机关或其下属机构。"))
    if handler is not None and not permissions.is_handler_of(handler, department):
        raise InvalidInput(_("指定的承办人不属于该承办机构。"))
    with transaction.atomic():
        app = lock(app)
        old, new = move(app, Action.ASSIGN)
        app.assigned_org, app.handler = department, handler
        app.save(update_fields=["state", "assigned_org", "handler"])
        audit.record("application.assign", app, actor=by, org_id=app.org_id, data={
            "from": old, "to": new, "department": department.id, "handler": handler.pk if handler else None,
        })
    return app


def add_proof_file(app: Application, by, filename: str, data: bytes):
    """Store an ID proof privately (random name, outside any URL-mapped folder)."""
    import hashlib
    import secrets

    from django.conf import settings

    from yangguang.core import extract

    from ..models import ProofFile

    if by is not None:
        require(by, app)
    filename = clean_text(filename) or "file"
    try:
        kind = extract.sniff(data, filename, max_bytes=settings.ATTACHMENT_MAX_BYTES)
    except extract.RefusedFile as exc:
        raise InvalidInput(_("“%(name)s”未能上传：%(reason)s") % {"name": filename, "reason": exc.message}) from exc
    if kind.content_type not in PROOF_TYPES:
        raise InvalidInput(_("身份证明材料只接受PDF、JPG或PNG文件。"))
    folder = settings.PRIVATE_STORAGE_DIR / "applications"
    folder.mkdir(parents=True, exist_ok=True)
    stored = secrets.token_hex(20)
    (folder / stored).write_bytes(data)
    try:
        with transaction.atomic():
            proof = ProofFile.objects.create(application=app, original_name=filename[:255], stored_name=stored,
                                             content_type=kind.content_type, size=len(data),
                                             sha256=hashlib.sha256(data).hexdigest(), uploaded_by=by)
            audit.record("application.proof_add", app, actor=by, org_id=app.org_id,
                         data={"file": proof.pk, "name": proof.original_name, "sha256": proof.sha256})
    except Exception:
        (folder / stored).unlink(missing_ok=True)
        raise
    return proof
