class ContentSecurityPolicyMiddleware:
    """Every asset comes from Hotline itself; our own pages have no inline script or style.

    Django's admin and the API docs (Swagger UI) ship inline bootstrap code, so those two
    areas allow inline code, still from this origin only.
    """

    STRICT = (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; "
        "base-uri 'self'; object-src 'none'"
    )
    RELAXED = STRICT.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'").replace(
        "style-src 'self'", "style-src 'self' 'unsafe-inline'"
    )
    RELAXED_PREFIXES = ("/admin/", "/api/docs/", "/api/v1/", "/api-auth/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        relaxed = request.path.startswith(self.RELAXED_PREFIXES)
        response.headers.setdefault("Content-Security-Policy", self.RELAXED if relaxed else self.STRICT)
        return response
