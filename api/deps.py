"""Dependencies as type aliases: routes only declare what they need."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from sqlalchemy.orm import Session

from assistant.runtime import Runtime
from assistant.store import officers as officer_store
from assistant.store.models import Officer

SESSION_KEY = "officer_id"


def get_runtime(request: Request) -> Runtime:
    return request.app.state.runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


def get_session(runtime: RuntimeDep) -> Iterator[Session]:
    with runtime.sessions() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


def current_officer(request: Request, session: SessionDep) -> Officer:
    officer_id = request.session.get(SESSION_KEY)
    officer = officer_store.get(session, officer_id=officer_id) if isinstance(officer_id, int) else None
    if officer is None:
        request.session.clear()
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "请先登录")
    return officer


CurrentOfficer = Annotated[Officer, Depends(current_officer)]


def officer_for_stream(request: Request, runtime: RuntimeDep) -> int:
    """Like CurrentOfficer, with a session closed at once: a live stream must not hold a connection for hours."""
    with runtime.sessions() as session:
        return current_officer(request, session).id


StreamingOfficer = Annotated[int, Depends(officer_for_stream)]


def role_required(*roles: str) -> Callable[[Officer], Officer]:
    def check(officer: CurrentOfficer) -> Officer:
        if officer.role not in roles:
            raise HTTPException(status.HTTP_403_FORBIDDEN, "您的角色不能做这件事")
        return officer

    return check


Supervisor = Annotated[Officer, Depends(role_required("supervisor", "admin"))]
Admin = Annotated[Officer, Depends(role_required("admin"))]
