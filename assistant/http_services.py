"""The services as FastAPI dependencies, for every channel served over HTTP (the web's routes, the hotline's
webhooks): routes declare these type aliases, and api/deps.py adds the web's own beside them."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from assistant.runtime import Runtime
from assistant.services import Services


async def get_services(request: Request) -> Services:  # async: no trip to a worker thread for an attribute
    return Services.of(request.app)


ServicesDep = Annotated[Services, Depends(get_services)]


async def get_runtime(services: ServicesDep) -> Runtime:
    return services.runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


async def _session_slot(services: ServicesDep) -> AsyncIterator[None]:
    async with services.request_slots:  # see Services.request_slots
        yield


def get_session(runtime: RuntimeDep, _slot: Annotated[None, Depends(_session_slot)]) -> Iterator[Session]:
    with runtime.sessions() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]
