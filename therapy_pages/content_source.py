"""
Reads the clinic's copy from the structure-marked text files in therapy_pages/content/.

The format is the one the client's copy came in:

    +++ ... +++        page settings (TOML): reverse_id, slug, template, titles, review dates
    # Title            the page title
    ## Heading         a section; "Frequently Asked Questions" holds FAQ entries
    ### Title          a titled point (or, in the FAQ section, a question), its text below it
    > kind: a | b      a block that is not text: image, call-to-action, faq-index, enquiry-form
    - item             a bulleted list
    [text](url)        a link

Everything else is paragraphs, kept word for word.
"""

import hashlib
import html
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

CONTENT_DIR = Path(__file__).resolve().parent / "content"
FAQ_SECTION_HEADINGS = {"frequently asked questions"}

_FRONT_MATTER = re.compile(r"\A\+\+\+\n(.*?)\n\+\+\+\n", re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")


@dataclass
class Text:
    paragraphs: list = field(default_factory=list)

    @property
    def html(self):
        return "".join(_paragraph_html(lines) for lines in self.paragraphs)


@dataclass
class TitledItem:
    title: str
    text: Text = field(default_factory=Text)


@dataclass
class TitledItems:
    """Titled points, or questions and answers when `is_faq`."""

    is_faq: bool
    items: list = field(default_factory=list)


@dataclass
class Marker:
    kind: str
    arguments: list


@dataclass
class Section:
    heading: str
    blocks: list = field(default_factory=list)

    @property
    def is_faq(self):
        return self.heading.lower() in FAQ_SECTION_HEADINGS


@dataclass
class PageSource:
    settings: dict
    digest: str = ""
    title: str = ""
    intro: list = field(default_factory=list)
    sections: list = field(default_factory=list)

    def markers(self, kind):
        blocks = [*self.intro, *(block for section in self.sections for block in section.blocks)]
        return [block for block in blocks if isinstance(block, Marker) and block.kind == kind]


def _inline_html(text):
    return _LINK.sub(r'<a href="\2">\1</a>', html.escape(text, quote=True))


def _paragraph_html(lines):
    if all(line.startswith("- ") for line in lines):
        items = "".join(f"<li>{_inline_html(line[2:])}</li>" for line in lines)
        return f"<ul>{items}</ul>"
    return f"<p>{_inline_html(' '.join(lines))}</p>"


def parse_page(text):
    """The page a structure-marked text describes."""
    front_matter = _FRONT_MATTER.match(text)
    settings = tomllib.loads(front_matter.group(1)) if front_matter else {}
    body = _COMMENT.sub("", text[front_matter.end() :] if front_matter else text)
    digest = hashlib.sha256(text.encode()).hexdigest()
    return _PageReader(PageSource(settings, digest)).read(body)


def load_page(name, content_dir=None):
    return parse_page(((content_dir or CONTENT_DIR) / name).read_text(encoding="utf-8"))


class _PageReader:
    def __init__(self, page):
        self.page = page
        self.blocks = page.intro
        self.section = None
        self.item = None
        self.paragraph = []

    def read(self, body):
        for line in body.splitlines():
            self.read_line(line.strip())
        self.end_paragraph()
        return self.page

    def read_line(self, line):
        if not line:
            self.end_paragraph()
        elif line.startswith("### "):
            self.start_item(line[4:])
        elif line.startswith("## "):
            self.start_section(line[3:])
        elif line.startswith("# "):
            self.end_block()
            self.page.title = line[2:]
        elif line.startswith("> "):
            self.end_block()
            kind, _, arguments = line[2:].partition(":")
            self.blocks.append(
                Marker(kind.strip(), [part.strip() for part in arguments.split("|") if part.strip()])
            )
        else:
            self.paragraph.append(line)

    def end_paragraph(self):
        if not self.paragraph:
            return
        if self.item:
            self.item.text.paragraphs.append(self.paragraph)
        else:
            if not (self.blocks and isinstance(self.blocks[-1], Text)):
                self.blocks.append(Text())
            self.blocks[-1].paragraphs.append(self.paragraph)
        self.paragraph = []

    def end_block(self):
        self.end_paragraph()
        self.item = None

    def start_section(self, heading):
        self.end_block()
        self.section = Section(heading)
        self.page.sections.append(self.section)
        self.blocks = self.section.blocks

    def start_item(self, title):
        self.end_block()
        is_faq = bool(self.section and self.section.is_faq)
        if not (self.blocks and isinstance(self.blocks[-1], TitledItems)):
            self.blocks.append(TitledItems(is_faq))
        self.item = TitledItem(title)
        self.blocks[-1].items.append(self.item)
