"""
The plugins editors build explainer pages from. Their nesting rules are declared here and
enforced by the editor; code that builds content checks the same rules through
`therapy_pages.nesting`.
"""

from cms.plugin_base import CMSPluginBase
from cms.plugin_pool import plugin_pool

from therapy_pages import selectors
from therapy_pages.models import CallToAction, FaqEntry, Image, Section, TitledPoint

MODULE = "Explainer page"


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
    render_template = "therapy_pages/plugins/titled_point_list.html"
    # Nothing to fill in: added at once, with no empty window.
    show_add_form = False
    parent_classes = ["SectionPlugin"]
    allow_children = True
    child_classes = ["TitledPointPlugin"]


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
    render_template = "therapy_pages/plugins/faq_list.html"
    show_add_form = False
    allow_children = True
    child_classes = ["FaqEntryPlugin"]


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
    render_template = "therapy_pages/plugins/faq_index.html"
    cache = False

    def render(self, context, instance, placeholder):
        context = super().render(context, instance, placeholder)
        context["faq_pages"] = selectors.published_faq_entries_by_page()
        return context
