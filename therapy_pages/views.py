from cms.models import PageContent
from cms.toolbar.utils import get_object_preview_url
from django.contrib import admin, messages
from django.contrib.sitemaps.views import sitemap
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from djangocms_versioning.constants import DRAFT
from djangocms_versioning.exceptions import ConditionFailed
from djangocms_versioning.helpers import version_list_url
from djangocms_versioning.models import Version

from therapy_pages import scheduling
from therapy_pages import search as site_search
from therapy_pages.forms import MAX_PAGE, PublicationScheduleForm, SearchForm
from therapy_pages.models import PublicationSchedule
from therapy_pages.sitemaps import PublishedPagesSitemap
from therapy_pages.versions import DraftInTheWay, publish_earlier_version


@require_safe
def sitemap_xml(request):
    return sitemap(request, {"pages": PublishedPagesSitemap(request.get_host())})


@require_safe
def robots_txt(request):
    """Let search engines read the public pages, and tell them where the sitemap is."""
    sitemap_url = request.build_absolute_uri(reverse("sitemap"))
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /enquiries/",
        "Disallow: /search/",
        f"Sitemap: {sitemap_url}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain")


@never_cache
@require_safe
def search(request):
    """Search results. Never cached, stored or passed on, and what was typed is not logged:
    it may be the most private thing a visitor tells the site."""
    form = SearchForm(request.GET)
    form.is_valid()
    # A page number out of range is not the visitor's doing: show the first page.
    query, page = form.cleaned_data.get("q", ""), form.cleaned_data.get("page", 1)
    found = site_search.search(query, page=page) if query else None
    context = {"form": form, "query": query, "found": found, "last_page": MAX_PAGE}
    response = render(request, "therapy_pages/search_results.html", context)
    # The address holds the search words: links and files from this page must not pass it
    # on as a Referer, which servers and proxies commonly log.
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@require_POST
def publish_version_again(request, version_id):
    """The revert screen's "Publish this version": visitors see that version again at once."""
    version = get_object_or_404(Version, pk=version_id)
    try:
        published = publish_earlier_version(version, request.user, draft_action=request.POST.get("draft"))
    except ConditionFailed as refusal:
        messages.error(request, str(refusal))
    except DraftInTheWay:
        messages.error(
            request, "There is a draft of this page: choose whether to archive or discard it first."
        )
    else:
        messages.success(
            request,
            f"Version #{version.number} is published again, as Version #{published.number}: "
            "visitors see it now.",
        )
        return redirect(version_list_url(published.content))
    return redirect(version_list_url(version.content))


@require_http_methods(["GET", "HEAD", "POST"])
def publication_schedule(request, version_id):
    """ "Schedule publishing…" for a draft, "Schedule unpublishing…" for the published
    version: when, and what is already waiting for the page, with a way to cancel it."""
    version = _version_to_schedule(request, version_id)
    action = scheduling.action_for(version)
    pending = list(scheduling.pending_for_page(version.content.page))
    waiting = next((schedule for schedule in pending if schedule.action == action), None)
    form = None
    if action and waiting is None:
        form = PublicationScheduleForm(request.POST if request.method == "POST" else None)
        if form.is_bound and form.is_valid():
            try:
                scheduled = scheduling.schedule(
                    version=version, action=action, due_at=form.cleaned_data["due_at"], user=request.user
                )
            except scheduling.AlreadyScheduled:
                form.add_error(None, "Someone scheduled this page a moment ago. Reload to see when.")
            else:
                messages.success(request, f"{scheduling.describe(scheduled)}.")
                return redirect(_page_url(version))
    heading = "Schedule unpublishing" if action == scheduling.Action.UNPUBLISH else "Schedule publishing"
    context = {
        **admin.site.each_context(request),
        "title": f"{heading}: {version.content.title}",
        "heading": heading,
        "done_word": scheduling.PAST_TENSE.get(action, ""),
        "version": version,
        "action": action,
        "form": form,
        "pending": [(schedule, scheduling.describe(schedule)) for schedule in pending],
        "waiting": waiting,
        "page_url": _page_url(version),
        "refused_now": scheduling.refusal_now(version, request.user),
    }
    return render(request, "therapy_pages/publication_schedule.html", context)


@require_POST
def cancel_publication_schedule(request, schedule_id):
    pending = get_object_or_404(
        PublicationSchedule, pk=schedule_id, outcome=PublicationSchedule.Outcome.PENDING
    )
    if not pending.version.has_publish_permission(request.user):
        raise PermissionDenied
    scheduling.cancel(pending)
    messages.success(
        request, f"Cancelled: the page will not be {scheduling.PAST_TENSE[pending.action]} then."
    )
    return redirect("admin:therapy_pages_publicationschedule_schedule", pending.version_id)


def _version_to_schedule(request, version_id):
    version = get_object_or_404(Version, pk=version_id)
    if not isinstance(version.content, PageContent):
        raise Http404("Only pages can be scheduled.")
    if not version.has_publish_permission(request.user):
        raise PermissionDenied
    return version


def _page_url(version):
    """Back to the page: the draft in preview, otherwise the page as visitors see it."""
    if version.state == DRAFT:
        return get_object_preview_url(version.content)
    return version.content.get_absolute_url()
