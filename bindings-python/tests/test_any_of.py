"""`Verifier.any_of`: the conversions (the selection rules are the core's, tested there), the
README example, and one Flask endpoint answering two vendors (the receiver uses the scheme that
matched)."""

from __future__ import annotations

import contextlib
import io
import json
import re
from collections.abc import Iterator

import pytest

import hooksig
from conftest import BINDING

NOW = 1_767_225_600
STRIPE = "whsec_stripe_any_of_test"
GITHUB = "github_any_of_test"
SLACK = "slack_any_of_test"


def endpoint() -> hooksig.Verifier:
    return hooksig.Verifier.any_of(
        [
            hooksig.Verifier("stripe", secret=STRIPE),
            hooksig.Verifier("github", secret=GITHUB),
            hooksig.Verifier("slack", secret=SLACK),
        ]
    )


def test_takes_any_iterable_of_verifiers() -> None:
    a, b = hooksig.Verifier("stripe", secret=STRIPE), hooksig.Verifier("github", secret=GITHUB)

    def gen() -> Iterator[hooksig.Verifier]:
        yield a
        yield b

    for arg in ([a, b], (a, b), gen()):
        v = hooksig.Verifier.any_of(arg)
        assert isinstance(v, hooksig.Verifier)
        assert v.scheme == "any"
        assert repr(v) == 'Verifier(scheme="any", secrets=<2 redacted>)'
    # The members stay usable on their own.
    assert a.verify(a.sign(b'{"id":"evt_1"}'), b'{"id":"evt_1"}').scheme == "stripe"


def test_verified_names_the_matched_scheme() -> None:
    v = endpoint()
    body = b'{"id":"evt_1","type":"charge.succeeded"}'
    ok = v.verify(hooksig.sign("stripe", STRIPE, body, timestamp=NOW), body, now=NOW)
    assert (ok.scheme, ok.id, ok.dedupe_key) == ("stripe", "evt_1", "stripe:id:evt_1")
    ok = v.verify(hooksig.sign("github", GITHUB, b"{}", id="d-1"), b"{}")
    assert ok.scheme == "github" and ok.dedupe_key.startswith("github:sig:")
    # The headers of every member cross the boundary (GitHub's event header here).
    assert (
        v.verify(hooksig.sign("github", GITHUB, b"{}", event_type="push"), b"{}").event_type
        == "push"
    )
    assert v.replay_ttl == 86_400  # github is untimed: the longest ttl


def test_errors() -> None:
    with pytest.raises(hooksig.MissingSignature) as missing:
        endpoint().verify({"Content-Type": "application/json"}, b"{}")
    assert missing.value.header == "Stripe-Signature"
    assert "X-Hub-Signature-256" in str(missing.value)
    with pytest.raises(hooksig.SignatureMismatch):
        endpoint().verify(hooksig.sign("github", "other", b"{}"), b"{}")
    with pytest.raises(hooksig.InvalidConfig, match="sign with one of its verifiers"):
        endpoint().sign(b"{}")
    with pytest.raises(hooksig.InvalidConfig, match="no verifier"):
        hooksig.Verifier.any_of([])
    with pytest.raises(hooksig.InvalidConfig, match="composite"):
        hooksig.Verifier.any_of([endpoint()])
    with pytest.raises(hooksig.InvalidConfig, match="at most 16"):
        hooksig.Verifier.any_of(
            [
                hooksig.Verifier(s, secret="whsec_c2VjcmV0X2tfc2VjcmV0X2s=")
                for s in hooksig.schemes()[:20]
            ]
        )


@pytest.mark.parametrize("bad", [None, 3, "stripe", hooksig.Verifier("github", secret="x1")])
def test_not_a_list_of_verifiers_is_invalid_argument(bad: object) -> None:
    with pytest.raises(hooksig.InvalidArgument, match="verifiers must be a list"):
        hooksig.Verifier.any_of(bad)  # type: ignore[arg-type]


def test_an_item_that_is_not_a_verifier_is_invalid_argument() -> None:
    with pytest.raises(hooksig.InvalidArgument, match="item 1 is str"):
        hooksig.Verifier.any_of([hooksig.Verifier("github", secret="x1"), "stripe"])  # type: ignore[list-item]


def test_readme_example_runs_and_prints_what_it_says() -> None:
    readme = (BINDING / "README.md").read_text(encoding="utf-8")
    match = re.search(r"<!-- any_of [^>]*-->\n```python\n(.*?)```\n", readme, re.DOTALL)
    assert match is not None
    code = match.group(1)
    promised = [line.split("# ")[-1] for line in code.splitlines() if "print(" in line]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "README any_of", "exec"), {})
    assert out.getvalue().splitlines() == promised


def test_one_flask_endpoint_for_stripe_github_and_slack() -> None:
    import flask

    from hooksig.flask import METHODS, verify_webhook

    v = endpoint()
    app = flask.Flask("any_of_test")
    seen: list[tuple[str, str | None]] = []

    @app.route("/webhooks", methods=METHODS)
    @verify_webhook(v, guard=hooksig.ReplayGuard(verifier=v))
    def hook(webhook: hooksig.Verified) -> dict[str, object]:
        seen.append((webhook.scheme, webhook.id))
        return {"scheme": webhook.scheme}

    client = app.test_client()
    stripe_body = b'{"id":"evt_9","type":"charge.succeeded"}'
    stripe = hooksig.sign("stripe", STRIPE, stripe_body)
    github = hooksig.sign("github", GITHUB, b'{"zen":"z"}', id="d-9", event_type="ping")
    r = client.post("/webhooks", data=stripe_body, headers=stripe)
    assert (r.status_code, r.get_json()) == (200, {"scheme": "stripe"})
    r = client.post("/webhooks", data=b'{"zen":"z"}', headers=github)
    assert (r.status_code, r.get_json()) == (200, {"scheme": "github"})
    # The same Stripe delivery again: a duplicate under Stripe's key.
    r = client.post("/webhooks", data=stripe_body, headers=stripe)
    assert (r.status_code, r.get_json()) == (200, {"status": "duplicate"})
    # Slack's url_verification is answered by the receiver, as for a Slack verifier alone.
    slack_body = b'{"type":"url_verification","challenge":"ch4ll"}'
    r = client.post("/webhooks", data=slack_body, headers=hooksig.sign("slack", SLACK, slack_body))
    assert (r.status_code, json.loads(r.data)) == (200, {"challenge": "ch4ll"})
    # No vendor's signature header: 400 missing_signature.
    r = client.post("/webhooks", data=b"{}", headers={"Content-Type": "application/json"})
    assert (r.status_code, r.get_json()["error"]) == (400, "missing_signature")
    assert seen == [("stripe", "evt_9"), ("github", "d-9")]
