class ContentSecurityPolicyMiddleware:
    """Every asset comes from Hotline itself; our own pages have no inline script or style.

    Django's admin and the API docs (Swagger UI) ship inline bootstrap code, so those two
    areas allow inline code, still from this origin only. The API answers JSON only: strict too.
    """

    STRICT = (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; "
        "base-uri 'self'; object-src 'none'"
    )
    RELAXED = STRICT.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'").replace(
        "style-src 'self'", "style-src 'self' 'unsafe-inline'"
    )
    RELAXED_PREFIXES = ("/admin/", "/api/docs/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        relaxed = request.path.startswith(self.RELAXED_PREFIXES)
        response.headers.setdefault("Content-Security-Policy", self.RELAXED if relaxed else self.STRICT)
        return response


class NoStoreMiddleware:
    """No page or API answer is kept by the browser or a proxy unless its view says it may be.

    Nearly every answer carries personal data (a reporter's name, a phone number, a business) or a CSRF
    token: a shared office computer's back button or a caching proxy must not show it to the next person.
    Static files never get here (WhiteNoise answers them earlier, cached for a year by their hashed names);
    a view that sets Cache-Control itself (the favicon's redirect) keeps it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Cache-Control" not in response.headers:
            response.headers["Cache-Control"] = "no-store"
            response.headers["Pragma"] = "no-cache"  # HTTP/1.0 proxies
        return response
