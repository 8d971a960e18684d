import html
import io
import re
import shutil

import pytest
from cms.models import CMSPlugin, Page, PageContent
from cms.plugin_pool import plugin_pool
from django.contrib.auth.models import Group
from django.contrib.sites.models import Site
from django.core.management import call_command
from django.core.management.base import CommandError
from djangocms_alias.constants import DEFAULT_STATIC_ALIAS_CATEGORY_NAME
from djangocms_alias.models import Alias, AliasContent, Category
from djangocms_versioning.constants import PUBLISHED
from djangocms_versioning.models import Version

from tests.conftest import publish
from tests.therapy_pages.conftest import (
    THERAPY_URL,
    content_placeholder,
    main_text,
    new_draft,
    parse,
    visible_text,
)
from therapy_pages import content_source
from therapy_pages.content_source import CONTENT_DIR
from therapy_pages.crisis_support import CRISIS_SUPPORT_ALIAS
from therapy_pages.management.commands.load_site_content import Command as LoadSiteContent
from therapy_pages.models import FaqEntry, LoadedPage, PageReview
from therapy_pages.nesting import NestingError

pytestmark = pytest.mark.django_db

COPY = CONTENT_DIR / "psychodynamic-therapy-for-addiction.md"
ORIGINAL = CONTENT_DIR / "psychodynamic-therapy-for-addiction.original.txt"
MARKDOWN_LINK = re.compile(r"\[([^\]]+)\]\([^)]+\)")


def normalise(text):
    return " ".join(html.unescape(text).split())


def copy_fragments(path, *, with_markers=False):
    """Each heading, point title and paragraph of a structure-marked copy, as a reader sees it."""
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"\A\+\+\+\n.*?\n\+\+\+\n", "", text, flags=re.DOTALL)
    text = re.sub(r"<!--.*?-->", "", text, flags=re.DOTALL)
    fragments = []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("> "):
            kind, _, argument = line[2:].partition(":")
            if with_markers and kind == "image":
                fragments.append(argument.strip())
            continue
        line = MARKDOWN_LINK.sub(r"\1", line.lstrip("#").removeprefix("- ").strip())
        if line:
            fragments.append(normalise(line))
    return fragments


def assert_in_order(fragments, text):
    position = 0
    for fragment in fragments:
        found = text.find(fragment, position)
        assert found >= 0, f"Missing, or out of order: {fragment!r}"
        position = found + len(fragment)


def test_structure_marked_copy_has_the_clients_words(site_content):
    original = [normalise(line) for line in ORIGINAL.read_text(encoding="utf-8").splitlines() if line.strip()]
    mended = [line.replace("avoiding it..", "avoiding it.") for line in original]

    assert copy_fragments(COPY, with_markers=True) == mended


def test_therapy_page_shows_every_word_of_the_copy_in_order(client, site_content):
    response = client.get(THERAPY_URL)

    assert response.status_code == 200
    assert_in_order(copy_fragments(COPY), main_text(response))


@pytest.mark.parametrize(
    "url, source",
    [
        ("/", "home.md"),
        ("/therapies/", "therapies.md"),
        ("/frequently-asked-questions/", "faq.md"),
        ("/contact-us/", "contact-us.md"),
        ("/privacy-notice/", "privacy-notice.md"),
        ("/accessibility-statement/", "accessibility-statement.md"),
    ],
)
def test_every_page_is_published_with_its_copy(client, site_content, url, source):
    response = client.get(url)

    assert response.status_code == 200
    assert_in_order(copy_fragments(CONTENT_DIR / source), main_text(response))


