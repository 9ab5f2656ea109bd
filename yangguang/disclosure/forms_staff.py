from django import forms
from django.utils.translation import gettext_lazy as _

from yangguang.core import validators

from . import law
from .forms_public import field_check

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RegisterForm(forms.Form):
    """Registering a letter, fax or in-person application with its real receipt date (条例第31条)."""

    channel = forms.ChoiceField(label=_("申请渠道"), choices=law.Channel.choices)
    received_date = forms.DateField(label=_("收到申请之日"), widget=DATE,
                                    help_text=_("邮寄：签收之日；平常信函：与申请人确认之日；当面：提交之日。"))
    applicant_type = forms.ChoiceField(label=_("申请人类型"), choices=law.ApplicantType.choices)
    applicant_name = forms.CharField(label=_("申请人姓名或名称"), max_length=200)
    id_number = forms.CharField(label=_("身份证明号码"), max_length=40, required=False)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=40, required=False)
    contact_email = forms.EmailField(label=_("电子邮箱"), required=False)
    address = forms.CharField(label=_("通信地址"), max_length=300, required=False)
    description = forms.CharField(label=_("所需信息的名称或描述"), widget=forms.Textarea(attrs={"rows": 4}))
    doc_reference = forms.CharField(label=_("文号"), max_length=200, required=False)
    delivery_form = forms.CharField(label=_("信息形式"), max_length=40, required=False)
    delivery_route = forms.CharField(label=_("获取途径"), max_length=40, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for f in self.fields.values():
            f.widget.attrs.setdefault("class", "input")

    # The service (services.register) applies the same rules; here they only put the message on its field.
    def clean_received_date(self):
        return field_check(validators.check_date, self.cleaned_data["received_date"], str(_("收到申请之日")),
                            code="date")

    def clean_id_number(self):
        value = self.cleaned_data["id_number"]
        if not value:
            return ""
        from .services import is_person

        kind = self.data.get(self.add_prefix("applicant_type"), "")
        return field_check(validators.identity_number, value, person=is_person(kind), code="id_number")

    def clean_contact_phone(self):
        return field_check(validators.phone, self.cleaned_data["contact_phone"], code="phone")
