"""Email end to end: the rendered brief built into a message, sent to a real SMTP
server (aiosmtpd) in plain, STARTTLS+AUTH and implicit-TLS modes, and written to the
outbox; every message parsed back as a mail client would."""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
import socket
import ssl
from collections.abc import Iterator
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from govbrief.config import MailSettings, SmtpSettings
from govbrief.delivery import (
    Attachment,
    DeliveryError,
    OutboxMailer,
    SmtpMailer,
    build_message,
    mailer_from_settings,
)
from govbrief.render import render_chart_png, render_html, render_text
from tests.fixtures.contexts import sample_ten_day_context

SENDER = "示范市督查室 <duchashi@shifan.example.gov.cn>"
RECIPIENT = "分管安全生产副市长 <vice.mayor.safety@shifan.example.gov.cn>"
SUBJECT = "示范市安全生产和政府债务化解旬简报（2026年11月中旬，第32期）"
PDF_NAME = "示范市安全生产和政府债务化解旬简报（第32期）.pdf"
PDF_BYTES = b"%PDF-1.7\n% not a real brief, only bytes to round-trip\n%%EOF\n"
USER_ENV, PASSWORD_ENV = "GOVBRIEF_TEST_SMTP_USER", "GOVBRIEF_TEST_SMTP_PASSWORD"
USER, PASSWORD = "duchashi", "s3cret-pw"
LOCALHOST = "127.0.0.1"
CJK_ENTITY = re.compile(r"&#(?:x[0-9a-fA-F]{4,5}|\d{5});")  # a Chinese character written as an entity


@pytest.fixture(scope="module")
def brief_parts() -> dict[str, Any]:
    context = sample_ten_day_context()
    return {
        "html": render_html(context),
        "text": render_text(context),
        "images": {chart["cid"]: render_chart_png(chart) for chart in context["charts"]},
    }


def brief_message(parts: dict[str, Any], *, with_pdf: bool = True, message_id: str | None = None) -> EmailMessage:
    return build_message(
        subject=SUBJECT,
        sender=SENDER,
        to=[RECIPIENT],
        html=parts["html"],
        text=parts["text"],
        inline_images=parts["images"],
        attachments=[Attachment(PDF_NAME, PDF_BYTES)] if with_pdf else (),
        message_id=message_id,
        headers={"X-Govbrief-Brief": "ten_day/2026-11-x2/v1"},
    )


def parse(raw: bytes) -> EmailMessage:
    parsed = BytesParser(policy=policy.default).parsebytes(raw)
    assert isinstance(parsed, EmailMessage)
    return parsed


def assert_brief_reads_back(parsed: EmailMessage, images: dict[str, bytes]) -> None:
    """What a recipient's mail client sees: subject, text and HTML alternatives, charts, the PDF."""
    assert parsed["Subject"] == SUBJECT
    assert parsed["From"].addresses[0].display_name == "示范市督查室"
    assert parsed.get_content_type() == "multipart/mixed"
    body, attachment = parsed.iter_parts()
    assert body.get_content_type() == "multipart/alternative"
    plain, related = body.iter_parts()
    assert plain.get_content_type() == "text/plain"
    assert "一、总体情况" in plain.get_content()
    assert "<script>alert(1)</script>" in plain.get_content()  # plain text: shown, not escaped
    assert related.get_content_type() == "multipart/related"
    html_part, *image_parts = related.iter_parts()
    html = html_part.get_content()
    assert html_part.get_content_type() == "text/html"
    assert "东湖县11月12日建筑施工较大事故" in html  # Chinese as text
    assert not CJK_ENTITY.search(html)
    assert "<script" not in html
    referenced = set(re.findall(r'src="cid:([^"]+)"', html))
    attached = {part["Content-ID"].strip("<>"): part for part in image_parts}
    assert referenced == set(attached) == set(images)
    for cid, part in attached.items():
        assert part.get_content_type() == "image/png"
        assert part.get_content_disposition() == "inline"
        assert part.get_content() == images[cid]
    assert attachment.get_content_disposition() == "attachment"
    assert attachment.get_filename() == PDF_NAME
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_content() == PDF_BYTES


# ---------------------------------------------------------------- an SMTP server


