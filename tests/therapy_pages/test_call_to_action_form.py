"""A call to action added by hand on the structure board leads to Contact us unless the
editor picks another page, from one list of the site's pages."""

import pytest
from cms.models import Page
from lxml import html as lxml_html

from tests.conftest import LANGUAGE
from tests.therapy_pages.conftest import content_placeholder, new_draft
from therapy_pages.models import CallToAction, Section

pytestmark = pytest.mark.django_db


@pytest.fixture
def add_form_url(site_content, content_editor):
    draft = new_draft(Page.objects.get(reverse_id="psychodynamic-therapy-for-addiction"), content_editor)
    placeholder = content_placeholder(draft)
    section = Section.objects.filter(placeholder=placeholder).first()
    position = placeholder.get_plugins(LANGUAGE).count() + 1
    return (
        f"/admin/cms/placeholder/add-plugin/?placeholder_id={placeholder.pk}&plugin_type=CallToActionPlugin"
        f"&plugin_language={LANGUAGE}&plugin_parent={section.pk}&plugin_position={position}"
    )


def test_the_button_leads_to_contact_us_from_the_start(client, add_form_url, content_editor):
    client.force_login(content_editor)

    form = lxml_html.fromstring(client.get(add_form_url).content)

    (page_list,) = form.xpath("//select[contains(@name, 'link_page')]")
    assert page_list.xpath("string(option[@selected])") == "Contact us"
    assert "Home" in page_list.xpath("option/text()")
    assert not form.xpath("//select[option[text()='Clinic information portal']]")


def test_saved_as_offered_the_call_to_action_opens_contact_us(client, add_form_url, content_editor):
    client.force_login(content_editor)
    form = lxml_html.fromstring(client.get(add_form_url).content)
    offered = {field.name: field.value for field in form.xpath("//form")[0].inputs if field.name}
    existing = list(CallToAction.objects.values_list("pk", flat=True))

    response = client.post(add_form_url, offered)

    assert response.status_code == 200
    call_to_action = CallToAction.objects.exclude(pk__in=existing).get()
    assert call_to_action.link_page.reverse_id == "contact"
    assert call_to_action.text.startswith("Tell us a little about what is happening")


def test_no_page_chosen_is_refused_next_to_the_field(client, add_form_url, content_editor):
    client.force_login(content_editor)

    response = client.post(
        add_form_url, {"heading": "Ring the clinic", "button_label": "Call", "link_page": ""}
    )

    assert "Choose the page the button opens." in response.text
    assert not CallToAction.objects.filter(heading="Ring the clinic").exists()
