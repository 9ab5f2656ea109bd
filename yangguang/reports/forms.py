from django import forms
from django.utils.translation import gettext_lazy as _


class StyledForm(forms.Form):
    """Widgets get the site's `input` class, as the other workbench forms do."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "input")


class NarrativeForm(StyledForm):
    overview = forms.CharField(label=_("一、总体情况"), required=False, widget=forms.Textarea(attrs={"rows": 12}))
    problems = forms.CharField(label=_("五、存在的主要问题及改进情况"), required=False,
                               widget=forms.Textarea(attrs={"rows": 8}))
    other = forms.CharField(label=_("六、其他需要报告的事项"), required=False, widget=forms.Textarea(attrs={"rows": 6}))


class FiguresForm(StyledForm):
    licensing = forms.IntegerField(label=_("行政许可（本年处理决定数量）"), min_value=0)
    penalty = forms.IntegerField(label=_("行政处罚（本年处理决定数量）"), min_value=0)
    enforcement = forms.IntegerField(label=_("行政强制（本年处理决定数量）"), min_value=0)
    fees = forms.DecimalField(label=_("行政事业性收费（本年收费金额，单位：万元）"), min_value=0, max_digits=14,
                              decimal_places=4)


class CorrectForm(StyledForm):
    reason = forms.CharField(label=_("更正说明"), widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("写明更正了什么、为什么；与更正版本一起公开。"))
