"""A webhook is believed only when the carrier signed it: with TWILIO_AUTH_TOKEN set, an unsigned or forged request
gets 403. The twilio package's RequestValidator checks X-Twilio-Signature over the full URL and the form."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from twilio.request_validator import RequestValidator, get_signature_algorithm

from assistant.services import Services

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
SIGNATURE_HEADER = "X-Twilio-Signature"
SETTINGS_HEADER = "X-Twilio-Webhooks-Signature-Settings"  # names the algorithm when it is not the default SHA-1


def is_signed(token: str, url: str, form: dict[str, str], signature: str, signature_settings: str | None) -> bool:
    algorithm = get_signature_algorithm(signature_settings)
    return bool(signature) and RequestValidator(token).validate(url, form, signature, algorithm)


class SignedForm(dict[str, str]):
    """A webhook's form fields; `signed` says whether the carrier's signature vouched for them (only then is the
    caller's number in From proof of who is calling)."""

    signed: bool = False


async def carrier_form(request: Request) -> SignedForm:
    """The webhook's form fields, once its signature has been checked, without control characters: no carrier sends
    any, and a NUL in a CallSid reached PostgreSQL, which refuses it."""
    form = {key: value for key, value in (await request.form()).multi_items() if isinstance(value, str)}
    token = Services.of(request.app).runtime.settings.twilio_auth_token
    signed = False
    if token is not None and token.get_secret_value():
        if not is_signed(token.get_secret_value(), str(request.url), form,
                         request.headers.get(SIGNATURE_HEADER, ""), request.headers.get(SETTINGS_HEADER)):
            raise HTTPException(status.HTTP_403_FORBIDDEN, "webhook signature missing or wrong")
        signed = True
    clean = SignedForm((_CONTROL.sub("", key), _CONTROL.sub("", value)) for key, value in form.items())
    clean.signed = signed
    return clean


CarrierForm = Annotated[SignedForm, Depends(carrier_form)]
