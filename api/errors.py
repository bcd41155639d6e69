"""Errors as clear JSON, never a stack trace: the database being down, a case in the wrong state, bad input."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request, status
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import SQLAlchemyError

from api.schemas import CONTROL_CHARACTERS
from assistant import texts
from assistant.cases import CaseError, CaseForbidden
from assistant.engine import UnknownConversation
from assistant.store.replays import KeyReused

log = logging.getLogger("citizen_help.api")

INVALID = "您发来的内容我们处理不了，请换个说法再试。"
TOO_LONG = "内容太长了，最多{limit}个字，请删短一些或分几次发。"
KEY_REUSED = "这个 Idempotency-Key 已经用在另一条不同的消息上了：重发请原样发送，新消息请换一个新的。"
CONTROL = "内容里有无法显示的字符，请删掉后再发。"


def _json(code: int, detail: object) -> JSONResponse:
    return JSONResponse(jsonable_encoder({"detail": detail}), status_code=code)


async def _database_down(request: Request, exc: Exception) -> JSONResponse:
    log.error("database error on %s %s", request.method, request.url.path, exc_info=exc)
    return _json(status.HTTP_503_SERVICE_UNAVAILABLE, texts.BUSY)


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.error("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    return _json(status.HTTP_500_INTERNAL_SERVER_ERROR, texts.BUSY)


async def _case_forbidden(request: Request, exc: Exception) -> JSONResponse:
    return _json(status.HTTP_403_FORBIDDEN, str(exc))


async def _case_conflict(request: Request, exc: Exception) -> JSONResponse:
    return _json(status.HTTP_409_CONFLICT, str(exc))


async def _unknown_conversation(request: Request, exc: Exception) -> JSONResponse:
    return _json(status.HTTP_404_NOT_FOUND, "没有找到这段对话")


async def _key_reused(request: Request, exc: Exception) -> JSONResponse:
    return _json(status.HTTP_422_UNPROCESSABLE_CONTENT, KEY_REUSED)


async def _invalid(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [{"loc": e["loc"], "msg": e["msg"], "type": e["type"]} for e in exc.errors()]  # input not echoed
    too_long = [e for e in exc.errors() if e["type"] == "string_too_long"]
    control = any(e["type"] in (CONTROL_CHARACTERS, "string_unicode") for e in exc.errors())
    message = TOO_LONG.format(limit=too_long[0]["ctx"]["max_length"]) if too_long else CONTROL if control else INVALID
    return JSONResponse({"detail": errors, "message": message}, status_code=status.HTTP_422_UNPROCESSABLE_CONTENT)


def install(app: FastAPI) -> None:
    app.add_exception_handler(SQLAlchemyError, _database_down)
    app.add_exception_handler(CaseForbidden, _case_forbidden)
    app.add_exception_handler(CaseError, _case_conflict)
    app.add_exception_handler(UnknownConversation, _unknown_conversation)
    app.add_exception_handler(KeyReused, _key_reused)
    app.add_exception_handler(RequestValidationError, _invalid)
    app.add_exception_handler(Exception, _unexpected)
