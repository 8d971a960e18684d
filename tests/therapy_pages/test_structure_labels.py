"""The structure board names each part by what it says: its heading, its question, or what a
list holds; never by a database id."""

import re

import pytest
from cms.models import Page
from cms.toolbar.utils import get_object_structure_url

from portal.models import LabelledPlugin
from tests.conftest import LANGUAGE
from tests.therapy_pages.conftest import content_placeholder, new_draft, parse, visible_text
from therapy_pages.nesting import add_nested_plugin

pytestmark = pytest.mark.django_db

# Most are django CMS's own; none is per plugin.
STRUCTURE_BOARD_QUERIES = 30


def structure_labels(client, content):
    """Each part's label on the structure board, as the editor reads it."""
    board = parse(client.get(get_object_structure_url(content)))
    return [visible_text(label) for label in board.find_class("cms-dragitem-text")]


@pytest.fixture
def therapy_draft(site_content, content_editor):
    return new_draft(Page.objects.get(reverse_id="psychodynamic-therapy-for-addiction"), content_editor)


def test_every_part_is_labelled_by_its_words(client, therapy_draft, content_editor):
    placeholder = content_placeholder(therapy_draft)
    section = add_nested_plugin(placeholder, "SectionPlugin", LANGUAGE, heading="More help")
    add_nested_plugin(placeholder, "FaqListPlugin", LANGUAGE, parent=section)
    add_nested_plugin(placeholder, "FaqIndexPlugin", LANGUAGE, parent=section)
    add_nested_plugin(placeholder, "EnquiryFormPlugin", LANGUAGE)
    client.force_login(content_editor)

    labels = structure_labels(client, therapy_draft)

    assert "Section What is psychodynamic therapy for addiction?" in labels
    points = "4 points: Emotional voids, Trauma and painful emotions, Old behaviour patterns,…"
    assert f"List of titled points {points}" in labels
    assert any(
        label.startswith("FAQ list 3 questions: How does psychodynamic therapy support") for label in labels
    )
    assert "Call to action Contact us today" in labels
    assert "FAQ list no questions yet" in labels
    assert "Index of all FAQ entries every published question, grouped by page" in labels
    assert "Enquiry form the form visitors send the clinic an enquiry with" in labels
    assert not [label for label in labels if re.search(r"\d{2,}", label)], labels


def test_a_list_is_labelled_by_what_it_holds_in_the_editor_s_dialog_too(therapy_draft):
    """The dialog and the version comparison read a list's parts from the database, not from
    the structure board's tree."""
    placeholder = content_placeholder(therapy_draft)
    section = add_nested_plugin(placeholder, "SectionPlugin", LANGUAGE, heading="More help")
    points = add_nested_plugin(placeholder, "TitledPointListPlugin", LANGUAGE, parent=section)
    questions = add_nested_plugin(placeholder, "FaqListPlugin", LANGUAGE, parent=section)

    def label(plugin):
        return str(LabelledPlugin.objects.get(pk=plugin.pk))

    assert (label(points), label(questions)) == ("no points yet", "no questions yet")
    add_nested_plugin(placeholder, "TitledPointPlugin", LANGUAGE, parent=points, title="Feelings")
    add_nested_plugin(placeholder, "FaqEntryPlugin", LANGUAGE, parent=questions, question="Is it free?")
    assert (label(points), label(questions)) == ("1 point: Feelings", "1 question: Is it free?")
    add_nested_plugin(placeholder, "TitledPointPlugin", LANGUAGE, parent=points, title="Habits")
    assert label(points) == "2 points: Feelings, Habits"


def test_structure_board_query_count_is_flat_in_the_number_of_lists(
    client, therapy_draft, content_editor, django_assert_max_num_queries
):
    """The lists' labels are read from the board's own tree, not with a query per list."""
    client.force_login(content_editor)
    structure_labels(client, therapy_draft)
    placeholder = content_placeholder(therapy_draft)
    for number in range(5):
        section = add_nested_plugin(placeholder, "SectionPlugin", LANGUAGE, heading=f"More {number}")
        questions = add_nested_plugin(placeholder, "FaqListPlugin", LANGUAGE, parent=section)
        add_nested_plugin(
            placeholder,
            "FaqEntryPlugin",
            LANGUAGE,
            parent=questions,
            question=f"Q{number}?",
            answer="<p>A</p>",
        )

    with django_assert_max_num_queries(STRUCTURE_BOARD_QUERIES):
        structure_labels(client, therapy_draft)
