from csp.middleware import CSPMiddleware
from csp.utils import default_config
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
        return super().process_response(request, response)

    @staticmethod
    def is_visitors_read(request, session):
        return request.method in ("GET", "HEAD") and SESSION_KEY not in session


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the policy chosen by the kind of page, for everyone.

    Visitors' pages get CONTENT_SECURITY_POLICY, the admin (the enquiry desk above all)
    CONTENT_SECURITY_POLICY_ADMIN, and only django CMS's edit, structure and preview views,
    where its editor runs, CONTENT_SECURITY_POLICY_CMS_EDITOR. Signed-in staff get the same
    policy as visitors on public pages. A response no view answered (a cached page, a static
    file) counts as a visitor's page.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and parts.config is None:
            parts.config = default_config(_policy_for(request)["DIRECTIVES"])
        return parts


CMS_EDITOR_VIEWS = frozenset(
    f"cms_placeholder_render_object_{mode}" for mode in ("edit", "structure", "preview")
)


def _policy_for(request):
    match = getattr(request, "resolver_match", None)
    if match is None or "admin" not in match.namespaces:
        return settings.CONTENT_SECURITY_POLICY
    if match.url_name in CMS_EDITOR_VIEWS:
        return settings.CONTENT_SECURITY_POLICY_CMS_EDITOR
    return settings.CONTENT_SECURITY_POLICY_ADMIN
