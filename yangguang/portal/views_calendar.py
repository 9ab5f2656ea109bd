"""The public deadline calculator (期限计算器): N working days after a date on the official
calendar, with the count day by day — the same explanation as `yangguang workdays explain`."""

from datetime import date

from django import forms
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yangguang.core import workdays

# 条例第33条: the reply deadline is 20 working days from the receipt date.
DEFAULT_DAYS = 20
MAX_DAYS = 1000


class DeadlineForm(forms.Form):
    start = forms.DateField(
        label=_("起算日期"), input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date", "class": "input"}, format="%Y-%m-%d"),
        help_text=_("如收到申请之日。起算日当日不计，自次日开始计算。"),
        error_messages={"required": _("请填写起算日期。"), "invalid": _("起算日期无效，请按“年-月-日”填写，如2025-09-26。")},
    )
    n = forms.IntegerField(
        label=_("工作日数"), min_value=0, max_value=MAX_DAYS, initial=DEFAULT_DAYS,
        widget=forms.NumberInput(attrs={"class": "input", "inputmode": "numeric"}),
        help_text=_("依申请公开的答复期限为20个工作日（《政府信息公开条例》第三十三条）。"),
        error_messages={
            "required": _("请填写工作日数。"), "invalid": _("工作日数应为整数。"),
            "min_value": _("工作日数不能为负数。"), "max_value": _("工作日数不能超过%(limit_value)s。"),
        },
    )


def deadline_calculator(request):
    result = steps = None
    if "start" in request.GET or "n" in request.GET:
        form = DeadlineForm(request.GET)
        if form.is_valid():
            start: date = form.cleaned_data["start"]
            try:
                result = workdays.add_working_days(start, form.cleaned_data["n"])
            except ValueError as e:
                form.add_error(None, str(e))
            else:
                steps = workdays.explain_steps(result)
    else:
        form = DeadlineForm(initial={"start": timezone.localdate(), "n": DEFAULT_DAYS})
    context = {
        "form": form,
        "result": result,
        "steps": steps,
        "summary": workdays.summary(result) if result else "",
        "result_weekday": workdays.weekday_name(result.date) if result else "",
    }
    return render(request, "portal/deadline.html", context, status=400 if form.is_bound and form.errors else 200)
