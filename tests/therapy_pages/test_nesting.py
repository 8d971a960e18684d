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

    third = add_nested_plugin(placeholder, "SectionPlugin", LANGUAGE, heading="Next steps")

    assert (first.anchor, second.anchor, third.anchor) == ("next-steps", "next-steps-2", "next-steps-3")


def test_a_question_and_a_section_with_the_same_words_link_to_different_places(placeholder):
    section = add_nested_plugin(placeholder, "SectionPlugin", LANGUAGE, heading="What happens next?")
    faq_list = add_nested_plugin(placeholder, "FaqListPlugin", LANGUAGE, parent=section)
    question = add_nested_plugin(
        placeholder, "FaqEntryPlugin", LANGUAGE, parent=faq_list, question="What happens next?", answer="A"
    )

    assert (section.anchor, question.anchor) == ("what-happens-next", "what-happens-next-2")


def test_the_same_heading_on_another_page_keeps_its_plain_anchor(placeholder, staff_author):
    """Anchors are unique within a page: a link to one page's part does not change because
    another page has a part with the same heading."""
    other_page = create_page("Other", "pages/therapy.html", LANGUAGE, created_by=staff_author)
    elsewhere = add_nested_plugin(
        content_placeholder(draft_of(other_page)), "SectionPlugin", LANGUAGE, heading="Who it helps"
    )
    here = add_nested_plugin(placeholder, "SectionPlugin", LANGUAGE, heading="Who it helps")

    assert (elsewhere.anchor, here.anchor) == ("who-it-helps", "who-it-helps")


def test_a_long_heading_makes_an_anchor_that_fits_with_its_number(placeholder):
    heading = "word " * 30
    first = add_nested_plugin(placeholder, "SectionPlugin", LANGUAGE, heading=heading)
    second = add_nested_plugin(placeholder, "SectionPlugin", LANGUAGE, heading=heading)

    assert first.anchor == ("word-" * 16)[:80]
    assert second.anchor == ("word-" * 16)[:78] + "-2"


def test_a_heading_with_no_letters_is_linked_as_a_part(placeholder):
    first = add_nested_plugin(placeholder, "SectionPlugin", LANGUAGE, heading="?!")
    second = add_nested_plugin(placeholder, "SectionPlugin", LANGUAGE, heading="…")

    assert (first.anchor, second.anchor) == ("part", "part-2")


def test_an_anchor_cleared_by_an_editor_is_made_again_from_the_heading(placeholder):
    section = add_nested_plugin(placeholder, "SectionPlugin", LANGUAGE, heading="Next steps")
    section.anchor = ""
    section.save()

    section.refresh_from_db()
    assert section.anchor == "next-steps"


def test_an_anchor_an_editor_chose_is_kept(placeholder):
    section = add_nested_plugin(placeholder, "SectionPlugin", LANGUAGE, heading="Next steps", anchor="after")

    assert section.anchor == "after"
