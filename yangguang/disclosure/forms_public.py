"""Forms of the public 依申请公开 pages: the online application (条例第29条) and tracking."""

from __future__ import annotations

import re

from django import forms
from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _

from yangguang.core import validators
from yangguang.core.errors import InvalidInput
from yangguang.orgs.models import Organization

from . import law
from .models import TRACKING_ALPHABET


# 条例第29条第二款第（三）项: 形式要求，包括获取信息的方式、途径. Stored as these codes in
# Application.delivery_form / delivery_route (the model keeps them as free text).
class DeliveryForm(TextChoices):
    PAPER = "paper", _("纸质")
    ELECTRONIC = "electronic", _("电子文档")
    OTHER = "other", _("其他")


class DeliveryRoute(TextChoices):
    MAIL = "mail", _("邮寄")
    EMAIL = "email", _("电子邮件")
    PICKUP = "pickup", _("自行领取")
    ONLINE = "online", _("在线查看")


APPLICANT_TYPE_CHOICES = [
    ("", _("请选择")),
    (law.ApplicantType.NATURAL.value, law.ApplicantType.NATURAL.label),
    (law.ORGANIZATION_GROUP_LABEL, [(t, law.ApplicantType(t).label) for t in law.ORGANIZATION_TYPES]),
]

_SEPARATORS = re.compile(r"[\s\-－—()（）]")
_nfkc = validators.nfkc


def field_check(check, *args, code: str, **kwargs):
    """A rule of core/validators.py (the one the service applies), its message put on the field."""
    try:
        return check(*args, **kwargs)
    except InvalidInput as exc:
        raise forms.ValidationError(exc.message, code=code) from None


def normalise_contact(value: str) -> str:
    """The form in which a phone number or e-mail address is compared when tracking: no spaces,
    hyphens or brackets; e-mail lower-cased; a +86 / 0086 country prefix dropped."""
    value = _SEPARATORS.sub("", _nfkc(value))
    if "@" in value:
        return value.lower()
    for prefix in ("+86", "0086"):
        if value.startswith(prefix) and len(value) - len(prefix) >= 11:
            return value[len(prefix):]
    return value


def normalise_tracking_code(value: str) -> str:
    return _SEPARATORS.sub("", _nfkc(value)).upper()


class _Styled:
    """Adds the site's input class to every widget except check boxes and radio buttons."""

    def _style(self):
        for field in self.fields.values():
            if not isinstance(field.widget, forms.CheckboxInput | forms.RadioSelect):
                field.widget.attrs.setdefault("class", "input")


