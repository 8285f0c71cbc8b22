"""Build a brief's email: HTML with inline charts, a plain-text alternative, attachments.

Structure (what mail clients, phones included, display correctly):
multipart/mixed ( multipart/alternative ( text/plain,
multipart/related ( text/html, image/png… ) ), attachments… ); without
attachments the multipart/alternative is the top level.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from email import policy
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from types import MappingProxyType

from govbrief.model import Attachment

NO_HEADERS: Mapping[str, str] = MappingProxyType({})
FALLBACK_DOMAIN = "govbrief.local"


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
