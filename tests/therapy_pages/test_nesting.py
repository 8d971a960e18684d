import pytest
from cms.api import create_page
from cms.plugin_pool import plugin_pool

from tests.conftest import LANGUAGE, draft_of
from tests.therapy_pages.conftest import content_placeholder
from therapy_pages.nesting import NestingError, add_nested_plugin, check_nesting

pytestmark = pytest.mark.django_db

SLOT = "content"


@pytest.fixture
def placeholder(staff_author):
    page = create_page("Nesting", "pages/therapy.html", LANGUAGE, created_by=staff_author)
    return content_placeholder(draft_of(page))


@pytest.mark.parametrize(
    "plugin_type, parent_type",
    [
        ("SectionPlugin", None),
        ("TextPlugin", None),
        ("FaqListPlugin", None),
        ("TextPlugin", "SectionPlugin"),
        ("TitledPointListPlugin", "SectionPlugin"),
        ("TitledPointPlugin", "TitledPointListPlugin"),
        ("FaqListPlugin", "SectionPlugin"),
        ("FaqEntryPlugin", "FaqListPlugin"),
        ("CallToActionPlugin", "SectionPlugin"),
        ("ImagePlugin", "SectionPlugin"),
    ],
)
def test_allowed_nesting(plugin_type, parent_type):
    check_nesting(SLOT, plugin_type, parent_type)


@pytest.mark.parametrize(
    "plugin_type, parent_type",
    [
        ("FaqEntryPlugin", None),
        ("FaqEntryPlugin", "SectionPlugin"),
        ("FaqEntryPlugin", "TitledPointListPlugin"),
        ("TitledPointPlugin", None),
        ("TitledPointPlugin", "FaqListPlugin"),
        ("TitledPointListPlugin", None),
        ("SectionPlugin", "SectionPlugin"),
        ("TextPlugin", "FaqListPlugin"),
        ("TextPlugin", "FaqEntryPlugin"),
    ],
)
def test_refused_nesting(plugin_type, parent_type):
    with pytest.raises(NestingError):
        check_nesting(SLOT, plugin_type, parent_type)


def test_code_cannot_put_an_faq_entry_outside_an_faq_list(placeholder):
    section = add_nested_plugin(placeholder, "SectionPlugin", LANGUAGE, heading="Questions")

    with pytest.raises(NestingError):
        add_nested_plugin(placeholder, "FaqEntryPlugin", LANGUAGE, parent=section, question="Q?", answer="A")

    assert not placeholder.get_plugins().filter(plugin_type="FaqEntryPlugin").exists()


def test_code_builds_what_the_editor_allows(placeholder):
    section = add_nested_plugin(placeholder, "SectionPlugin", LANGUAGE, heading="Questions")
    faq_list = add_nested_plugin(placeholder, "FaqListPlugin", LANGUAGE, parent=section)
    entry = add_nested_plugin(
        placeholder, "FaqEntryPlugin", LANGUAGE, parent=faq_list, question="Q?", answer="A"
    )

    assert entry.parent_id == faq_list.pk


def test_editor_offers_only_faq_entries_inside_an_faq_list(placeholder):
    faq_list_plugin = plugin_pool.get_plugin("FaqListPlugin")
    faq_entry_plugin = plugin_pool.get_plugin("FaqEntryPlugin")

    assert faq_list_plugin.get_child_classes(SLOT, instance=None) == ["FaqEntryPlugin"]
    assert faq_entry_plugin.requires_parent_plugin(SLOT, None)
    assert faq_entry_plugin.get_parent_classes(SLOT) == ["FaqListPlugin"]


def test_section_anchors_are_unique_on_a_page(placeholder):
    first = add_nested_plugin(placeholder, "SectionPlugin", LANGUAGE, heading="Next steps")
    second = add_nested_plugin(placeholder, "SectionPlugin", LANGUAGE, heading="Next steps")

    assert (first.anchor, second.anchor) == ("next-steps", "next-steps-2")
