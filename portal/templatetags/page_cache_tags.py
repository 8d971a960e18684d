"""Parts of a page that every visitor sees alike (the menu, the crisis box), kept until the
next publish, for pages the page cache does not keep whole, such as search results."""

from django import template

from portal import page_cache

register = template.Library()


@register.tag
def cached_until_publish(parser, token):
    """{% cached_until_publish "name" %}…{% endcached_until_publish %}: rendered once per
    publish for anonymous visitors; signed-in staff always get it rendered for them."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError(f"{bits[0]} takes one argument: the fragment's name")
    nodelist = parser.parse(("endcached_until_publish",))
    parser.delete_first_token()
    return CachedUntilPublishNode(nodelist, parser.compile_filter(bits[1]))


class CachedUntilPublishNode(template.Node):
    def __init__(self, nodelist, name):
        self.nodelist = nodelist
        self.name = name

    def render(self, context):
        user = getattr(context.get("request"), "user", None)
        if user is None or user.is_authenticated:
            return self.nodelist.render(context)
        return page_cache.cached_fragment(self.name.resolve(context), lambda: self.nodelist.render(context))
