from cms.forms.utils import get_page_choices_for_site
from cms.models import Page
from django import forms
from django.contrib.sites.models import Site
from django.utils.translation import get_language

from therapy_pages import selectors
from therapy_pages.models import CallToAction

MAX_QUERY_LENGTH = 200
CALL_TO_ACTION_TEXT = (
    "Tell us a little about what is happening and a member of our team will get back to you."
)
# Deep enough for any real search; a limit keeps a crafted address from costing much.
MAX_PAGE = 50


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search this site",
        required=False,
        max_length=MAX_QUERY_LENGTH,
        error_messages={"max_length": f"Use fewer words: up to {MAX_QUERY_LENGTH} characters."},
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE)

    def clean_page(self):
        return self.cleaned_data["page"] or 1


class CallToActionForm(forms.ModelForm):
    """The call to action's settings, with its button leading to Contact us unless the editor
    chooses another page, from one list of the site's published pages."""

    link_page = forms.ModelChoiceField(
        queryset=Page.objects.all(),
        label="Button opens",
        help_text="The page the button opens, usually Contact us.",
        error_messages={
            "required": "Choose the page the button opens.",
            "invalid_choice": "Choose a page from the list.",
        },
    )

    class Meta:
        model = CallToAction
        fields = ["heading", "text", "button_label", "link_page"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        site = Site.objects.get_current()
        pages = self.fields["link_page"]
        pages.queryset = Page.objects.on_site(site)
        pages.choices = [("", "Choose a page"), *get_page_choices_for_site(site, get_language())]
        if self.instance.pk is None:
            self.initial.setdefault("link_page", getattr(selectors.contact_page(), "pk", None))
            self.initial.setdefault("text", CALL_TO_ACTION_TEXT)
