"""
The plugins editors build explainer pages from. Their nesting rules are declared here and
enforced by the editor; code that builds content checks the same rules through
`therapy_pages.nesting`.
"""

from cms.plugin_base import CMSPluginBase
from cms.plugin_pool import plugin_pool
from django.utils.text import Truncator

from portal.models import LabelledPlugin
from therapy_pages import selectors
from therapy_pages.forms import CallToActionForm
from therapy_pages.models import CallToAction, FaqEntry, Image, Section, TitledPoint

MODULE = "Explainer page"
LABEL_LENGTH = 80


def children_of(instance, model):
    """The plugin's children of one model, in order: the ones already loaded with it where the
    structure board has them, else from the database."""
    children = getattr(instance, "child_plugin_instances", None)
    if children is None:
        return list(model.objects.filter(parent_id=instance.pk).order_by("position"))
    return [child for child in children if isinstance(child, model)]


def count_and_list(items, one, many, empty):
    """ "2 questions: How long…?, Can I…?", or `empty` when there are none."""
    if not items:
        return empty
    counted = f"1 {one}" if len(items) == 1 else f"{len(items)} {many}"
    return Truncator(f"{counted}: " + ", ".join(str(item) for item in items)).chars(LABEL_LENGTH)


class ExplainerPlugin(CMSPluginBase):
    module = MODULE


@plugin_pool.register_plugin
class SectionPlugin(ExplainerPlugin):
    """A heading and everything under it, up to the next section."""

    name = "Section"
    model = Section
    render_template = "therapy_pages/plugins/section.html"
    fields = ["heading", "anchor"]
    allow_children = True
    child_classes = [
        "TextPlugin",
        "TitledPointListPlugin",
        "FaqListPlugin",
        "CallToActionPlugin",
        "ImagePlugin",
        "FaqIndexPlugin",
    ]


@plugin_pool.register_plugin
class TitledPointListPlugin(ExplainerPlugin):
    name = "List of titled points"
    model = LabelledPlugin
    render_template = "therapy_pages/plugins/titled_point_list.html"
    # Nothing to fill in: added at once, with no empty window.
    show_add_form = False
    parent_classes = ["SectionPlugin"]
    allow_children = True
    child_classes = ["TitledPointPlugin"]

    @staticmethod
    def label(instance):
        return count_and_list(children_of(instance, TitledPoint), "point", "points", "no points yet")


@plugin_pool.register_plugin
class TitledPointPlugin(ExplainerPlugin):
    name = "Titled point"
    model = TitledPoint
    render_template = "therapy_pages/plugins/titled_point.html"
    parent_classes = ["TitledPointListPlugin"]
    require_parent = True


@plugin_pool.register_plugin
class FaqListPlugin(ExplainerPlugin):
    """Questions and answers; search engines get the same ones as FAQPage data."""

    name = "FAQ list"
    model = LabelledPlugin
    render_template = "therapy_pages/plugins/faq_list.html"
    show_add_form = False
    allow_children = True
    child_classes = ["FaqEntryPlugin"]

    @staticmethod
    def label(instance):
        return count_and_list(children_of(instance, FaqEntry), "question", "questions", "no questions yet")


@plugin_pool.register_plugin
class FaqEntryPlugin(ExplainerPlugin):
    name = "FAQ entry"
    model = FaqEntry
    render_template = "therapy_pages/plugins/faq_entry.html"
    fields = ["question", "answer", "anchor"]
    parent_classes = ["FaqListPlugin"]
    require_parent = True


@plugin_pool.register_plugin
class CallToActionPlugin(ExplainerPlugin):
    name = "Call to action"
    model = CallToAction
    form = CallToActionForm
    render_template = "therapy_pages/plugins/call_to_action.html"


@plugin_pool.register_plugin
class ImagePlugin(ExplainerPlugin):
    name = "Image"
    model = Image
    render_template = "therapy_pages/plugins/image.html"


@plugin_pool.register_plugin
class FaqIndexPlugin(ExplainerPlugin):
    """Every published FAQ entry on the site, grouped by its page.

    Not cached: a publish on any other page changes what it shows."""

    name = "Index of all FAQ entries"
    model = LabelledPlugin
    render_template = "therapy_pages/plugins/faq_index.html"
    cache = False

    def render(self, context, instance, placeholder):
        context = super().render(context, instance, placeholder)
        context["faq_pages"] = selectors.published_faq_entries_by_page()
        return context

    @staticmethod
    def label(instance):
        return "every published question, grouped by page"
