"""With TWILIO_AUTH_TOKEN set, only webhooks the carrier signed are believed."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from twilio.request_validator import RequestValidator

from assistant.runtime import Runtime
from assistant.store.models import Conversation
from tests.voice.hotline.conftest import BASE, CALLER, TOKEN, sign

INCOMING = f"{BASE}/voice/twilio/incoming"
FORM = {"CallSid": "CA0123456789abcdef", "From": CALLER, "To": "+8612345"}


def test_a_signed_call_is_answered_with_twiml(client: TestClient) -> None:
    response = client.post(INCOMING, data=FORM, headers={"X-Twilio-Signature": sign(INCOMING, FORM)})
    assert response.status_code == 200
    assert response.text.startswith("<?xml")


@pytest.mark.parametrize("headers", [
    {},  # unsigned
    {"X-Twilio-Signature": sign(INCOMING, FORM, token="someone-elses-token")},  # forged
    {"X-Twilio-Signature": sign(INCOMING, {**FORM, "From": "+8613900000000"})},  # signed, then the form changed
    {"X-Twilio-Signature": sign(f"{BASE}/voice/twilio/status", FORM)},  # signed for another address
], ids=["unsigned", "forged", "form-changed", "other-address"])
def test_unsigned_or_forged_webhooks_are_refused(client: TestClient, headers: dict[str, str]) -> None:
    assert client.post(INCOMING, data=FORM, headers=headers).status_code == 403


def test_the_sha256_signature_a_carrier_may_announce_is_checked_too(client: TestClient) -> None:
    signature = RequestValidator(TOKEN).compute_signature(INCOMING, FORM, "HMAC_SHA256")
    headers = {"X-Twilio-Signature": signature, "X-Twilio-Webhooks-Signature-Settings": "algorithm=HMAC_SHA256"}
    assert client.post(INCOMING, data=FORM, headers=headers).status_code == 200
    headers["X-Twilio-Webhooks-Signature-Settings"] = "algorithm=HMAC_SHA1"
    assert client.post(INCOMING, data=FORM, headers=headers).status_code == 403


def test_a_refused_request_leaves_no_trace(client: TestClient, runtime: Runtime) -> None:
    client.post(INCOMING, data=FORM)
    with runtime.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Conversation)) == 0


@pytest.mark.parametrize("hotline_settings", [{}])  # no TWILIO_AUTH_TOKEN: a laptop trying the hotline
def test_without_a_token_unsigned_webhooks_are_accepted(client: TestClient) -> None:
    assert client.post(INCOMING, data=FORM).status_code == 200


@pytest.mark.parametrize("hotline_settings", [{"hotline_enabled": False}])  # an office without a phone line
def test_with_the_hotline_disabled_no_carrier_webhook_exists(client: TestClient, runtime: Runtime) -> None:
    for route in ("incoming", "gather", "silence", "dialled", "wait", "queue-left", "status"):
        assert client.post(f"{BASE}/voice/twilio/{route}", data=FORM).status_code == 404
    with runtime.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Conversation)) == 0
