from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Column, Edition

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class EditionForm(forms.ModelForm):
    column = forms.ModelChoiceField(label=_("栏目"), queryset=Column.objects.none(), empty_label=_("请选择栏目"))
    scheduled_at = forms.DateTimeField(
        label=_("定时发布时间"), required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text=_("留空则审定后立即发布。"),
    )

    class Meta:
        model = Edition
        fields = [
            "title", "doc_number", "written_date", "info_date", "topic", "genre", "keywords",
            "validity", "validity_date", "abolished_by", "body", "scheduled_at", "change_kind", "change_note",
        ]
        widgets = {
            "written_date": DATE_INPUT,
            "info_date": DATE_INPUT,
            "validity_date": DATE_INPUT,
            "body": forms.Textarea(attrs={"rows": 16}),
        }
        error_messages = {"title": {"required": _("标题不能为空。")}}

    def __init__(self, *args, org=None, number: int = 1, lock_column: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["column"].queryset = Column.objects.filter(org=org).order_by("position", "id")
        self.fields["column"].error_messages = {"required": _("请选择栏目。"), "invalid_choice": _("请选择本机构的栏目。")}
        self.fields["title"].widget.attrs.update({"autofocus": True, "maxlength": 300})
        if number == 1:
            del self.fields["change_kind"]
            del self.fields["change_note"]
        else:
            self.fields["change_kind"].required = True
            self.fields["change_kind"].choices = Edition.ChangeKind.choices
        if lock_column:
            self.fields["column"].disabled = True
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "input")


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}))


class UploadForm(forms.Form):
    file = forms.FileField(label=_("附件"), error_messages={"required": _("请选择要上传的文件。")})


class RegisterFilterForm(forms.Form):
    start = forms.DateField(label=_("起始日期"), widget=DATE_INPUT)
    end = forms.DateField(label=_("截止日期"), widget=DATE_INPUT)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("起始日期不能晚于截止日期。"))
        return data
