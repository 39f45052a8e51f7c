"""The HTML part of a reminder, made from the same template as its text part.

The template's text and every value are HTML-escaped; a value whose placeholder names a
URL (`$tracking_url`, any `$..._url`) and the https/http addresses written in the
template become links. Blank lines separate paragraphs, as in the text part. No images,
no styles from elsewhere: nothing the mail client would fetch when the message opens.
"""

from __future__ import annotations

import re
from html import escape
from string import Template

from shiptui.services.mail.template import ReminderFacts, ReminderTemplate, body_in_use

# A web address in text: up to a space or a quote, less trailing punctuation.
_URL = re.compile(r"https?://[^\s<>\"']*[^\s<>\"'.,;:!?)\]]")
_LINK = '<a href="{href}">{text}</a>'


def _link(url: str) -> str:
    return _LINK.format(href=escape(url, quote=True), text=escape(url))


def _fill(template: str, values: dict[str, str]) -> str:
    """`template` filled like string.Template, escaped, with its web addresses as links.

    An address is a link where the template writes it (it may end in a value, e.g.
    ?order=$order_id) or where a `_url` value is one; one inside another value (a member
    who calls himself https://...) stays text.
    """
    text, link_starts, literal_spans = "", set(), []
    last = 0
    for match in Template.pattern.finditer(template):
        literal_spans.append((len(text), len(text) + match.start() - last))
        text += template[last:match.start()]
        name = match.group("named") or match.group("braced")
        if match.group("escaped") is not None:
            text += "$"
        else:
            if name.endswith("_url"):
                link_starts.add(len(text))
            text += values[name]
        last = match.end()
    literal_spans.append((len(text), len(text) + len(template) - last))
    text += template[last:]
    out, done = [], 0
    for match in _URL.finditer(text):
        start = match.start()
        if start in link_starts or any(begin <= start < end for begin, end in literal_spans):
            out += [escape(text[done:start]), _link(match.group())]
            done = match.end()
    return "".join(out) + escape(text[done:])


def render_html(template: ReminderTemplate, facts: ReminderFacts, subject: str) -> str:
    """The whole HTML document of one reminder; `subject` is its rendered subject."""
    values = facts.values()
    body = _fill(body_in_use(template.body, values), values)
    paragraphs = [part.strip("\n") for part in re.split(r"\n\s*\n", body) if part.strip()]
    html_body = "\n".join(f"<p>{part.replace(chr(10), '<br>' + chr(10))}</p>" for part in paragraphs)
    return (
        "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>{escape(subject)}</title>\n</head>\n<body>\n{html_body}\n</body>\n</html>\n"
    )
