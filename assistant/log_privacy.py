"""ID numbers and mobile numbers are masked in every log record, whichever library wrote it (SQLAlchemy's
parameters at DEBUG, uvicorn's access lines, a traceback quoting a message)."""

from __future__ import annotations

import logging
from typing import Any

from assistant.privacy import mask_text

_formatter = logging.Formatter()


def _masked_args(args: Any) -> Any:
    if isinstance(args, tuple):
        return tuple(mask_text(a) if isinstance(a, str) else a for a in args)
    if isinstance(args, dict):
        return {k: mask_text(v) if isinstance(v, str) else v for k, v in args.items()}
    return args


def mask_record(record: logging.LogRecord) -> logging.LogRecord:
    """The record with its message, traceback and stack masked; its arguments kept where a formatter needs them."""
    try:
        message = record.getMessage()
    except (TypeError, ValueError):  # a broken format string: the handler reports it, with nothing to mask first
        return record
    masked = mask_text(message)
    if masked != message:
        if isinstance(record.msg, str):
            record.msg = mask_text(record.msg)
        record.args = _masked_args(record.args)
        if record.getMessage() != masked:  # a number inside a non-text argument: keep only the masked text
            record.msg, record.args = masked, ()
    if record.exc_info and not record.exc_text:
        record.exc_text = mask_text(_formatter.formatException(record.exc_info))
    if record.stack_info:
        record.stack_info = mask_text(record.stack_info)
    return record


def install() -> None:
    """Masks every record from now on, in this process; calling it again changes nothing."""
    factory = logging.getLogRecordFactory()
    if getattr(factory, "masks_numbers", False):
        return

    def masking_factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        return mask_record(factory(*args, **kwargs))

    masking_factory.masks_numbers = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(masking_factory)
