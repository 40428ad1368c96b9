"""A minimal HTTP/1.1 keep-alive client on asyncio streams, for the same-pet bursts.

httpx's async pool spends about half a second of client time on 64 concurrent
requests here (64 GET /healthz: ~540 ms with httpx, ~20 ms raw), which would
swamp what the burst measures; this sends pre-built bytes and reads
`Content-Length` bodies, nothing more.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer
        self.broken = False  # Not to be reused: it timed out or failed mid-answer.

    async def send(self, request: bytes) -> Answer:
        self.writer.write(request)
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        length = next(
            (
                int(v)
                for k, _, v in (ln.partition(":") for ln in lines[1:])
                if k.strip().lower() == "content-length"
            ),
            None,
        )
        if length is None:
            msg = f"an answer without Content-Length: {lines[0]}"
            raise ValueError(msg)
        return Answer(status=status, body=await self.reader.readexactly(length))

    async def close(self) -> None:
        self.writer.close()
        with contextlib.suppress(OSError):
            await self.writer.wait_closed()


async def connect(base_url: str, count: int) -> list[Connection]:
    parts = urlsplit(base_url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    opened = [await asyncio.open_connection(host, port) for _ in range(count)]
    return [Connection(reader, writer) for reader, writer in opened]


async def replace_broken(base_url: str, connections: list[Connection]) -> list[Connection]:
    """The same connections, with fresh ones instead of any marked broken."""
    fresh = []
    for connection in connections:
        if connection.broken:
            await connection.close()
            connection = (await connect(base_url, 1))[0]
        fresh.append(connection)
    return fresh


def post_json(base_url: str, path: str, headers: dict[str, str], body: dict[str, Any]) -> bytes:
    """The bytes of one POST with a JSON body, to send as they are on any connection."""
    payload = json.dumps(body).encode()
    host = urlsplit(base_url).netloc
    lines = [
        f"POST {path} HTTP/1.1",
        f"Host: {host}",
        "Content-Type: application/json",
        f"Content-Length: {len(payload)}",
        *(f"{name}: {value}" for name, value in headers.items()),
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + payload
