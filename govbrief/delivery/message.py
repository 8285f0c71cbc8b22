"""The one mail builder: HTML with inline charts, a plain-text alternative, attachments.

Briefs build their message from the rendered brief; notices (退回重报, 【紧急】, ops) from a
pair of report templates, `<name>.html.j2` and `<name>.txt.j2`, and a plain-data context.

Structure (what mail clients, phones included, display correctly):
multipart/mixed ( multipart/alternative ( text/plain,
multipart/related ( text/html, image/png… ) ), attachments… ); without
attachments the multipart/alternative is the top level.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from email import policy
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from pathlib import Path
from types import MappingProxyType

from govbrief.model import Attachment
from govbrief.render.templates import template_environment

NO_HEADERS: Mapping[str, str] = MappingProxyType({})
FALLBACK_DOMAIN = "govbrief.local"
_BLANK_RUNS = re.compile(r"\n{3,}")


def build_message(
    *,
    subject: str,
    sender: str,
    to: Sequence[str],
    html: str,
    text: str,
    inline_images: Mapping[str, bytes],
    attachments: Sequence[Attachment] = (),
    message_id: str | None = None,
    headers: Mapping[str, str] = NO_HEADERS,
) -> EmailMessage:
    """The complete message, UTF-8 throughout; inline_images maps Content-ID → PNG bytes."""
    message = EmailMessage(policy=policy.SMTP)
    message["Subject"] = subject
    message["From"] = sender
    message["To"] = ", ".join(to)
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = _bracketed(message_id) if message_id else make_msgid(domain=_domain(sender))
    for name, value in headers.items():
        message[name] = value
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    _add_inline_images(message, inline_images)
    for attachment in attachments:
        maintype, subtype = attachment.mime_type
        message.add_attachment(attachment.content, maintype, subtype, filename=attachment.filename)
    return message


def _add_inline_images(message: EmailMessage, images: Mapping[str, bytes]) -> None:
    """Group the images with the HTML part; "inline" keeps them out of the attachment list."""
    html_part = next(part for part in message.iter_parts() if part.get_content_type() == "text/html")
    for cid, png in images.items():
        html_part.add_related(png, "image", "png", cid=_bracketed(cid), disposition="inline")


def _bracketed(identifier: str) -> str:
    return identifier if identifier.startswith("<") else f"<{identifier}>"


def _domain(sender: str) -> str:
    address = parseaddr(sender)[1]
    return address.rpartition("@")[2] or FALLBACK_DOMAIN


def templated_message(
    template: str,
    context: Mapping[str, object],
    *,
    sender: str,
    to: Sequence[str],
    message_id: str,
    headers: Mapping[str, str] = NO_HEADERS,
    templates_dir: Path | None = None,
) -> EmailMessage:
    """A notice mail from `<template>.html.j2` and `<template>.txt.j2`; the context holds its `subject`."""
    environment = template_environment(templates_dir)
    html = environment.get_template(f"{template}.html.j2").render(context)
    text = _BLANK_RUNS.sub("\n\n", environment.get_template(f"{template}.txt.j2").render(context)).strip() + "\n"
    return build_message(
        subject=str(context["subject"]),
        sender=sender,
        to=to,
        html=html,
        text=text,
        inline_images={},
        message_id=message_id,
        headers=headers,
    )
