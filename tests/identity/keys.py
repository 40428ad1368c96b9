"""Signing keys on disk, as the test provider reads them: `<kid>.pem`, a PKCS8 PEM each.

The provider reads the folder on every request, so a test rotates keys by
writing and removing files. A file is written whole (a rename), never seen half.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from jwt.algorithms import ECAlgorithm, OKPAlgorithm, RSAAlgorithm

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey
Algorithm = Literal["RS256", "ES256", "EdDSA"]
ALGORITHMS: tuple[Algorithm, ...] = ("RS256", "ES256", "EdDSA")
SUFFIX = ".pem"


@dataclass(frozen=True)
class SigningKey:
    """A private key, its `kid` (the file's stem) and the one algorithm it signs with."""

    kid: str
    key: PrivateKey

    @property
    def algorithm(self) -> Algorithm:
        return algorithm_of(self.key)

    def public_pem(self) -> bytes:
        return self.key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )

    def public_jwk(self) -> dict[str, Any]:
        """The public half as a JWK, with `kid`, `alg` and `use: sig`."""
        public = self.key.public_key()
        jwk: dict[str, Any]
        if isinstance(public, rsa.RSAPublicKey):
            jwk = RSAAlgorithm.to_jwk(public, as_dict=True)
        elif isinstance(public, ec.EllipticCurvePublicKey):
            jwk = ECAlgorithm.to_jwk(public, as_dict=True)
        else:
            jwk = OKPAlgorithm.to_jwk(public, as_dict=True)
        jwk.pop("key_ops", None)  # `use` says it; RFC 7517 asks for one or the other
        return {**jwk, "kid": self.kid, "alg": self.algorithm, "use": "sig"}


def algorithm_of(key: PrivateKey) -> Algorithm:
    """RSA signs RS256, EC P-256 ES256, Ed25519 EdDSA: one algorithm per key type."""
    if isinstance(key, rsa.RSAPrivateKey):
        return "RS256"
    if isinstance(key, ec.EllipticCurvePrivateKey):
        if not isinstance(key.curve, ec.SECP256R1):
            raise ValueError(f"only P-256 EC keys are published, not {key.curve.name}")
        return "ES256"
    return "EdDSA"


def generate(algorithm: Algorithm) -> PrivateKey:
    """A fresh key for `algorithm`: RSA 2048, EC P-256 or Ed25519."""
    if algorithm == "RS256":
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    if algorithm == "ES256":
        return ec.generate_private_key(ec.SECP256R1())
    return ed25519.Ed25519PrivateKey.generate()


def write_key(directory: Path, signing_key: SigningKey) -> Path:
    """Write `<kid>.pem` (unencrypted PKCS8), atomically."""
    pem = signing_key.key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path = directory / f"{signing_key.kid}{SUFFIX}"
    partial = directory / f".{signing_key.kid}.partial"
    partial.write_bytes(pem)
    os.replace(partial, path)
    return path


def read_keys(directory: Path) -> list[SigningKey]:
    """Every `<kid>.pem` in `directory`, oldest first (by mtime, then name).

    A file removed while the folder is read is left out, as it would be a moment later.
    """
    found: list[tuple[int, str, SigningKey]] = []
    for path in directory.glob(f"*{SUFFIX}"):
        try:
            modified, pem = path.stat().st_mtime_ns, path.read_bytes()
        except FileNotFoundError:
            continue
        found.append((modified, path.name, SigningKey(kid=path.stem, key=_private_key(pem))))
    return [signing_key for _, _, signing_key in sorted(found, key=lambda item: item[:2])]


def _private_key(pem: bytes) -> PrivateKey:
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(
        key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey
    ):
        raise ValueError(f"not an RSA, EC or Ed25519 private key: {type(key).__name__}")
    return key


def newest_key(directory: Path) -> SigningKey:
    """The key the provider signs with: the newest file."""
    keys = read_keys(directory)
    if not keys:
        raise LookupError(f"no {SUFFIX} key files in {directory}")
    return keys[-1]
