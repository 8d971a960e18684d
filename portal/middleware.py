from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's session middleware, minus `Vary: Cookie` for visitors who have no session.

    django CMS checks on every request whether the visitor is logged in, which reads the
    session, and Django then marks every public page as varying on cookies, so a shared
    cache could not serve it. A visitor who sent no session cookie and gets none back saw
    the anonymous page, whatever their cookies: the response varies on nothing of theirs.
    Responses that set a session, or answer someone who has one, are left exactly as Django
    makes them.

    Nor does a visitor's GET ever start a session: django CMS writes the toolbar's state
    (`?toolbar_on`, `?edit`) into the session of anyone who asks, so visitors could fill
    the session table at will. Sessions start when someone signs in or sends a form.
    """

    def process_response(self, request, response):
        session = getattr(request, "session", None)
        has_no_session = settings.SESSION_COOKIE_NAME not in request.COOKIES
        if session is not None and has_no_session and self.is_visitors_read(request, session):
            session.modified = False
        if session is not None and has_no_session and not session.modified:
            session.accessed = False
        response = super().process_response(request, response)
        if response.get("Vary") == "":
            # django CMS's page cache sets an empty Vary when no plugin varies on anything.
            del response.headers["Vary"]
        return response

    @staticmethod
    def is_visitors_read(request, session):
        return request.method in ("GET", "HEAD") and SESSION_KEY not in session


class ContentSecurityPolicyMiddleware:
    """Tell visitors' browsers to run nothing that does not come from the portal itself.

    The portal ships no third-party scripts, fonts or trackers; this makes a browser refuse
    them should any ever be added or injected. Signed-in staff are left out: django CMS's
    toolbar and editor rely on inline scripts.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.user.is_authenticated:
            response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response
