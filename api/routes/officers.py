"""Officer login, duty, and the list of officers (supervisors see it, admins add to it)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Request, status
from sqlalchemy.exc import IntegrityError

from api import csrf
from api.deps import SESSION_KEY, Admin, CurrentOfficer, LoginLimiterDep, SessionDep, Supervisor
from api.schemas import Duty, Login, OfficerCreate, OfficerOut
from assistant import auth
from assistant.store import officers as officer_store
from assistant.store.models import Officer

router = APIRouter(prefix="/api/officer", tags=["officer"], dependencies=[Depends(csrf.protect)])
WRONG_LOGIN = "用户名或密码不对"  # the same whether the name is unknown or the password wrong


def _out(officer: Officer) -> OfficerOut:
    return OfficerOut(id=officer.id, username=officer.username, name=officer.name, role=officer.role,
                      on_duty=officer.on_duty)


@router.post("/login", dependencies=[Depends(csrf.protect_login)])
def login(body: Login, request: Request, session: SessionDep, limiter: LoginLimiterDep) -> OfficerOut:
    """Needs the X-CSRF-Token header from GET /api/staff/session; after too many failures, 429 for a while."""
    address = request.client.host if request.client else "unknown"
    if wait := limiter.wait_seconds(body.username, address):
        raise HTTPException(status.HTTP_429_TOO_MANY_REQUESTS, f"登录失败次数太多，请{max(1, wait // 60)}分钟后再试。",
                            headers={"Retry-After": str(wait)})
    officer = auth.authenticate(session, username=body.username, password=body.password)
    if officer is None:
        limiter.failed(body.username, address)
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, WRONG_LOGIN)
    limiter.succeeded(body.username, address)
    session.commit()  # a password hash may have been upgraded
    request.session.clear()
    request.session[SESSION_KEY] = officer.id
    return _out(officer)


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
def logout(request: Request) -> None:
    request.session.clear()


@router.get("/me")
def me(officer: CurrentOfficer) -> OfficerOut:
    return _out(officer)


@router.put("/duty")
def duty(body: Duty, officer: CurrentOfficer, session: SessionDep) -> OfficerOut:
    """Going on or off duty changes every waiting citizen's estimate."""
    officer_store.set_on_duty(session, officer=officer, on_duty=body.on_duty)
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
