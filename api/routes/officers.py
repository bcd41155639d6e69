"""Officer login and logout, duty, the list of officers (supervisors see it, admins add to it), and failed logins
(supervisors)."""

from __future__ import annotations

import math
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request, Response, status
from sqlalchemy.exc import IntegrityError

from api import csrf, staff_auth
from api.deps import (
    Admin,
    CurrentOfficer,
    LoginLimiterDep,
    RuntimeDep,
    SessionDep,
    StaffSessionDep,
    StaffSessionsDep,
    Supervisor,
)
from api.schemas import Duty, Login, OfficerCreate, OfficerOut
from assistant import auth, login_failures
from assistant.store import officers as officer_store
from assistant.store.models import Officer

router = APIRouter(prefix="/api/officer", tags=["officer"], dependencies=[Depends(csrf.protect)])
WRONG_LOGIN = "用户名或密码不对"  # the same whether the name is unknown or the password wrong


def _out(officer: Officer) -> OfficerOut:
    return OfficerOut(id=officer.id, username=officer.username, name=officer.name, role=officer.role,
                      on_duty=officer.on_duty, disabled=officer.disabled_at is not None)


def _too_many(wait: int) -> HTTPException:
    return HTTPException(status.HTTP_429_TOO_MANY_REQUESTS, f"登录失败次数太多，请{math.ceil(wait / 60)}分钟后再试。",
                         headers={"Retry-After": str(wait)})


@router.post("/login", dependencies=[Depends(csrf.protect_login)])
def login(body: Login, request: Request, response: Response, session: SessionDep, limiter: LoginLimiterDep,
          sessions: StaffSessionsDep, live: StaffSessionDep, runtime: RuntimeDep) -> OfficerOut:
    """Needs the X-CSRF-Token header from GET /api/staff/session. Failures of a name from one address (and of an
    address across names) make that pair (that address) wait longer each time: 429 meanwhile."""
    address = request.client.host if request.client else "unknown"
    attempt = limiter.begin(body.username, address)
    if attempt.wait:
        raise _too_many(attempt.wait)
    officer = auth.authenticate(session, username=body.username, password=body.password)
    if officer is None:
        login_failures.record(session, username=body.username, address=address, at=sessions.clock())
        session.commit()
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, WRONG_LOGIN)
    limiter.succeeded(attempt)
    officer_store.logged_in(session, officer=officer, at=sessions.clock())
    session.commit()  # a password hash may have been upgraded
    staff_auth.start(response, sessions, officer=officer, replacing=live, settings=runtime.settings)
    return _out(officer)


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
def logout(response: Response, live: StaffSessionDep, sessions: StaffSessionsDep, runtime: RuntimeDep) -> None:
    """Ends the session on the server at once: a copy of the cookie opens nothing afterwards."""
    staff_auth.end(response, sessions, live=live, settings=runtime.settings)


@router.get("/login-failures")
def failed_logins(session: SessionDep, supervisor: Supervisor, sessions: StaffSessionsDep) -> dict[str, Any]:
    """Failed logins over the last hour and day: per name as typed (numbers masked) and per address, newest first."""
    return login_failures.summary(session, now=sessions.clock())


@router.get("/me")
def me(officer: CurrentOfficer) -> OfficerOut:
    return _out(officer)


@router.put("/duty")
def duty(body: Duty, officer: CurrentOfficer, session: SessionDep, runtime: RuntimeDep) -> OfficerOut:
    """Going on or off duty changes every waiting citizen's estimate: they are told live."""
    officer_store.set_on_duty(session, officer=officer, on_duty=body.on_duty)
    runtime.desk.queue_changed(session)
    session.commit()
    return _out(officer)


@router.get("/officers")
def officers(session: SessionDep, supervisor: Supervisor) -> list[OfficerOut]:
    return [_out(o) for o in officer_store.all_officers(session)]


@router.post("/officers", status_code=status.HTTP_201_CREATED)
def add_officer(body: OfficerCreate, session: SessionDep, admin: Admin) -> OfficerOut:
    try:
        officer = officer_store.create(session, username=body.username, name=body.name, role=body.role,
                                       password_hash=auth.hash_password(body.password))
        session.commit()
    except IntegrityError:
        session.rollback()
        raise HTTPException(status.HTTP_409_CONFLICT, "这个用户名已经有人用了") from None
    return _out(officer)
