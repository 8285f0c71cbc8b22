"""Configuration: the shipped city loads; every problem of a bad file is named."""

from __future__ import annotations

from pathlib import Path

import pytest

from govbrief.cli.config_check import check_settings
from govbrief.config import DEFAULT_CONFIG, ConfigError, load_settings


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "city.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_demo_city_loads_with_nine_units(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GOVBRIEF_STATE_DIR", raising=False)
    settings = load_settings(DEFAULT_CONFIG)
    assert [u.code for u in settings.units] == [f"4399{i:02d}" for i in range(1, 10)]
    assert settings.unit("439902").name == "东湖县" and settings.unit("439902").short_name == "东湖"
    assert settings.warehouse_url == f"sqlite:///{settings.paths.state}/govbrief.db"
    assert settings.paths.drop == settings.paths.state / "drop"
    assert settings.mail.transport == "outbox"
    assert settings.thresholds.bands["hz_general_fix_rate"].yellow == 0.95


def test_environment_overrides_state_warehouse_and_transport(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOVBRIEF_STATE_DIR", str(tmp_path / "s"))
    monkeypatch.setenv("GOVBRIEF_WAREHOUSE_URL", "postgresql+psycopg://u:secret@db/gb")
    monkeypatch.setenv("GOVBRIEF_MAIL_TRANSPORT", "smtp")
    settings = load_settings(DEFAULT_CONFIG)
    assert settings.paths.state == tmp_path / "s"
    assert settings.paths.drop == tmp_path / "s" / "drop"
    assert settings.mail.outbox == tmp_path / "s" / "outbox"
    assert settings.warehouse_url.startswith("postgresql+psycopg://")
    assert settings.mail.transport == "smtp"


def test_smtp_credentials_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = load_settings(DEFAULT_CONFIG)
    monkeypatch.delenv("GOVBRIEF_SMTP_USER", raising=False)
    assert settings.mail.smtp.credentials() is None
    monkeypatch.setenv("GOVBRIEF_SMTP_USER", "duchashi")
    monkeypatch.setenv("GOVBRIEF_SMTP_PASSWORD", "s3cret")
    assert settings.mail.smtp.credentials() == ("duchashi", "s3cret")


def test_every_problem_is_named_at_once(tmp_path: Path) -> None:
    bad = DEFAULT_CONFIG.read_text(encoding="utf-8")
    bad = bad.replace('code = "439902"', 'code = "4399"').replace("port = 587", "port = 70000")
    bad = bad.replace('security = "starttls"', 'security = "tls13"')
    bad = bad.replace('email = "clerk.gaoxin@shifan.example.gov.cn"', 'email = "nobody"')
    with pytest.raises(ConfigError) as caught:
        load_settings(write(tmp_path, bad))
    text = "\n".join(caught.value.problems)
    assert "units.1.code" in text
    assert "mail.smtp.port" in text and "mail.smtp.security" in text
    assert "units.8.clerk.email" in text and "nobody" in text


def test_duplicate_units_and_unsupported_sources_are_refused(tmp_path: Path) -> None:
    text = DEFAULT_CONFIG.read_text(encoding="utf-8").replace('name = "东湖县"', 'name = "城关区"')
    with pytest.raises(ConfigError, match="城关区"):
        load_settings(write(tmp_path, text))


def test_missing_and_malformed_files_are_clear(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_settings(tmp_path / "absent.toml")
    with pytest.raises(ConfigError, match="TOML"):
        load_settings(write(tmp_path, "[city\nname = 1"))


NEW_UNIT = '\n[[units]]\ncode = "439910"\nname = "新区"\nclerk = { name = "x", email = "x@example.gov.cn" }\n'


def test_a_source_kind_without_an_adapter_is_refused_when_the_configuration_loads(tmp_path: Path) -> None:
    text = DEFAULT_CONFIG.read_text(encoding="utf-8") + NEW_UNIT
    text += 'source = { kind = "sql", path = "postgresql://county/db" }\n'
    with pytest.raises(ConfigError) as refused:
        load_settings(write(tmp_path, text))
    assert any("units" in p and "source" in p and "folder" in p for p in refused.value.problems)


def test_check_config_warns_of_missing_folders_and_targets(tmp_path: Path) -> None:
    text = DEFAULT_CONFIG.read_text(encoding="utf-8")
    text = text.replace('targets = "targets"', f'targets = "{tmp_path / "none"}"')
    text += NEW_UNIT + f'source = {{ path = "{tmp_path / "xinqu"}" }}\n'
    settings = load_settings(write(tmp_path, text))
    report = check_settings(settings, today=settings.today())
    assert report.problems == []
    assert any("439910" in w and "xinqu" in w for w in report.warnings)
    assert any("targets" in w or "目标表" in w for w in report.warnings)


def test_shipped_config_passes_check_config() -> None:
    settings = load_settings(DEFAULT_CONFIG)
    report = check_settings(settings, today=settings.today())
    assert report.problems == []


def test_the_run_lock_waits_and_leases_as_configured_unless_the_environment_says_otherwise(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tasks.common import lock_policy

    monkeypatch.delenv("GOVBRIEF_RUN_LOCK_WAIT_SECONDS", raising=False)
    monkeypatch.delenv("GOVBRIEF_RUN_LOCK_LEASE_SECONDS", raising=False)
    settings = load_settings(None)
    configured = settings.model_copy(
        update={"run": settings.run.model_copy(update={"lock_wait_seconds": 5, "lock_lease_seconds": 90})}
    )
    assert (lock_policy(settings).wait_s, lock_policy(settings).lease_s) == (60, 300)  # city.toml's [run]
    assert (lock_policy(configured).wait_s, lock_policy(configured).lease_s) == (5, 90)
    monkeypatch.setenv("GOVBRIEF_RUN_LOCK_WAIT_SECONDS", "0")
    assert (lock_policy(configured).wait_s, lock_policy(configured).lease_s) == (0, 90)
