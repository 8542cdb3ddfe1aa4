import json
import time
import uuid
from urllib.parse import urlencode

from odoo.tests import HttpCase, new_test_user

from odoo.addons.crm_telephony_sip.adapters import generic, zadarma

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


class TelephonyCase(HttpCase):
    """Real HTTP requests to the real server, with a generic and a Zadarma PBX.

    A PBX request leaves the deals and to-dos of ended calls to the follow-up job,
    which the server runs right after the request; here it is run after each request
    too, unless ``follow_up_after_requests`` is false (tests of the request alone)."""

    follow_up_after_requests = True

    def url_open(self, *args, **kwargs):
        response = super().url_open(*args, **kwargs)
        if self.follow_up_after_requests:
            self.run_followups()
        return response

    def run_followups(self):
        """The follow-up job, as the cron runs it after a PBX request."""
        self.env.invalidate_all()
        self.env["crm.telephony.call"]._cron_run_followups()
        self.env.invalidate_all()

    @classmethod
    def anna_and_boris(cls, prefix):
        """Two salespeople, Anna and Boris (logins ``<prefix>_anna``, ``<prefix>_boris``)."""
        return tuple(
            new_test_user(
                cls.env,
                login=f"{prefix}_{name.lower()}",
                groups="sales_team.group_sale_salesman",
                name=name,
            )
            for name in ("Anna", "Boris")
        )

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.russia = cls.env.ref("base.ru")
        cls.salesman = new_test_user(
            cls.env,
            login="tel_salesman",
            groups="sales_team.group_sale_salesman",
            name="Ivan Petrov",
            email="ivan@example.com",
        )
        cls.manager = new_test_user(
            cls.env,
            login="tel_manager",
            groups="sales_team.group_sale_manager",
            name="Olga Manager",
        )
        cls.connection = cls.env["crm.telephony.connection"].create(
            {
                "name": "Office PBX",
                "provider": "generic",
                "secret": SECRET,
                "country_id": cls.russia.id,
                "extension_ids": [(0, 0, {"extension": "101", "user_id": cls.salesman.id})],
            }
        )
        # the stage missed-call deals land in (Unsorted when the regulation is installed)
        cls.unsorted = cls.env["crm.telephony.call"]._missed_call_stage()

    # -- helpers ---------------------------------------------------------

    def url_for(self, connection):
        return f"/crm_telephony/{connection.key}/event"

    def post_generic(self, payload, connection=None, secret=SECRET, timestamp=None, headers=None):
        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        msg_id = f"msg_{uuid.uuid4().hex}"
        timestamp = int(time.time()) if timestamp is None else timestamp
        all_headers = {
            "Content-Type": "application/json",
            "webhook-id": msg_id,
            "webhook-timestamp": str(timestamp),
            "webhook-signature": generic.sign(secret, msg_id, timestamp, body),
        }
        all_headers.update(headers or {})
        response = self.url_open(
            self.url_for(connection or self.connection), data=body, headers=all_headers
        )
        self.env.invalidate_all()
        return response

    def post_zadarma(self, params, connection, secret=None):
        signature = zadarma.sign(secret or connection.secret, params)
        response = self.url_open(
            self.url_for(connection),
            data=urlencode(params),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Signature": signature,
            },
        )
        self.env.invalidate_all()
        return response

    def calls(self, provider_call_id, connection=None):
        return self.env["crm.telephony.call"].search(
            [
                ("connection_id", "=", (connection or self.connection).id),
                ("provider_call_id", "=", provider_call_id),
            ]
        )

    @staticmethod
    def generic_call(call_id, **values):
        payload = {
            "call_id": call_id,
            "direction": "inbound",
            "client_number": "+7 916 123-45-67",
            "our_number": "+7 495 000-00-00",
            "started_at": "2024-05-01T10:00:00Z",
        }
        payload.update(values)
        return payload


class LocalHttpServer:
    """A real HTTP server on 127.0.0.1 (a free port) serving ``handler`` in a thread
    while in a ``with`` block; ``url`` is its address."""

    def _serve(self, handler):
        import threading
        from http.server import ThreadingHTTPServer

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *_exc):
        self.server.shutdown()
        self.server.server_close()


class FakeProviderApi(LocalHttpServer):
    """A real local HTTP server answering a provider's API calls from a table
    ``{(method, path): (status, headers, body)}`` and keeping the requests it got."""

    def __init__(self, routes):
        from http.server import BaseHTTPRequestHandler

        api = self
        self.routes = routes
        self.requests = []

        class Handler(BaseHTTPRequestHandler):
            def _answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode() if length else ""
                path = self.path.split("?", 1)[0]
                api.requests.append((self.command, self.path, dict(self.headers), body))
                status, headers, payload = api.routes.get(
                    (self.command, path), (404, {}, {"error": "not found"})
                )
                data = json.dumps(payload).encode()
                self.send_response(status)
                for name, value in dict({"Content-Type": "application/json"}, **headers).items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _answer

            def log_message(self, *_args):
                return

        self._serve(Handler)
