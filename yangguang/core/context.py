from django.conf import settings

from . import registry


def site(request):
    user = getattr(request, "user", None)
    # The 政务公开办 menu entries are shown only to supervisors (the views check again).
    is_supervisor = bool(user is not None and registry.ask("is_supervisor", user))
    # core.csp: an inline <script> runs only with this per-response nonce.
    return {"SITE_NAME": settings.SITE_NAME, "is_supervisor": is_supervisor,
            "csp_nonce": getattr(request, "csp_nonce", "")}