class ApplicationForm(_Styled, forms.Form):
    org = forms.ModelChoiceField(
        label=_("受理机关"), queryset=Organization.objects.none(), empty_label=_("请选择受理机关"),
        help_text=_("向掌握所需信息的行政机关提出申请。"),
        error_messages={"required": _("请选择受理机关。"), "invalid_choice": _("所选机关不存在，请重新选择。")},
    )
    applicant_type = forms.ChoiceField(
        label=_("申请人类型"), choices=APPLICANT_TYPE_CHOICES, initial=law.ApplicantType.NATURAL,
        error_messages={"required": _("请选择申请人类型。"), "invalid_choice": _("申请人类型不正确。")},
    )
    applicant_name = forms.CharField(
        label=_("姓名或名称"), max_length=200,
        help_text=_("自然人填写姓名；法人或其他组织填写单位全称。"),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("请填写申请人姓名或名称。"), "max_length": _("姓名或名称不能超过200个字。")},
    )
    id_number = forms.CharField(
        label=_("身份证明号码"), max_length=40,
        help_text=_("自然人填写18位居民身份证号；法人或其他组织填写18位统一社会信用代码。"
                    "号码只对办理人员完整显示，其他页面一律部分隐藏。"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}),
        error_messages={"required": _("请填写身份证明号码（条例第29条）。")},
    )
    contact_phone = forms.CharField(
        label=_("联系电话"), max_length=40, required=False,
        help_text=_("手机号码或带区号的固定电话。联系电话和电子邮箱至少填写一项，查询办理进度时需要使用。"),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    contact_email = forms.EmailField(
        label=_("电子邮箱"), max_length=254, required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("电子邮箱格式不正确，如 zhangsan@example.com。")},
    )
    address = forms.CharField(
        label=_("通信地址"), max_length=300, required=False,
        help_text=_("选择邮寄方式获取信息的，须填写通信地址。"),
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
        error_messages={"max_length": _("通信地址不能超过300个字。")},
    )
    description = forms.CharField(
        label=_("所需信息的名称或描述"), max_length=4000,
        help_text=_("写明所需政府信息的名称，或者便于行政机关查询的其他特征性描述，如制作机关、时间、内容范围。"),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("请填写所需政府信息的名称或描述（条例第29条）。"),
                        "max_length": _("描述不能超过4000个字。")},
    )
    doc_reference = forms.CharField(
        label=_("文号"), max_length=200, required=False,
        help_text=_("知道文件的文号的，请填写，如“某府发〔2025〕1号”。"),
        error_messages={"max_length": _("文号不能超过200个字。")},
    )
    delivery_form = forms.ChoiceField(
        label=_("信息的形式"), choices=DeliveryForm.choices, widget=forms.RadioSelect,
        error_messages={"required": _("请选择所需信息的形式。"), "invalid_choice": _("信息形式不正确。")},
    )
    delivery_route = forms.ChoiceField(
        label=_("获取信息的途径"), choices=DeliveryRoute.choices, widget=forms.RadioSelect,
        error_messages={"required": _("请选择获取信息的途径。"), "invalid_choice": _("获取途径不正确。")},
    )
    consent = forms.BooleanField(
        label=_("本人承诺所填信息真实"),
        help_text=_("提供虚假信息的，行政机关可不予处理。"),
        error_messages={"required": _("请勾选“本人承诺所填信息真实”。")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = Organization.objects.order_by("name", "id")
        self._style()

    def clean_applicant_name(self):
        return _nfkc(self.cleaned_data["applicant_name"])

    def clean_id_number(self):
        from .services import is_person

        kind = self.data.get(self.add_prefix("applicant_type"), "")
        return field_check(validators.identity_number, self.cleaned_data["id_number"], person=is_person(kind),
                            code="id_number")

    def clean_contact_phone(self):
        return field_check(validators.phone, self.cleaned_data["contact_phone"], code="phone")

    def clean_contact_email(self):
        return field_check(validators.email, self.cleaned_data["contact_email"], code="email")

    def clean(self):
        data = super().clean()
        if "contact_phone" not in self.errors and "contact_email" not in self.errors:
            try:
                validators.contact(phone=data.get("contact_phone"), email=data.get("contact_email"), trackable=True)
            except InvalidInput as exc:
                self.add_error("contact_phone", forms.ValidationError(exc.message, code="contact"))
        route = data.get("delivery_route")
        if route == DeliveryRoute.MAIL and not data.get("address"):
            self.add_error("address", forms.ValidationError(_("选择邮寄的，请填写通信地址。"), code="address"))
        if route == DeliveryRoute.EMAIL and not data.get("contact_email") and "contact_email" not in self.errors:
            self.add_error("contact_email", forms.ValidationError(
                _("选择通过电子邮件获取的，请填写电子邮箱。"), code="email"))
        return data

    def application_data(self) -> dict:
        """The fields for services.register (without channel and receipt date: the view sets them)."""
        keys = ("applicant_type", "applicant_name", "id_number", "contact_phone", "contact_email", "address",
                "description", "doc_reference", "delivery_form", "delivery_route")
        return {k: self.cleaned_data[k] for k in keys}


class TrackForm(_Styled, forms.Form):
    code = forms.CharField(
        label=_("查询码"), max_length=40,
        help_text=_("提交申请后回执上的16位查询码。"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false",
                                      "autocapitalize": "characters"}),
        error_messages={"required": _("请填写查询码。")},
    )
    contact = forms.CharField(
        label=_("联系电话或电子邮箱"), max_length=254,
        help_text=_("填写申请时留下的联系电话或电子邮箱。"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": _("请填写申请时留下的联系电话或电子邮箱。")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()

    def clean_code(self):
        code = normalise_tracking_code(self.cleaned_data["code"])
        if len(code) != 16 or any(c not in TRACKING_ALPHABET for c in code):
            raise forms.ValidationError(
                _("查询码为16位，由大写字母和数字组成（不含0、1、I、L、O），请核对回执。"), code="format")
        return code

    def clean_contact(self):
        return normalise_contact(self.cleaned_data["contact"])
