from django import template

from .. import urlsutil

register = template.Library()


@register.filter
def public_url(doc) -> str:
    """The stable public URL of a published document ("" before first publication)."""
    return urlsutil.public_url(doc) or ""
