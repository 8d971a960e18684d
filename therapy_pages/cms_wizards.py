"""
"New therapy page" in django CMS's create wizard: a page under Therapies on the Therapy
explainer template, with its skeleton in place, so the editor fills in words rather than
building structure.
"""

from cms.cms_wizards import CMSSubPageWizard
from cms.forms.wizards import CreateCMSSubPageForm
from cms.models import Page, PageContent
from cms.utils.page_permissions import user_can_add_subpage
from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction

from therapy_pages import selectors
from therapy_pages.forms import CALL_TO_ACTION_TEXT
from therapy_pages.models import FaqEntry, Section, TitledPoint
from therapy_pages.nesting import add_nested_plugin

THERAPY_TEMPLATE = "pages/therapy.html"
THERAPIES_PAGE = "therapies"
MAX_SECTIONS = 12
SUMMARY_MAX_LENGTH = 320
NEXT_STEPS_HEADING = "Next steps"
FAQ_HEADING = "Frequently asked questions"
CALL_TO_ACTION = {
    "heading": "Contact us today",
    "text": CALL_TO_ACTION_TEXT,
    "button_label": "Contact us today",
}


def therapies_page():
    return Page.objects.filter(reverse_id=THERAPIES_PAGE).first()


class TherapyPageForm(CreateCMSSubPageForm):
    """The page's title, its summary, its first words and the headings of its sections."""

    # No page types: the template and the skeleton are this wizard's.
    source = None

    class Meta(CreateCMSSubPageForm.Meta):
        # A form field, not a model field, as django CMS's own "source" is: the page's content
        # is built by save(), not from the form's fields.
        fields = ["cms_page"]

    meta_description = forms.CharField(
        label="Summary",
        max_length=SUMMARY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One or two sentences about the therapy. They appear under the page's title on the "
        "Therapies list and in search results (here and on search engines).",
    )
    sections = forms.CharField(
        label='Sections under "On this page"',
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=4000,
        help_text="One heading per line, in order. Under a heading, lines that start with a hyphen "
        '("- Free association") become a list of titled points in that section. '
        f'"{NEXT_STEPS_HEADING}" (with Contact us today) and "{FAQ_HEADING}" are added after them.',
    )
    questions = forms.CharField(
        label="Frequently asked questions",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        required=False,
        help_text="Optional. One question per line; you write each answer on the page.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].help_text = "The therapy's name, as the page's heading and in the menu."
        self.fields["slug"].label = "Address"
        self.fields[
            "slug"
        ].help_text = "The end of the page's address. Left empty, it is made from the title."
        self.fields["content"].label = "First words"
        self.fields[
            "content"
        ].help_text = "The introduction, shown above the sections. You can change it on the page."
        self.order_fields(["title", "meta_description", "content", "sections", "questions", "slug"])

    def clean_sections(self):
        """[(heading, [point titles])], from the lines the editor typed."""
        sections = []
        for line in _lines(self.cleaned_data["sections"]):
            if line.startswith("-"):
                if not sections:
                    raise ValidationError("Start with a heading: a point belongs to the section above it.")
                sections[-1][1].append(_limited(line.lstrip("- "), TitledPoint, "title"))
            else:
                sections.append((_limited(line, Section, "heading"), []))
        if not sections:
            raise ValidationError("Name at least one section.")
        if len(sections) > MAX_SECTIONS:
            raise ValidationError(f"Use at most {MAX_SECTIONS} sections; you can add more on the page.")
        return sections

    def clean_questions(self):
        return [_limited(line, FaqEntry, "question") for line in _lines(self.cleaned_data["questions"])]

    def clean_parent_page(self):
        parent = therapies_page()
        if parent is None or not user_can_add_subpage(self._user, target=parent, site=self._site):
            raise ValidationError("You may not add pages under Therapies.")
        return parent

    def get_template(self):
        return THERAPY_TEMPLATE

    @transaction.atomic
    def save(self, **kwargs):
        page = super().save(**kwargs)
        content = PageContent.admin_manager.get(page=page, language=self.language_code)
        PageContent.admin_manager.filter(pk=content.pk).update(
            meta_description=self.cleaned_data["meta_description"]
        )
        self._add_skeleton(content.get_placeholders().get(slot="content"))
        return page

    def _add_skeleton(self, placeholder):
        language = self.language_code
        for heading, points in self.cleaned_data["sections"]:
            section = add_nested_plugin(placeholder, "SectionPlugin", language, heading=heading)
            if points:
                point_list = add_nested_plugin(placeholder, "TitledPointListPlugin", language, parent=section)
                for title in points:
                    add_nested_plugin(
                        placeholder, "TitledPointPlugin", language, parent=point_list, title=title
                    )
        next_steps = add_nested_plugin(placeholder, "SectionPlugin", language, heading=NEXT_STEPS_HEADING)
        contact = selectors.contact_page()
        if contact is not None:
            add_nested_plugin(
                placeholder,
                "CallToActionPlugin",
                language,
                parent=next_steps,
                link_page=contact,
                **CALL_TO_ACTION,
            )
        faq = add_nested_plugin(placeholder, "SectionPlugin", language, heading=FAQ_HEADING)
        faq_list = add_nested_plugin(placeholder, "FaqListPlugin", language, parent=faq)
        for question in self.cleaned_data["questions"]:
            add_nested_plugin(
                placeholder, "FaqEntryPlugin", language, parent=faq_list, question=question, answer=""
            )


def _lines(text):
    return [line.strip() for line in text.splitlines() if line.strip()]


def _limited(text, model, field_name):
    longest = model._meta.get_field(field_name).max_length
    if len(text) > longest:
        raise ValidationError(f"Keep each line to {longest} characters: “{text[:40]}…” is longer.")
    return text


class TherapyPageWizard(CMSSubPageWizard):
    def user_has_add_permission(self, user, page=None, **kwargs):
        parent = therapies_page()
        return parent is not None and user_can_add_subpage(user, target=parent)


therapy_page_wizard = TherapyPageWizard(
    title="New therapy page",
    weight=90,
    form=TherapyPageForm,
    model=Page,
    description="A page under Therapies, on the Therapy explainer template, with its sections, "
    "questions and Contact us today ready to fill in.",
)
