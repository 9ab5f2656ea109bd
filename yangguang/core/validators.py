"""Validation of identifiers, dates and contact details: one place for every path.

The services call these functions (the public form, staff registration, the API and the importers
all end in a service), and the forms call the same functions only to show a message next to its
field — there is no second copy of a rule. Each check returns the normalised value or raises
:class:`~yangguang.core.errors.InvalidInput` whose message is fit to show the user; :func:`gather`
collects several problems into one list.

Sources:
- 公民身份号码, GB 11643-1999: 18 characters, the last a check character (ISO 7064 MOD 11-2)
  over the first 17; positions 7–14 are the birth date. The check lives in
  :func:`yangguang.core.screening.is_valid_id_card` (the privacy screening finds ID numbers in
  documents with it) and is used from here.
- 统一社会信用代码, GB 32100-2015: 18 characters of the alphabet of 表1, the last a check
  character (MOD 31) over the first 17 (§5.2).
- Dates: nothing under the 条例 happened before it took effect — 《中华人民共和国政府信息公开条例》
  （国务院令第492号）第三十八条：“本条例自2008年5月1日起施行。” Nor in the future.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import InvalidInput
from .screening import is_valid_id_card

# 国务院令第492号第三十八条: the 条例 took effect on 2008-05-01; no application, reply or
# publication under it can be dated earlier.
EARLIEST_DATE = date(2008, 5, 1)

CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100-2015 表1 (no I O S V Z)
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)  # GB 32100-2015 §5.2

PHONE_MIN_DIGITS, PHONE_MAX_DIGITS = 7, 20  # a 7-digit local number … an international number
PHONE_MAX_LENGTH = 40
EMAIL_MAX_LENGTH = 254  # RFC 5321 §4.5.3.1.3 path length, as Django's EmailField

_SEPARATORS = re.compile(r"[\s\-－—()（）]")
_PHONE_CHARS = re.compile(r"^\+?[0-9()\- ]+$")
_email = EmailValidator()


def credit_check_char(first17: str) -> str:
    """GB 32100-2015 §5.2: the check character of the first 17 characters."""
    total = sum(CREDIT_ALPHABET.index(c) * w for c, w in zip(first17, CREDIT_WEIGHTS, strict=True))
    return CREDIT_ALPHABET[(31 - total % 31) % 31]


def is_valid_credit_code(code: str) -> bool:
    if len(code) != 18 or any(c not in CREDIT_ALPHABET for c in code):
        return False
    return credit_check_char(code[:17]) == code[17]


def nfkc(value: str | None) -> str:
    """Full-width digits and letters (typed with a Chinese input method) → ASCII, trimmed."""
    return unicodedata.normalize("NFKC", value or "").strip()


def normalise_identifier(value: str | None) -> str:
    """An ID number or credit code as compared and stored: ASCII, no spaces, hyphens or brackets, upper case."""
    return _SEPARATORS.sub("", nfkc(value)).upper()


def id_card(value: str | None) -> str:
    code = normalise_identifier(value)
    if not is_valid_id_card(code):
        raise InvalidInput(_("居民身份证号不正确：应为18位，最后一位是校验码（可能是X），请核对后重新填写。"))
    return code


def credit_code(value: str | None) -> str:
    code = normalise_identifier(value)
    if not is_valid_credit_code(code):
        raise InvalidInput(_("统一社会信用代码不正确：应为18位数字或大写字母，最后一位是校验码，请核对后重新填写。"))
    return code


def identity_number(value: str | None, *, person: bool | None) -> str:
    """An applicant's 身份证明号码: a citizen ID number for a person (``person=True``), a credit
    code for an organisation (``False``), either when the kind is unknown (``None``)."""
    if person is True:
        return id_card(value)
    if person is False:
        return credit_code(value)
    code = normalise_identifier(value)
    if not (is_valid_id_card(code) or is_valid_credit_code(code)):
        raise InvalidInput(_("身份证明号码不正确：请填写18位居民身份证号或统一社会信用代码。"))
    return code


def phone(value: str | None) -> str:
    """A mobile number or a fixed line with its area code; "" stays "" (whether one is required is :func:`contact`'s rule)."""
    text = nfkc(value)
    if not text:
        return ""
    digits = sum(c.isdigit() for c in text)
    if len(text) > PHONE_MAX_LENGTH or not _PHONE_CHARS.match(text) or not PHONE_MIN_DIGITS <= digits <= PHONE_MAX_DIGITS:
        raise InvalidInput(_("联系电话格式不正确：请填写手机号码或带区号的固定电话，如 0871-12345678。"))
    return text


def email(value: str | None) -> str:
    text = nfkc(value)
    if not text:
        return ""
    try:
        if len(text) > EMAIL_MAX_LENGTH:
            raise ValidationError("too long")
        _email(text)
    except ValidationError:
        raise InvalidInput(_("电子邮箱格式不正确，如 zhangsan@example.com。")) from None
    return text


def contact(*, phone: str, email: str, address: str = "", trackable: bool) -> None:
    """条例第29条 asks for a contact; an online application needs a phone or an e-mail address,
    because the applicant follows it with the tracking code and that contact."""
    if trackable:
        if not (phone or email):
            raise InvalidInput(_("联系电话和电子邮箱至少填写一项：查询办理进度时需要用它核对身份。"))
    elif not (phone or email or address):
        raise InvalidInput(_("请至少填写一种联系方式（条例第29条）。"))


def check_date(value, label: str, *, not_before: date | None = None, earliest: date = EARLIEST_DATE) -> date | None:
    """A date of the 条例's business: a real date, not after today, not before ``not_before``
    (e.g. the receipt of the application) nor before the 条例 took effect. ``None`` passes."""
    if value is None:
        return None
    if isinstance(value, datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if not isinstance(value, date):
        raise InvalidInput(_("%(label)s不是有效日期。") % {"label": label})
    if value > timezone.localdate():
        raise InvalidInput(_("%(label)s不能晚于今天。") % {"label": label})
    if not_before is not None and value < not_before:
        raise InvalidInput(_("%(label)s不能早于%(date)s。") % {"label": label, "date": f"{not_before:%Y-%m-%d}"})
    if value < earliest:
        raise InvalidInput(_("%(label)s不能早于%(date)s（《政府信息公开条例》施行之日）。")
                           % {"label": label, "date": f"{earliest:%Y-%m-%d}"})
    return value


def gather(errors: list[str], check: Callable, *args, **kwargs):
    """Run one check; on failure add its message to ``errors`` and return None."""
    try:
        return check(*args, **kwargs)
    except InvalidInput as exc:
        errors.append(exc.message)
        return None
