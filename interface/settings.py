"""All configuration, read from BOOKING_* environment variables."""

from __future__ import annotations

import ipaddress
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from application.pet_cache import DEFAULT_PET_CACHE_SIZE

DEFAULT_DATABASE_URL = "sqlite:///./booking.sqlite3"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BOOKING_", extra="ignore")

    database_url: str = DEFAULT_DATABASE_URL
    jwt_secret: SecretStr | None = None
    # Tokens must expire, and not too far ahead: a leaked token is useful for a day at most.
    jwt_max_ttl_seconds: int = Field(default=24 * 3600, ge=60)
    # Checked when set (`iss` / `aud` claims); `booking token` then puts them in its tokens.
    jwt_issuer: str | None = None
    jwt_audience: str | None = None
    # The library's defaults wait forever on a table lock and retry pool waits
    # ten times; a few seconds each keeps a stuck database from stalling clients.
    pool_size: int = Field(default=5, ge=1)
    pool_max_overflow: int = Field(default=5, ge=0)
    pool_timeout_seconds: int = Field(default=3, ge=1)
    lock_timeout_seconds: int = Field(default=3, ge=1)
    # A round trip per checkout; rarely worth it, since a failed connection
    # already makes the pool sweep out every dead one (infrastructure/postgres/datastore.py).
    pool_pre_ping: bool = False
    # Recently used pets each process keeps to decide on without reading their stream (0: none).
    # About 2 KB per pet of a few requests: 10,000 pets cost a process some 20 MB.
    pet_cache_size: int = Field(default=DEFAULT_PET_CACHE_SIZE, ge=0)
    log_level: str = "info"
    log_format: Literal["json", "text"] = "json"
    # Abuse limits (OWASP API4/API6): request bodies, and booking commands per owner.
    max_body_bytes: int = Field(default=64 * 1024, ge=1024)
    # All request headers together, and the bearer token alone, refused before any parsing.
    max_header_bytes: int = Field(default=16 * 1024, ge=1024)
    max_token_bytes: int = Field(default=8 * 1024, ge=256)
    # Readers waiting for their own write (min_position) hold no thread, and only this many wait.
    max_waiting_readers: int = Field(default=100, ge=1)
    # Dates an owner may prefer and staff may schedule: from today up to this many days ahead.
    horizon_days: int = Field(default=730, ge=1, le=3650)
    rate_limit_per_minute: int = Field(default=60, ge=0)  # 0 turns the limit off
    rate_limit_burst: int = Field(default=20, ge=1)
    # "inprocess": every API process runs a projection worker (one is elected);
    # "external": the API only reads, and `booking project` runs the worker.
    projection: Literal["inprocess", "external"] = "inprocess"
    projection_batch_size: int = Field(default=2000, ge=1, le=10_000)
    projection_poll_seconds: float = Field(default=0.5, gt=0, le=60)
    # The clinic's identity provider (README "Signing in"): its tokens are verified with
    # its published keys, found by discovery from the issuer or at a JWKS URL.
    oidc_issuer: str | None = None
    jwks_url: str | None = None
    oidc_audience: str = "authenticated"  # Supabase's; Keycloak: the client id
    oidc_client_id: str | None = None  # the console's sign-in through the provider
    oidc_client_secret: SecretStr | None = None
    claim_sub: str = "sub"
    claim_role: str = "app_metadata.role"
    claim_clinic: str = "app_metadata.clinic_id"
    role_map: dict[str, Literal["owner", "staff", "auditor"]] = Field(default_factory=dict)
    # Tokens signed with the shared secret (`booking token`); off once a provider signs them all.
    jwt_hs256: bool = True
    # At most one key-set refresh this often for tokens naming an unknown key.
    jwks_refresh_seconds: float = Field(default=30.0, ge=1)
    # Keys are fetched again this often anyway: a key the provider withdrew stops being trusted.
    jwks_max_age_seconds: float = Field(default=3600.0, ge=60)
    # The console: a session lasts a working day; a sign-in link minutes, and works once.
    session_ttl_seconds: int = Field(default=8 * 3600, ge=60)
    login_link_ttl_seconds: int = Field(default=600, ge=30, le=3600)
    # Where `booking login-link` points, and the time zone staff schedule in.
    public_url: str = "http://127.0.0.1:8000"
    console_time_zone: str = "Europe/Madrid"

    @field_validator("oidc_issuer", "jwks_url")
    @classmethod
    def _https_unless_loopback(cls, url: str | None) -> str | None:
        # Keys fetched over plain HTTP could be swapped on the way: only this machine may.
        if url is not None:
            check_provider_url(url)
        return url


def check_provider_url(url: str) -> None:
    """An identity provider's URL: https, or http on a loopback address (tests, a local IdP)."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return
    if parts.scheme == "http" and _loopback(parts.hostname or ""):
        return
    raise ValueError(f"{url!r} must be https (http only on 127.0.0.1, ::1 or localhost)")


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
