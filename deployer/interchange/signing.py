"""Ed25519 keys for planners and commanders, and signatures over canonical bytes.

A key file holds the private key encrypted with the owner's passphrase (PKCS#8, the best
encryption ``cryptography`` offers) and is created readable by its owner only; the ``.pub`` file
beside it holds what others register: name, role, public key and fingerprint.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from deployer.domain.approval import Role

KEY_FORMAT = "deployer-signing-key"
PUBLIC_FORMAT = "deployer-public-key"
MAX_KEY_BYTES = 16 * 1024


class KeyFileError(Exception):
    """A key file that cannot be used, with the reason."""


@dataclass(frozen=True)
class PublicKey:
    name: str
    role: Role
    public_key: str
    """Raw 32-byte Ed25519 public key, base64."""
    fingerprint: str


@dataclass(frozen=True)
class SigningKey:
    public: PublicKey
    private: Ed25519PrivateKey

    def sign(self, payload: bytes) -> str:
        return base64.b64encode(self.private.sign(payload)).decode()


def fingerprint(raw_public: bytes) -> str:
    return hashlib.sha256(raw_public).hexdigest()


def new_key(name: str, role: Role, passphrase: str, out: Path) -> PublicKey:
    """Create a key pair: ``out`` (private, encrypted, mode 600) and ``out``.pub (public)."""
    if len(passphrase) < 8:
        raise KeyFileError("the passphrase must be at least 8 characters")
    private = Ed25519PrivateKey.generate()
    raw = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    public = PublicKey(name, role, base64.b64encode(raw).decode(), fingerprint(raw))
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(passphrase.encode()),
    )
    document = {**_public_fields(public), "format": KEY_FORMAT, "private_key": pem.decode()}
    descriptor = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump(document, handle, indent=1)
    public_path(out).write_text(json.dumps({**_public_fields(public), "format": PUBLIC_FORMAT}, indent=1))
    return public


def public_path(key_file: Path) -> Path:
    return key_file.with_name(key_file.name + ".pub")


def _public_fields(public: PublicKey) -> dict[str, str]:
    return {"name": public.name, "role": public.role.value, "public_key": public.public_key,
            "fingerprint": public.fingerprint}  # fmt: skip


def _read_json(path: Path, expected: str) -> dict[str, str]:
    try:
        if not path.is_file():  # a device or pipe could be read forever
            raise KeyFileError(f"{path.name} is not a file")
        if path.stat().st_size > MAX_KEY_BYTES:
            raise KeyFileError(f"{path.name} is too large to be a key file")
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        raise KeyFileError(f"{path.name} cannot be read as a key file: {error}") from None
    if not isinstance(data, dict) or data.get("format") != expected:
        raise KeyFileError(f"{path.name} is not a {expected.replace('-', ' ')} file")
    return data


def _public(data: dict[str, str], name: str) -> PublicKey:
    try:
        raw = base64.b64decode(data["public_key"], validate=True)
        Ed25519PublicKey.from_public_bytes(raw)
        public = PublicKey(data["name"], Role(data["role"]), data["public_key"], data["fingerprint"])
    except (KeyError, ValueError) as error:
        raise KeyFileError(f"{name} holds no valid public key ({error})") from None
    if public.fingerprint != fingerprint(raw):
        raise KeyFileError(f"{name}: the fingerprint does not match the public key")
    return public


def read_public(path: Path) -> PublicKey:
    """The public key of a ``.pub`` file (or of a private key file)."""
    data = _read_json(path, PUBLIC_FORMAT if path.suffix == ".pub" else KEY_FORMAT)
    return _public(data, path.name)


def load_key(path: Path, passphrase: str) -> SigningKey:
    """The signing key in ``path``, unlocked with ``passphrase``."""
    data = _read_json(path, KEY_FORMAT)
    public = _public(data, path.name)
    try:
        private = serialization.load_pem_private_key(data["private_key"].encode(), passphrase.encode())
    except (KeyError, ValueError, TypeError):
        raise KeyFileError(f"{path.name}: wrong passphrase or damaged key") from None
    if not isinstance(private, Ed25519PrivateKey):
        raise KeyFileError(f"{path.name} does not hold an Ed25519 key")
    raw = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    if fingerprint(raw) != public.fingerprint:
        raise KeyFileError(f"{path.name}: the private key does not match its public key")
    return SigningKey(public, private)


def verify(public_key: str, payload: bytes, signature: str) -> bool:
    """True when ``signature`` (base64) is ``public_key``'s signature of ``payload``."""
    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key, validate=True))
        key.verify(base64.b64decode(signature, validate=True), payload)
    except (InvalidSignature, ValueError):
        return False
    return True
