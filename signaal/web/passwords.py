"""Password and token hashes of the users file: argon2id, with a pepper from the key store.

New hashes are argon2id (argon2-cffi, at OWASP's minimum cost: 19 MiB, 2 passes). With a key
``login-pepper`` in ``SIGNAAL_KEY_DIR`` the password is first keyed with it (HMAC-SHA256), and the
hash reads ``peppered$<key id>$<argon2id hash>``: a copied users file is then of no use without
the key directory. Older ``scrypt$…`` hashes still verify, so a users file can be moved over
user by user.
"""

from __future__ import annotations

import hashlib
import hmac

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from signaal.errors import ConfigError
from signaal.keystore import Key, KeyStore
from signaal.settings import Settings

__all__ = ["PEPPER_KEY", "hash_password", "pepper_of", "usable_hash", "verify_password"]

PEPPER_KEY = "login-pepper"
_HASHER = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)
_PEPPERED = "peppered$"


def _keyed(password: str, pepper: Key) -> str:
    return hmac.new(pepper.material, password.encode(), hashlib.sha256).hexdigest()


def hash_password(password: str, pepper: Key | None = None) -> str:
    """An argon2id hash of a password (or token) in the users-file format, peppered when a key is given."""
    if pepper is None:
        return _HASHER.hash(password)
    return f"{_PEPPERED}{pepper.key_id}${_HASHER.hash(_keyed(password, pepper))}"


def _argon2(password: str, stored: str) -> bool:
    try:
        return _HASHER.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def _scrypt(password: str, stored: str) -> bool:
    try:
        _, n, r, p, salt, digest = stored.split("$")
        computed = hashlib.scrypt(
            password.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=len(bytes.fromhex(digest))
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(computed.hex(), digest)


def verify_password(password: str, stored: str, keys: KeyStore | None = None) -> bool:
    """Whether a password matches a stored hash (argon2id, peppered argon2id or the older scrypt)."""
    if stored.startswith(_PEPPERED):
        key_id, _, phc = stored[len(_PEPPERED) :].partition("$")
        if keys is None:
            return False
        try:
            pepper = keys.get(PEPPER_KEY, key_id)
        except ConfigError:
            return False
        return _argon2(_keyed(password, pepper), phc)
    if stored.startswith("$argon2id$"):
        return _argon2(password, stored)
    if stored.startswith("scrypt$"):
        return _scrypt(password, stored)
    return False


def usable_hash(stored: str) -> bool:
    """Whether a users-file hash is in a format signaal verifies."""
    return stored.startswith((_PEPPERED, "$argon2id$", "scrypt$"))


def pepper_of(settings: Settings) -> tuple[KeyStore | None, Key | None]:
    """The key store of the settings and its active login pepper (None when there is none)."""
    if settings.key_dir is None:
        return None, None
    keys = KeyStore(settings.key_dir)
    if not keys.key_ids(PEPPER_KEY):
        return keys, None
    return keys, keys.active(PEPPER_KEY)
