"""Organization identifiers used in the 索引号.

- 统一社会信用代码, GB 32100-2015: 18 characters, the last a check character over the first 17.
- 组织机构代码, GB 11714-1997: 8 characters + check character (orgs without a credit code).
"""

from django.utils.translation import gettext as _

from yangguang.core.validators import credit_check_char, is_valid_credit_code  # GB 32100-2015, one copy

ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)  # GB 11714-1997 §5


def _org_value(c: str) -> int:
    return int(c) if c.isdigit() else ord(c) - ord("A") + 10


def org_code_check_char(first8: str) -> str:
    total = sum(_org_value(c) * w for c, w in zip(first8, ORG_CODE_WEIGHTS, strict=True))
    v = 11 - total % 11
    return {10: "X", 11: "0"}.get(v, str(v))


def is_valid_org_code(code: str) -> bool:
    code = code.replace("-", "")
    if len(code) != 9 or any(c not in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ" for c in code[:8]):
        return False
    return org_code_check_char(code[:8]) == code[8]


def validate_code(code: str) -> str | None:
    """Return a Chinese error message, or None when the code is acceptable."""
    if len(code) == 18:
        return None if is_valid_credit_code(code) else _("统一社会信用代码校验位不正确")
    if len(code.replace("-", "")) == 9:
        return None if is_valid_org_code(code) else _("组织机构代码校验位不正确")
    return _("机构代码应为18位统一社会信用代码或9位组织机构代码")


def make_credit_code(prefix17: str) -> str:
    """Complete 17 characters with their check character (demo data and benchmarks)."""
    return prefix17 + credit_check_char(prefix17)
