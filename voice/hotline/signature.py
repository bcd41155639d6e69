"""A webhook is believed only when the carrier signed it: with TWILIO_AUTH_TOKEN set, an unsigned or forged request
gets 403. The twilio package's RequestValidator checks X-Twilio-Signature over the full URL and the form."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from twilio.request_validator import RequestValidator, get_signature_algorithm

SIGNATURE_HEADER = "X-Twilio-Signature"
SETTINGS_HEADER = "X-Twilio-Webhooks-Signature-Settings"  # names the algorithm when it is not the default SHA-1


def is_signed(token: str, url: str, form: dict[str, str], signature: str, signature_settings: str | None) -> bool:
    algorithm = get_signature_algorithm(signature_settings)
    return bool(signature) and RequestValidator(token).validate(url, form, signature, algorithm)


async def carrier_form(request: Request) -> dict[str, str]:
    """The webhook's form fields, once its signature has been checked."""
    form = {key: value for key, value in (await request.form()).multi_items() if isinstance(value, str)}
    token = request.app.state.runtime.settings.twilio_auth_token
    if token is not None and token.get_secret_value():
        signed = is_signed(token.get_secret_value(), str(request.url), form,
                           request.headers.get(SIGNATURE_HEADER, ""), request.headers.get(SETTINGS_HEADER))
        if not signed:
            raise HTTPException(status.HTTP_403_FORBIDDEN, "webhook signature missing or wrong")
    return form


CarrierForm = Annotated[dict[str, str], Depends(carrier_form)]
