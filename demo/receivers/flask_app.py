"""Demo receiver: every scheme on Flask, at /webhooks/<scheme>, with replay protection."""

import sys

from demo_secrets import public_url, secret
from flask import Flask, Response

import hooksig
from hooksig.flask import METHODS, respond, verify_webhook

app = Flask(__name__)


def route(scheme: str) -> None:
    verifier = hooksig.Verifier(scheme, secret=secret(scheme))

    # Every answer is the core's; the handler answers the core's success body, the same in every
    # demo receiver.
    @verify_webhook(verifier, guard=hooksig.ReplayGuard(verifier=verifier), public_url=public_url())
    def handle(webhook: hooksig.Verified) -> Response:
        return respond(hooksig.Receiver.received(webhook))

    # Every method reaches the view, so that a GET gets the core's 405 with Allow: POST.
    app.add_url_rule(f"/webhooks/{scheme}", f"hook_{scheme}", handle, methods=METHODS)


for scheme_id in hooksig.schemes():
    route(scheme_id)

if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(sys.argv[1]))
