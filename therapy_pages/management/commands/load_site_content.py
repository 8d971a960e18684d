"""
Build and publish the clinic's pages from the copy in therapy_pages/content/.

Safe to run again. A missing page is built and published. A page the loader built is
brought up to date when its copy has changed, but only while the loader's version is
still the page's latest published one: once staff have made a version of their own (a
draft, an edit, a revert, an unpublish), the page is theirs and the loader leaves it
alone. The crisis-support alias is created if missing, and the "Content editors" group
is given exactly the permissions editing under djangocms-versioning needs.
"""

import hashlib
from pathlib import Path

from cms.api import create_page
from cms.models import Page, PageContent
from cms.plugin_pool import plugin_pool
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from djangocms_alias.constants import DEFAULT_STATIC_ALIAS_CATEGORY_NAME
from djangocms_alias.models import Alias, AliasContent, Category
from djangocms_versioning.constants import PUBLISHED
from djangocms_versioning.models import Version

from therapy_pages import content_source
from therapy_pages.content_source import Marker, Text, TitledItems
from therapy_pages.crisis_support import CRISIS_SUPPORT_ALIAS
from therapy_pages.editors import ensure_content_editors_group
from therapy_pages.models import LoadedPage, PageReview
from therapy_pages.nesting import add_nested_plugin

LANGUAGE = settings.LANGUAGE_CODE
LOADER_USERNAME = "site-content-loader"
CONTACT_PAGE = "contact"
ENQUIRY_FORM_PLUGIN = "EnquiryFormPlugin"
# Site order: each page after its parent.
PAGE_FILES = [
    "home.md",
    "therapies.md",
    "psychodynamic-therapy-for-addiction.md",
    "faq.md",
    "contact-us.md",
    "privacy-notice.md",
    "accessibility-statement.md",
]
# For a run of "### title" items: the list plugin, the item plugin and its two fields,
# by whether the items are questions and answers.
TITLED_ITEM_PLUGINS = {
    True: ("FaqListPlugin", "FaqEntryPlugin", "question", "answer"),
    False: ("TitledPointListPlugin", "TitledPointPlugin", "title", "body"),
}