def test_therapy_page_has_the_structured_parts(site_content):
    content = PageContent.objects.get(page__reverse_id="psychodynamic-therapy-for-addiction")
    plugin_types = [plugin.plugin_type for plugin in content_placeholder(content).get_plugins()]

    assert plugin_types.count("SectionPlugin") == 7
    assert plugin_types.count("TitledPointListPlugin") == 3
    assert plugin_types.count("TitledPointPlugin") == 15
    assert plugin_types.count("FaqEntryPlugin") == 3
    assert plugin_types.count("CallToActionPlugin") == 1
    assert PageReview.objects.get(extended_object=content).next_review_due.isoformat() == "2029-11-25"


def test_home_page_is_the_site_root(client, site_content):
    assert Page.objects.get(reverse_id="home").is_home
    assert client.get("/").status_code == 200


def test_the_main_menu_offers_the_pages_a_visitor_looks_for_by_their_short_names(client, site_content):
    menu = parse(client.get("/")).xpath('//nav[@aria-label="Main"]//a/text()')

    assert [name.strip() for name in menu] == ["Home", "Therapies", "FAQs", "Contact us"]


def test_contact_page_holds_the_enquiry_form(client, site_content):
    content = PageContent.objects.get(page__reverse_id="contact")
    plugins = content_placeholder(content).get_plugins()

    assert plugins.filter(plugin_type="EnquiryFormPlugin").count() == 1
    assert (
        '<form class="enquiry-form" method="post" action="/enquiries/send/"'
        in client.get("/contact-us/").text
    )


@pytest.fixture
def enquiry_form_plugin_missing():
    """The plugin registry as it would be if the enquiries app stopped registering its form."""
    form_plugin = plugin_pool.get_plugin("EnquiryFormPlugin")
    plugin_pool.unregister_plugin(form_plugin)
    yield
    plugin_pool.register_plugin(form_plugin)


def test_without_the_enquiry_form_plugin_the_loader_refuses_and_publishes_nothing(
    enquiry_form_plugin_missing,
):
    with pytest.raises(CommandError, match="EnquiryFormPlugin is not registered") as refused:
        call_command("load_site_content", verbosity=0)

    assert refused.value.returncode == 1
    assert "contact-us" in str(refused.value)
    assert not Page.objects.exists()
    assert not Version.objects.exists()
    assert not LoadedPage.objects.exists()


def test_without_the_enquiry_form_plugin_a_second_run_leaves_the_site_as_it_was(
    site_content, enquiry_form_plugin_missing, changed_copy
):
    before = snapshot()

    with pytest.raises(CommandError):
        call_command("load_site_content", content_dir=changed_copy, verbosity=0)

    assert snapshot() == before


def snapshot():
    return {
        "pages": Page.objects.count(),
        "contents": PageContent.admin_manager.count(),
        "versions": Version.objects.count(),
        "plugins": CMSPlugin.objects.count(),
        "aliases": Alias.objects.count(),
        "editor permissions": Group.objects.get(name="Content editors").permissions.count(),
    }


def test_second_run_creates_nothing(site_content):
    before = snapshot()

    call_command("load_site_content", verbosity=0)

    assert snapshot() == before


def test_page_edited_by_staff_is_left_alone(client, site_content, staff_author):
    page = Page.objects.get(reverse_id="psychodynamic-therapy-for-addiction")
    draft = new_draft(page, staff_author)
    entry = FaqEntry.objects.get(
        placeholder=content_placeholder(draft), question__startswith="Can psychodynamic"
    )
    entry.answer = "<p>Answer rewritten by the clinical team.</p>"
    entry.save()
    publish(draft, staff_author)
    before = snapshot()

    call_command("load_site_content", verbosity=0)

    assert snapshot() == before
    assert "Answer rewritten by the clinical team." in client.get(THERAPY_URL).text


def copied_content(tmp_path):
    folder = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, folder)
    return folder


