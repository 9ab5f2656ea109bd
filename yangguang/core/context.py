from django.conf import settings


def site(request):
    user = getattr(request, "user", None)
    # The 政务公开办 menu entries are shown only to supervisors (the views check again).
    is_supervisor = bool(user and user.is_authenticated and (user.is_superuser or user.has_role("supervisor")))
    # core.csp: an inline <script> runs only with this per-response nonce.
    return {"SITE_NAME": settings.SITE_NAME, "is_supervisor": is_supervisor,
            "csp_nonce": getattr(request, "csp_nonce", "")}