class Command(BaseCommand):
    help = "Build and publish the clinic's pages. Pages staff have edited are left alone."

    def add_arguments(self, parser):
        parser.add_argument(
            "--content-dir",
            type=Path,
            default=content_source.CONTENT_DIR,
            help="Folder holding the structure-marked copy (default: the one in the repository).",
        )

    @transaction.atomic
    def handle(self, *args, content_dir, **options):
        self.content_dir = content_dir
        sources = [content_source.load_page(name, content_dir) for name in PAGE_FILES]
        self.refuse_without_the_enquiry_form(sources)
        self.loader = self.loader_user()
        pages = Page.objects.filter(reverse_id__in=[source.settings["reverse_id"] for source in sources])
        pages_by_id = {page.reverse_id: page for page in pages}
        # Pages first, content second: a page's content may link to a page that comes after it.
        new = [
            (source, self.create_page(source))
            for source in sources
            if source.settings["reverse_id"] not in pages_by_id
        ]
        for source, page in new:
            self.fill_and_publish(source, PageContent.admin_manager.get(page=page, language=LANGUAGE))
        if any(source.settings["reverse_id"] == "home" for source, _page in new):
            Page.objects.get(reverse_id="home").set_as_homepage(self.loader)
        updated = 0
        for source in sources:
            page = pages_by_id.get(source.settings["reverse_id"])
            if page and self.update_if_untouched(source, page):
                updated += 1
        alias_created = self.ensure_crisis_support_alias()
        ensure_content_editors_group()
        self.stdout.write(
            f"Site content: {len(new)} page(s) created, {updated} brought up to date"
            f"{', crisis support alias created' if alias_created else ''}; pages edited by staff left alone."
        )

    @staticmethod
    def refuse_without_the_enquiry_form(sources):
        """A contact page without its form would tell visitors to write and give them no way
        to: stop before anything is built or published."""
        if ENQUIRY_FORM_PLUGIN in plugin_pool.plugins:
            return
        needing_it = [source.settings["slug"] for source in sources if source.markers("enquiry-form")]
        if needing_it:
            raise CommandError(
                f"{ENQUIRY_FORM_PLUGIN} is not registered (is the enquiries app installed?), but "
                f"the page(s) {', '.join(needing_it)} need the enquiry form. Nothing was loaded."
            )

    def loader_user(self):
        """The user recorded as author of loaded content; it cannot log in."""
        user, created = get_user_model().objects.get_or_create(
            username=LOADER_USERNAME, defaults={"is_active": False}
        )
        if created:
            user.set_unusable_password()
            user.save()
        return user

    def create_page(self, source):
        parent = source.settings.get("parent")
        return create_page(
            language=LANGUAGE,
            slug=source.settings["slug"],
            reverse_id=source.settings["reverse_id"],
            parent=Page.objects.get(reverse_id=parent) if parent else None,
            in_navigation=source.settings.get("in_navigation", True),
            created_by=self.loader,
            **self.content_settings(source),
        )

    @staticmethod
    def content_settings(source):
        """What each version of a page's content carries, besides its plugins."""
        return {
            "title": source.settings.get("title", source.title),
            "template": source.settings["template"],
            "menu_title": source.settings.get("menu_title"),
            "page_title": source.settings.get("page_title"),
            "meta_description": source.settings.get("meta_description"),
        }

    def update_if_untouched(self, source, page):
        """Bring a page the loader published, and nobody has changed since, up to date."""
        record = LoadedPage.objects.filter(reverse_id=source.settings["reverse_id"]).first()
        if record and record.source_digest == self.loaded_digest(source):
            return False
        latest = Version.objects.filter_by_grouper(page).order_by("-pk").first()
        if latest is None or latest.state != PUBLISHED or latest.created_by != self.loader:
            return False
        draft = latest.copy(self.loader).content
        draft.get_placeholders().get(slot="content").clear(LANGUAGE)
        PageContent.admin_manager.filter(pk=draft.pk).update(**self.content_settings(source))
        PageReview.objects.filter(extended_object=draft).delete()
        self.fill_and_publish(source, draft)
        return True

    @staticmethod
    def loaded_digest(source):
        """The copy, and for a page with the enquiry form the form's plugin: a page built
        when the loader still published it without the form carries the copy's bare digest,
        and is rebuilt with the form (unless staff have edited it)."""
        if source.markers("enquiry-form"):
            return hashlib.sha256(f"{source.digest} {ENQUIRY_FORM_PLUGIN}".encode()).hexdigest()
        return source.digest

    def fill_and_publish(self, source, content):
        placeholder = content.get_placeholders().get(slot="content")
        self.add_blocks(placeholder, source.intro, parent=None)
        for section in source.sections:
            section_plugin = add_nested_plugin(
                placeholder, "SectionPlugin", LANGUAGE, heading=section.heading
            )
            self.add_blocks(placeholder, section.blocks, parent=section_plugin)
        if "review" in source.settings:
            PageReview.objects.create(extended_object=content, **source.settings["review"])
        Version.objects.get_for_content(content).publish(self.loader)
        LoadedPage.objects.update_or_create(
            reverse_id=source.settings["reverse_id"], defaults={"source_digest": self.loaded_digest(source)}
        )

    def add_blocks(self, placeholder, blocks, parent):
        for block in blocks:
            if isinstance(block, Text):
                add_nested_plugin(placeholder, "TextPlugin", LANGUAGE, parent=parent, body=block.html)
            elif isinstance(block, TitledItems):
                self.add_titled_items(placeholder, block, parent)
            elif isinstance(block, Marker):
                self.add_marker(placeholder, block, parent)

    def add_titled_items(self, placeholder, block, parent):
        list_type, item_type, title_field, text_field = TITLED_ITEM_PLUGINS[block.is_faq]
        item_list = add_nested_plugin(placeholder, list_type, LANGUAGE, parent=parent)
        for item in block.items:
            add_nested_plugin(
                placeholder,
                item_type,
                LANGUAGE,
                parent=item_list,
                **{title_field: item.title, text_field: item.text.html},
            )

    def add_marker(self, placeholder, marker, parent):
        if marker.kind == "call-to-action":
            heading, text, button_label = marker.arguments
            add_nested_plugin(
                placeholder,
                "CallToActionPlugin",
                LANGUAGE,
                parent=parent,
                heading=heading,
                text=text,
                button_label=button_label,
                link_page=Page.objects.get(reverse_id=CONTACT_PAGE),
            )
        elif marker.kind == "faq-index":
            add_nested_plugin(placeholder, "FaqIndexPlugin", LANGUAGE, parent=parent)
        elif marker.kind == "enquiry-form":
            add_nested_plugin(placeholder, ENQUIRY_FORM_PLUGIN, LANGUAGE, parent=parent)
        elif marker.kind == "image":
            # The copy marks where pictures went, but no image files came with it: an image
            # plugin needs a file, so editors add one when the clinic has a picture to use.
            pass
        else:
            raise ValueError(f"Unknown block in the site content: {marker.kind}")

    def ensure_crisis_support_alias(self):
        """The crisis numbers every page shows, kept by staff in one static alias."""
        if Alias.objects.filter(static_code=CRISIS_SUPPORT_ALIAS, site__isnull=True).exists():
            return False
        category = Category.objects.filter(translations__name=DEFAULT_STATIC_ALIAS_CATEGORY_NAME).first()
        if category is None:
            category = Category.objects.create(name=DEFAULT_STATIC_ALIAS_CATEGORY_NAME)
        alias = Alias.objects.create(
            category=category, static_code=CRISIS_SUPPORT_ALIAS, creation_method=Alias.CREATION_BY_TEMPLATE
        )
        alias_content = AliasContent.objects.with_user(self.loader).create(
            alias=alias, name="Crisis support", language=LANGUAGE
        )
        body = (self.content_dir / "crisis-support.html").read_text(encoding="utf-8")
        add_nested_plugin(alias_content.placeholder, "TextPlugin", LANGUAGE, body=body)
        Version.objects.get_for_content(alias_content).publish(self.loader)
        return True
