"""A small SMTP server on a loopback port, for delivery tests: Django's SMTP backend talks
to it over a real socket. It stores what it accepts and answers what a test tells it to
(a 4xx or 5xx reply to RCPT, or no reply at all, as a server that hangs)."""

from __future__ import annotations

import socketserver
import threading
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import Message


@dataclass
class Behaviour:
    rcpt_reply: bytes = b"250 2.1.5 OK"
    hang_at_rcpt: bool = False
    hanging: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)


class _Handler(socketserver.StreamRequestHandler):
    server: SmtpServer  # type: ignore[assignment]

    def reply(self, line: bytes) -> None:
        self.wfile.write(line + b"\r\n")
        self.wfile.flush()

    def handle(self) -> None:
        self.reply(b"220 test.local ESMTP")
        while line := self.rfile.readline():
            verb = line[:4].upper()
            if verb == b"EHLO":
                self.reply(b"250 test.local")
            elif verb == b"RCPT":
                behaviour = self.server.behaviour
                if behaviour.hang_at_rcpt:
                    behaviour.hanging.set()
                    behaviour.release.wait(timeout=60)
                    return
                self.reply(behaviour.rcpt_reply)
            elif verb == b"DATA":
                self.reply(b"354 go ahead")
                self.server.store(self._read_data())
                self.reply(b"250 2.0.0 queued")
            elif verb == b"QUIT":
                self.reply(b"221 bye")
                return
            else:  # HELO, MAIL, RSET, NOOP
                self.reply(b"250 OK")

    def _read_data(self) -> bytes:
        lines = []
        while (line := self.rfile.readline()) not in (b".\r\n", b""):
            lines.append(line[1:] if line.startswith(b"..") else line)
        return b"".join(lines)


class SmtpServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.behaviour = Behaviour()
        self.received: list[Message] = []
        self._lock = threading.Lock()

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def store(self, raw: bytes) -> None:
        with self._lock:
            self.received.append(message_from_bytes(raw, policy=policy.default))

    def start(self) -> SmtpServer:
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.behaviour.release.set()
        self.shutdown()
        self.server_close()
