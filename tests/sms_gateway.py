"""A local SMS gateway for tests of core.sms.HttpSender (an HTTP server thread on 127.0.0.1)."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

from django.test import override_settings

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


class Gateway:
    """A local SMS gateway: answers each POST with the next status of ``statuses`` (then 200)."""

    def __init__(self, statuses):
        self.statuses, self.requests = list(statuses), []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                gateway.requests.append((self.path, dict(self.headers), json.loads(body)))
                status = gateway.statuses.pop(0) if gateway.statuses else 200
                self.send_response(status)
                self.end_headers()
                self.wfile.write(b'{"ok": true}' if status < 300 else b"gateway busy")

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/sms"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def gateway_settings(gateway, **more):
    return override_settings(SMS_SENDER="yangguang.core.sms.HttpSender", SMS_HTTP_URL=gateway.url,
                             SMS_HTTP_TOKEN="t0ken", SMS_HTTP_TIMEOUT=5, TASKS=IMMEDIATE, **more)
