"""What an editor's rich text may hold: the structure of a page, and nothing that changes how
the page around it looks or behaves.

djangocms-text cleans every rich-text field and text plugin with one shared nh3 cleaner, which
by default keeps `style`, `class` and `role` on every element, tables, images and any `data-` or
`aria-` attribute. An editor could then lay a full-page overlay over the crisis numbers or hide
text from screen readers. The portal's pages need paragraphs, headings, lists, emphasis, quotes
and links (web, email and phone); django CMS's own links to pages and plugins inside text travel
as `<cms-plugin>` elements and `data-cms-` attributes.
"""

from djangocms_text.html import cms_parser

ALLOWED_TAGS = {
    "p",
    "br",
    "h2",
    "h3",
    "h4",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "b",
    "i",
    "sub",
    "sup",
    "blockquote",
    "abbr",
    "a",
    "cms-plugin",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "ol": {"start"},
    "cms-plugin": {"id", "title", "name", "alt", "render-plugin", "type"},
}
ALLOWED_ATTRIBUTE_PREFIXES = {"data-cms-"}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}


def restrict_rich_text():
    """Narrow djangocms-text's shared cleaner to the lists above, for every field that uses it."""
    cms_parser.ALLOWED_TAGS = set(ALLOWED_TAGS)
    cms_parser.ALLOWED_ATTRIBUTES = {tag: set(attributes) for tag, attributes in ALLOWED_ATTRIBUTES.items()}
    cms_parser.generic_attribute_prefixes = set(ALLOWED_ATTRIBUTE_PREFIXES)
    cms_parser.ALLOWED_URL_SCHEMES = set(ALLOWED_URL_SCHEMES)
