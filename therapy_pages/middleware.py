from urllib.parse import parse_qsl, urlencode

from django.core.exceptions import PermissionDenied
from django.urls import reverse

# Admin sections that show page content, drafts included: django CMS (edit, structure and
# preview, plugins, the toolbar's own views), versions and their comparisons, aliases, and
# the media library.
EDITORIAL_ADMIN_SECTIONS = ("cms", "djangocms_versioning", "djangocms_alias", "djangocms_text", "filer")
PAGE_VIEW_PERMISSION = "cms.view_page"


class EditorialAdminAccessMiddleware:
    """Refuse django CMS's admin views to staff who may not view pages.

    django CMS lets any staff account open a draft's preview, edit or structure view, and
    djangocms-versioning lets it compare versions, as long as the page has no view
    restrictions. Here a signed-in user without the page view permission (an enquiry
    handler, a clinic administrator) gets 403 on all of them, by address, whatever the view.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if (
            user.is_authenticated
            and is_editorial(request.path_info)
            and not user.has_perm(PAGE_VIEW_PERMISSION)
        ):
            raise PermissionDenied


def is_editorial(path):
    admin_root = reverse("admin:index")
    if path.startswith(reverse("cms_wizard_create").removesuffix("create/")):
        return True
    if not path.startswith(admin_root):
        return False
    section = path.removeprefix(admin_root).split("/", 1)[0]
    return section in EDITORIAL_ADMIN_SECTIONS


class OneQueryStringRedirectMiddleware:
    """Repair the address djangocms-versioning redirects to after "Edit" or "New draft".

    Its edit redirect adds the request's own query string to an edit address that already
    has one, with a second "?" (`…/edit/2/?language=en-gb?language=en-gb`). The parameters
    are merged into one query string, each once.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        location = response.get("Location", "") if response.status_code in (301, 302, 303, 307, 308) else ""
        if location.count("?") > 1:
            response["Location"] = one_query_string(location)
        return response


def one_query_string(url):
    address, _mark, queries = url.partition("?")
    parameters = dict.fromkeys(parse_qsl(queries.replace("?", "&"), keep_blank_values=True))
    return f"{address}?{urlencode(list(parameters))}"
