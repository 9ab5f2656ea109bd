from django import template

from ..urlsutil import public_url as _public_url

register = template.Library()


@register.filter
def public_url(doc) -> str:
    """The stable public URL of a published document ("" before first publication)."""
    return _public_url(doc) or ""