class Collector:
    """aiosmtpd handler that keeps every envelope it accepts."""

    def __init__(self) -> None:
        self.envelopes: list[Envelope] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Envelope) -> str:
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def accept_one_login(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        USER.encode(),
        PASSWORD.encode(),
    )
    return AuthResult(success=ok, handled=False)  # handled=False: the server answers 535 itself


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOCALHOST, 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1: (cert.pem, key.pem)."""
    folder = tmp_path_factory.mktemp("tls")
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, LOCALHOST)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(LOCALHOST))]), False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_file, key_file


@pytest.fixture
def server_tls(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*certificate)
    return context


@pytest.fixture
def client_tls(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    """Trusts exactly the test certificate, with hostname checking on."""
    return ssl.create_default_context(cafile=str(certificate[0]))


@pytest.fixture
def smtp_server() -> Iterator[Any]:
    """Starts a server with the given aiosmtpd options; returns (port, collector)."""
    started: list[Controller] = []

    def start(**options: Any) -> tuple[int, Collector]:
        collector, port = Collector(), free_port()
        # server_hostname: skips aiosmtpd's getfqdn(), a DNS lookup that can stall
        controller = Controller(collector, hostname=LOCALHOST, port=port, server_hostname="localhost", **options)
        controller.start()
        started.append(controller)
        return port, collector

    yield start
    for controller in started:
        controller.stop()


@pytest.fixture
def credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(USER_ENV, USER)
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)


def settings(port: int, security: str, **extra: Any) -> SmtpSettings:
    return SmtpSettings(host=LOCALHOST, port=port, security=security, timeout_seconds=10, **extra)  # type: ignore[arg-type]


def login_settings(port: int, security: str) -> SmtpSettings:
    return settings(port, security, username_env=USER_ENV, password_env=PASSWORD_ENV)


# ---------------------------------------------------------------- SMTP


def test_plain_smtp_delivers_the_brief(smtp_server: Any, brief_parts: dict[str, Any]) -> None:
    port, collector = smtp_server()
    SmtpMailer(settings(port, "none")).send(brief_message(brief_parts))
    (envelope,) = collector.envelopes
    assert envelope.mail_from == "duchashi@shifan.example.gov.cn"
    assert envelope.rcpt_tos == ["vice.mayor.safety@shifan.example.gov.cn"]
    assert_brief_reads_back(parse(envelope.original_content or b""), brief_parts["images"])


def test_starttls_with_login_from_the_environment(
    smtp_server: Any,
    server_tls: ssl.SSLContext,
    client_tls: ssl.SSLContext,
    credentials: None,
    brief_parts: dict[str, Any],
) -> None:
    port, collector = smtp_server(
        tls_context=server_tls, require_starttls=True, authenticator=accept_one_login, auth_required=True
    )
    SmtpMailer(login_settings(port, "starttls"), ssl_context=client_tls).send(brief_message(brief_parts))
    (envelope,) = collector.envelopes
    assert_brief_reads_back(parse(envelope.original_content or b""), brief_parts["images"])
    assert parse(envelope.original_content or b"")["X-Govbrief-Brief"] == "ten_day/2026-11-x2/v1"


def test_wrong_password_is_a_delivery_error(
    smtp_server: Any,
    server_tls: ssl.SSLContext,
    client_tls: ssl.SSLContext,
    credentials: None,
    monkeypatch: pytest.MonkeyPatch,
    brief_parts: dict[str, Any],
) -> None:
    port, collector = smtp_server(
        tls_context=server_tls, require_starttls=True, authenticator=accept_one_login, auth_required=True
    )
    monkeypatch.setenv(PASSWORD_ENV, "wrong")
    with pytest.raises(DeliveryError, match=f"127.0.0.1:{port}"):
        SmtpMailer(login_settings(port, "starttls"), ssl_context=client_tls).send(brief_message(brief_parts))
    assert collector.envelopes == []


def test_starttls_refuses_an_untrusted_certificate(
    smtp_server: Any, server_tls: ssl.SSLContext, brief_parts: dict[str, Any]
) -> None:
    port, collector = smtp_server(tls_context=server_tls, require_starttls=True)
    with pytest.raises(DeliveryError) as failed:
        SmtpMailer(settings(port, "starttls")).send(brief_message(brief_parts))  # system trust store only
    assert isinstance(failed.value.__cause__, ssl.SSLCertVerificationError)
    assert collector.envelopes == []


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
def test_implicit_tls(
    smtp_server: Any,
    server_tls: ssl.SSLContext,
    client_tls: ssl.SSLContext,
    credentials: None,
    brief_parts: dict[str, Any],
) -> None:
    # aiosmtpd only counts STARTTLS as TLS for AUTH; this connection is TLS from the first byte.
    port, collector = smtp_server(
        ssl_context=server_tls, authenticator=accept_one_login, auth_required=True, auth_require_tls=False
    )
    SmtpMailer(login_settings(port, "ssl"), ssl_context=client_tls).send(brief_message(brief_parts))
    (envelope,) = collector.envelopes
    assert_brief_reads_back(parse(envelope.original_content or b""), brief_parts["images"])


def test_unreachable_server_is_a_delivery_error(brief_parts: dict[str, Any]) -> None:
    with pytest.raises(DeliveryError, match="邮件发送失败"):
        SmtpMailer(settings(free_port(), "none")).send(brief_message(brief_parts))


# ---------------------------------------------------------------- outbox and the message itself


def test_outbox_writes_a_parseable_eml_once_per_message_id(tmp_path: Path, brief_parts: dict[str, Any]) -> None:
    outbox = OutboxMailer(tmp_path / "outbox")
    message_id = "<gb.ten_day.2026-11-x2.v1.ab12@shifan.example.gov.cn>"
    outbox.send(brief_message(brief_parts, message_id=message_id))
    outbox.send(brief_message(brief_parts, message_id=message_id))  # a rerun after a crash
    files = list((tmp_path / "outbox").iterdir())
    assert [f.name for f in files] == ["gb.ten_day.2026-11-x2.v1.ab12@shifan.example.gov.cn.eml"]
    parsed = parse(files[0].read_bytes())
    assert parsed["Message-ID"] == message_id
    assert_brief_reads_back(parsed, brief_parts["images"])


def test_outbox_file_names_cannot_escape_the_folder(tmp_path: Path, brief_parts: dict[str, Any]) -> None:
    OutboxMailer(tmp_path / "outbox").send(brief_message(brief_parts, message_id="<../../etc/passwd@x>"))
    (written,) = (tmp_path / "outbox").iterdir()
    assert written.parent == tmp_path / "outbox"
    assert "/" not in written.name and written.name.endswith(".eml")


def test_each_message_id_gets_its_own_file(tmp_path: Path, brief_parts: dict[str, Any]) -> None:
    outbox = OutboxMailer(tmp_path)
    first, second = brief_message(brief_parts), brief_message(brief_parts)
    outbox.send(first)
    outbox.send(second)
    assert first["Message-ID"] != second["Message-ID"]
    assert first["Message-ID"].endswith("@shifan.example.gov.cn>")
    assert len(list(tmp_path.glob("*.eml"))) == 2
    assert not [p for p in tmp_path.iterdir() if p.suffix != ".eml"]


def test_without_attachments_the_alternative_is_the_top_level(brief_parts: dict[str, Any]) -> None:
    parsed = parse(brief_message(brief_parts, with_pdf=False, message_id="plain@x").as_bytes())
    assert parsed.get_content_type() == "multipart/alternative"
    assert parsed["Message-ID"] == "<plain@x>"
    assert [p.get_content_type() for p in parsed.iter_parts()] == ["text/plain", "multipart/related"]


def test_mailer_follows_the_configured_transport(tmp_path: Path) -> None:
    outbox = MailSettings(transport="outbox", sender=SENDER, outbox=tmp_path)
    server = SmtpSettings(host="mail.example")
    smtp = MailSettings(transport="smtp", sender=SENDER, outbox=tmp_path, smtp=server)
    chosen_outbox, chosen_smtp = mailer_from_settings(outbox), mailer_from_settings(smtp)
    assert isinstance(chosen_outbox, OutboxMailer) and chosen_outbox.folder == tmp_path
    assert isinstance(chosen_smtp, SmtpMailer) and chosen_smtp.settings.host == "mail.example"
    assert (chosen_outbox.transport, chosen_smtp.transport) == ("outbox", "smtp")
