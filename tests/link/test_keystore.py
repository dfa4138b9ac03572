"""The key store: named keys from owner-only files, with rotation, and clear refusals."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from signaal.cli import main
from signaal.errors import ConfigError
from signaal.keystore import KeyStore


def private_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "keys"
    directory.mkdir(mode=0o700)
    return directory


def test_new_key_is_owner_only_and_active(tmp_path: Path) -> None:
    store = KeyStore(private_dir(tmp_path))
    key = store.new("pseudonym")
    path = tmp_path / "keys" / "pseudonym.k1.key"
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert store.active("pseudonym") == key
    assert len(key.material) == 32
    assert key.material.hex() not in repr(key)


def test_rotation_keeps_old_versions_readable(tmp_path: Path) -> None:
    store = KeyStore(private_dir(tmp_path))
    first = store.new("pseudonym")
    second = store.new("pseudonym")
    assert store.key_ids("pseudonym") == ["k1", "k2"]
    assert store.active("pseudonym") == second
    assert store.get("pseudonym", "k1") == first
    store.new("pseudonym", "k3", activate=False)
    assert store.active_id("pseudonym") == "k2"


def test_missing_directory_or_key_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="SIGNAAL_KEY_DIR"):
        KeyStore(None).active("pseudonym")
    with pytest.raises(ConfigError, match="does not exist"):
        KeyStore(tmp_path / "nowhere").active("pseudonym")
    with pytest.raises(ConfigError, match="signaal keys new pseudonym"):
        KeyStore(private_dir(tmp_path)).active("pseudonym")


def test_loose_permissions_short_or_garbled_keys_are_refused(tmp_path: Path) -> None:
    directory = private_dir(tmp_path)
    store = KeyStore(directory)
    store.new("pseudonym")
    path = directory / "pseudonym.k1.key"
    os.chmod(path, 0o644)
    with pytest.raises(ConfigError, match="chmod 600"):
        store.active("pseudonym")
    os.chmod(path, 0o600)
    path.write_text("abcd\n")
    with pytest.raises(ConfigError, match="at least 32"):
        store.active("pseudonym")
    path.write_text("not a key at all!!\n")
    with pytest.raises(ConfigError, match="neither hex nor base64"):
        store.active("pseudonym")
    os.chmod(directory, 0o777)
    with pytest.raises(ConfigError, match="chmod 700"):
        store.active("pseudonym")


def test_ambiguous_versions_without_active_marker(tmp_path: Path) -> None:
    directory = private_dir(tmp_path)
    store = KeyStore(directory)
    store.new("enc")
    store.new("enc")
    (directory / "enc.active").unlink()
    with pytest.raises(ConfigError, match=r"enc\.active"):
        store.active("enc")
    (directory / "enc.active").write_text("k9\n")
    with pytest.raises(ConfigError, match="k9"):
        store.active("enc")


def test_cli_new_and_list(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("SIGNAAL_KEY_DIR", str(tmp_path / "k"))
    assert main(["keys", "new", "pseudonym"]) == 0
    assert main(["keys", "list"]) == 0
    out = capsys.readouterr().out
    assert "pseudonym.k1  (in use)" in out
    material = (tmp_path / "k" / "pseudonym.k1.key").read_text().strip()
    assert material not in out
    monkeypatch.delenv("SIGNAAL_KEY_DIR")
    assert main(["keys", "list"]) == 8
