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

from shiptui.services.mail.template import ReminderFacts, ReminderTemplate

_URL = re.compile(r"https?://[^\s<>\"']+[^\s<>\"'.,;:!?)\]]")
_LINK = '<a href="{href}">{text}</a>'


def _link(url: str) -> str:
    return _LINK.format(href=escape(url, quote=True), text=escape(url))


def _linked(text: str) -> str:
    """Escaped text of the template, with the web addresses in it as links."""
    out, last = [], 0
    for match in _URL.finditer(text):
        out += [escape(text[last:match.start()]), _link(match.group())]
        last = match.end()
    return "".join(out) + escape(text[last:])


def _value(name: str, value: str) -> str:
    return _link(value) if name.endswith("_url") and _URL.fullmatch(value) else escape(value)


def _fill(template: str, values: dict[str, str]) -> str:
    """`template` filled like string.Template, each piece escaped on its own."""
    out, last = [], 0
    for match in Template.pattern.finditer(template):
        out.append(_linked(template[last:match.start()]))
        name = match.group("named") or match.group("braced")
        out.append("$" if match.group("escaped") is not None else _value(name, values[name]))
        last = match.end()
    out.append(_linked(template[last:]))
    return "".join(out)


def render_html(template: ReminderTemplate, facts: ReminderFacts, subject: str) -> str:
    """The whole HTML document of one reminder; `subject` is its rendered subject."""
    body = _fill(template.body, facts.values())
    paragraphs = [part.strip("\n") for part in re.split(r"\n\s*\n", body) if part.strip()]
    html_body = "\n".join(f"<p>{part.replace(chr(10), '<br>' + chr(10))}</p>" for part in paragraphs)
    return (
        "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>{escape(subject)}</title>\n</head>\n<body>\n{html_body}\n</body>\n</html>\n"
    )