def rewrite(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def changed_copy(tmp_path):
    """The repository's copy with one sentence of the home page rewritten."""
    folder = copied_content(tmp_path)
    home = folder / "home.md"
    text = home.read_text(encoding="utf-8").replace("you are not alone", "help is here")
    home.write_text(
        text.replace('meta_description = "Information', 'meta_description = "Help and information')
    )
    return folder


def load_site_content(*arguments, **options):
    """Run the loader; what it printed."""
    output = io.StringIO()
    call_command("load_site_content", *arguments, stdout=output, **options)
    return output.getvalue()


def test_changed_copy_updates_a_page_nobody_has_touched(client, site_content, changed_copy):
    home = Page.objects.get(reverse_id="home")
    versions_before = Version.objects.filter_by_grouper(home).count()

    # As a deployment runs it, with the folder typed on the command line.
    printed = load_site_content("--content-dir", str(changed_copy))

    assert printed.startswith("Site content: 0 page(s) created, 1 brought up to date;")
    latest = Version.objects.filter_by_grouper(home).latest("pk")
    assert Version.objects.filter_by_grouper(home).count() == versions_before + 1
    assert (latest.state, latest.created_by.username) == ("published", "site-content-loader")
    assert "help is here" in client.get("/").text
    assert '<meta name="description" content="Help and information about addiction' in client.get("/").text
    assert_in_order(copy_fragments(changed_copy / "home.md"), main_text(client.get("/")))


def test_changed_copy_never_overwrites_a_staff_draft(client, site_content, staff_author, changed_copy):
    home = Page.objects.get(reverse_id="home")
    new_draft(home, staff_author)
    before = snapshot()

    printed = load_site_content(content_dir=changed_copy)

    assert printed.startswith("Site content: 0 page(s) created, 0 brought up to date;")
    assert snapshot() == before
    assert "help is here" not in client.get("/").text


def test_deleted_page_is_rebuilt_without_touching_the_others(client, site_content):
    Page.objects.get(reverse_id="accessibility-statement").delete()
    others_before = {version.pk: (version.object_id, version.modified) for version in Version.objects.all()}
    plugins_elsewhere = CMSPlugin.objects.count()

    call_command("load_site_content", verbosity=0)

    assert client.get("/accessibility-statement/").status_code == 200
    assert CMSPlugin.objects.count() > plugins_elsewhere
    others_after = {
        version.pk: (version.object_id, version.modified)
        for version in Version.objects.filter(pk__in=others_before)
    }
    assert others_after == others_before


def test_content_is_published_by_a_user_who_cannot_log_in(site_content):
    version = Version.objects.get_for_content(PageContent.objects.get(page__reverse_id="home"))

    assert version.created_by.username == "site-content-loader"
    assert not version.created_by.is_active
    assert not version.created_by.has_usable_password()


def test_contact_page_built_before_the_form_existed_gains_it(site_content):
    contact = Page.objects.get(reverse_id="contact")
    built_without_form = content_source.load_page("contact-us.md").digest
    LoadedPage.objects.filter(reverse_id="contact").update(source_digest=built_without_form)

    call_command("load_site_content", verbosity=0)

    content = PageContent.objects.get(page=contact)
    assert content_placeholder(content).get_plugins().filter(plugin_type="EnquiryFormPlugin").count() == 1
    assert Version.objects.filter_by_grouper(contact).count() == 2


def test_the_command_says_what_its_one_option_is_for():
    usage = LoadSiteContent().create_parser("manage.py", "load_site_content").format_help()

    words = " ".join(usage.split())
    assert "Build and publish the clinic's pages. Pages staff have edited are left alone." in words
    assert (
        "--content-dir CONTENT_DIR Folder holding the structure-marked copy "
        "(default: the one in the repository)."
    ) in words


def test_the_crisis_box_is_made_for_editors_to_find_beside_other_static_aliases():
    """An alias made for another purpose, or for one site only, is not the crisis box every
    page shows; the loader makes that one, in django CMS's own category for static aliases."""
    static_aliases = Category.objects.create(name=DEFAULT_STATIC_ALIAS_CATEGORY_NAME)
    Alias.objects.create(category=static_aliases, static_code="opening-hours")
    Alias.objects.create(
        category=static_aliases, static_code=CRISIS_SUPPORT_ALIAS, site=Site.objects.get_current()
    )

    printed = load_site_content()

    assert "crisis support alias created;" in printed
    alias = Alias.objects.get(static_code=CRISIS_SUPPORT_ALIAS, site__isnull=True)
    assert alias.category == static_aliases
    assert Category.objects.filter(translations__name=DEFAULT_STATIC_ALIAS_CATEGORY_NAME).count() == 1
    assert alias.creation_method == Alias.CREATION_BY_TEMPLATE
    box = AliasContent.objects.get(alias=alias)
    assert (box.name, box.language) == ("Crisis support", "en-gb")
    assert Version.objects.get_for_content(box).state == PUBLISHED
    assert "116 123" in box.placeholder.get_plugins().get().get_bound_plugin().body


@pytest.fixture
def copy_with_blocks_in_sections(tmp_path):
    """The repository's copy with the FAQ index moved into a section of its own, and the
    home page's box given words of its own on every line."""
    folder = copied_content(tmp_path)
    rewrite(folder / "faq.md", "> faq-index", "## Questions by page\n\n> faq-index")
    rewrite(
        folder / "home.md",
        "> call-to-action: Talk to us | When you are ready, send us a message and a member of our "
        "team will get back to you. | Contact us today",
        "> call-to-action: Ready when you are | Write a line or two and we will reply. | Write to us",
    )
    return folder


def section_headed(response, heading):
    return parse(response).xpath(f'//section[@class="page-section"][h2="{heading}"]')[0]


def test_blocks_the_copy_puts_in_a_section_are_shown_inside_it(client, copy_with_blocks_in_sections):
    load_site_content(content_dir=copy_with_blocks_in_sections)

    questions = section_headed(client.get("/frequently-asked-questions/"), "Questions by page")
    assert questions.xpath(f'.//a[starts-with(@href, "{THERAPY_URL}#")]')


def test_the_call_to_action_says_what_the_copy_says(client, copy_with_blocks_in_sections):
    load_site_content(content_dir=copy_with_blocks_in_sections)

    box = parse(client.get("/")).find_class("call-to-action")[0]
    assert visible_text(box.find_class("call-to-action__heading")[0]) == "Ready when you are"
    assert visible_text(box.xpath("./p")[0]) == "Write a line or two and we will reply."
    button = box.find_class("button")[0]
    assert (visible_text(button), button.get("href")) == ("Write to us", "/contact-us/")


@pytest.mark.parametrize(
    "page_file, block, rewritten, refusal, message",
    [
        # A form inside a section is refused, not quietly put at the top of the page.
        (
            "contact-us.md",
            "> enquiry-form",
            "## Send us a message\n\n> enquiry-form",
            NestingError,
            r"SectionPlugin may only hold .*, not EnquiryFormPlugin",
        ),
        ("faq.md", "> faq-index", "> carousel", ValueError, r"^Unknown block in the site content: carousel$"),
    ],
)
def test_copy_the_loader_cannot_build_is_named_and_nothing_is_loaded(
    tmp_path, page_file, block, rewritten, refusal, message
):
    folder = copied_content(tmp_path)
    rewrite(folder / page_file, block, rewritten)

    with pytest.raises(refusal, match=message):
        load_site_content(content_dir=folder)

    assert not Page.objects.exists()


def test_every_page_needing_the_missing_form_is_named(tmp_path, enquiry_form_plugin_missing):
    folder = copied_content(tmp_path)
    rewrite(folder / "faq.md", "> faq-index", "> faq-index\n\n> enquiry-form")

    with pytest.raises(CommandError) as refused:
        load_site_content(content_dir=folder)

    assert "the page(s) frequently-asked-questions, contact-us need the enquiry form." in str(refused.value)
