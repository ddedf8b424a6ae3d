"""A real SMTP server on 127.0.0.1 for the alert tests (aiosmtpd).

usage: smtp_sink.py PORT DIR
Each message accepted is written to DIR/<n>.eml, with the time it arrived (epoch ms) in
DIR/<n>.ms. With SINK_USER and SINK_PASSWORD set, AUTH PLAIN/LOGIN is required (without TLS:
loopback only). With SINK_TLS_CERT and SINK_TLS_KEY set, STARTTLS is required before
anything else. Prints "ready" once listening; stops on SIGTERM or when stdin closes.
"""

import os
import ssl
import sys
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Sink:
    def __init__(self, folder):
        self.folder = folder
        self.n = 0

    async def handle_DATA(self, server, session, envelope):
        self.n += 1
        base = os.path.join(self.folder, str(self.n))
        with open(base + ".eml.tmp", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        os.rename(base + ".eml.tmp", base + ".eml")
        with open(base + ".ms", "w") as f:
            f.write(str(int(time.time() * 1000)))
        return "250 Message accepted"


def authenticator(user, password):
    def check(server, session, envelope, mechanism, auth_data):
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login.decode() == user
            and auth_data.password.decode() == password
        )
        return AuthResult(success=ok, handled=False)

    return check


def main():
    port, folder = int(sys.argv[1]), sys.argv[2]
    os.makedirs(folder, exist_ok=True)
    kwargs = {}
    user, password = os.environ.get("SINK_USER"), os.environ.get("SINK_PASSWORD")
    if user and password:
        kwargs = dict(
            authenticator=authenticator(user, password),
            auth_required=True,
            auth_require_tls=False,
        )
    cert, key = os.environ.get("SINK_TLS_CERT"), os.environ.get("SINK_TLS_KEY")
    if cert and key:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert, key)
        kwargs.update(tls_context=context, require_starttls=True)
        kwargs["auth_require_tls"] = True
    controller = Controller(Sink(folder), hostname="127.0.0.1", port=port, **kwargs)
    controller.start()
    print("ready", flush=True)
    try:
        sys.stdin.read()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
