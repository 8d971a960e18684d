"""The public side: receive the form, thank the sender, and answer a failed CSRF check."""

import time

from django.conf import settings
from django.core import signing
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from enquiries import ratelimit
from enquiries.forms import EnquiryForm
from enquiries.models import Enquiry, response_time
from enquiries.services import enquiry_submit
from enquiries.tokens import issue_form_token, read_form_token

THANKS_COOKIE = "sent_enquiry"
THANKS_COOKIE_SALT = "enquiries.thanks"
# Long enough to note the reference down; short enough that the next person at a shared
# computer does not find it.
THANKS_SHOWN_FOR_SECONDS = 60 * 60
EXPIRED_FORM_NOTICE = (
    "For your security, this form stopped working after a while. We have kept what you typed: "
    "check it and press \u201cSend enquiry\u201d again."
)
RATE_LIMITED_NOTICE = (
    "We have received a lot of enquiries from your connection recently, so we cannot accept "
    "another one just now. Please call us instead, or try again later."
)


def new_enquiry_form():
    return EnquiryForm(initial={"form_token": issue_form_token()})


def _form_page(request, form, *, status=200, notice=""):
    return render(request, "enquiries/form_page.html", {"form": form, "notice": notice}, status=status)


def _thank(enquiry):
    """The reference travels in a signed cookie for the thank-you page alone, which the
    browser drops when it closes; never in the address. Not in a session: a visitor gets
    none (their next pages still come from the page cache), and nothing is written for it."""
    response = redirect("enquiries:thanks")
    sent = signing.dumps({"reference": enquiry.reference, "sent_at": time.time()}, salt=THANKS_COOKIE_SALT)
    response.set_cookie(
        THANKS_COOKIE,
        sent,
        path=reverse("enquiries:thanks"),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


def _sent_enquiry(request):
    try:
        sent = signing.loads(request.COOKIES.get(THANKS_COOKIE, ""), salt=THANKS_COOKIE_SALT)
    except signing.BadSignature:
        return {}
    return sent if isinstance(sent, dict) else {}


def _form_data(request):
    """The posted answers. A body that is not valid UTF-8 is read with U+FFFD in place of
    each bad byte, which the form refuses beside the field it is in; Django itself would read
    the whole body as Latin-1 and quietly garble every other answer that is not plain ASCII."""
    if request.content_type == "application/x-www-form-urlencoded":
        try:
            request.body.decode("utf-8")
        except UnicodeDecodeError:
            return QueryDict(request.body.decode("utf-8", errors="replace"))
    return request.POST


@never_cache
@require_POST
def enquiry_send(request):
    form = EnquiryForm(_form_data(request))
    if not form.is_valid():
        return _form_page(request, form)
    token = read_form_token(form.cleaned_data["form_token"])
    # A form sent again is not a new enquiry: the limit does not apply to it.
    if ratelimit.is_rate_limited(request) and not _sent_before(token):
        return _form_page(request, form, status=429, notice=RATE_LIMITED_NOTICE)
    submission = enquiry_submit(
        details=form.submission_details(),
        submission_key=token.key if token else None,
        spam_reasons=form.suspected_spam_reasons(),
    )
    if submission.created:
        ratelimit.count_submission(request)
    return _thank(submission.enquiry)


def _sent_before(token):
    return bool(token) and Enquiry.objects.filter(submission_key=token.key).exists()


@never_cache
@require_safe
def enquiry_thanks(request):
    sent = _sent_enquiry(request)
    recent = time.time() - sent.get("sent_at", 0) < THANKS_SHOWN_FOR_SECONDS
    enquiry = Enquiry.objects.filter(reference=sent.get("reference")).first() if recent else None
    context = {"enquiry": enquiry, "response_hours": settings.ENQUIRY_RESPONSE_HOURS}
    if enquiry:
        context["respond_by"] = timezone.localtime(enquiry.received_at + response_time())
    return render(request, "enquiries/thanks.html", context)


@never_cache
def csrf_failure(request, reason=""):
    """A friendly page instead of Django's bare 403. For the enquiry form, the form comes
    back with what the person typed and a fresh token, so one more press sends it."""
    if request.method == "POST" and request.path == reverse("enquiries:send"):
        return _form_page(request, _form_keeping(request.POST), status=403, notice=EXPIRED_FORM_NOTICE)
    return render(request, "enquiries/csrf_failure.html", status=403)


def _form_keeping(data):
    """An unbound form showing what was sent, so no error messages appear yet."""
    initial = {name: data.get(name, "") for name in EnquiryForm.base_fields if name != "website"}
    initial["topics"] = data.getlist("topics")
    if read_form_token(initial["form_token"]) is None:
        # Dated as if shown long enough ago: they have filled the form in once already, so
        # pressing Send at once is not a program's speed.
        initial["form_token"] = issue_form_token(now=time.time() - settings.ENQUIRY_MIN_FILL_SECONDS)
    return EnquiryForm(initial=initial)
