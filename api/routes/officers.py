"""Officer login, duty, and the list of officers (supervisors see it, admins add to it)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, status
from sqlalchemy.exc import IntegrityError

from api.deps import SESSION_KEY, Admin, CurrentOfficer, SessionDep, Supervisor
from api.schemas import Duty, Login, OfficerCreate, OfficerOut
from assistant import auth
from assistant.store import officers as officer_store
from assistant.store.models import Officer

router = APIRouter(prefix="/api/officer", tags=["officer"])


def _out(officer: Officer) -> OfficerOut:
    return OfficerOut(id=officer.id, username=officer.username, name=officer.name, role=officer.role,
                      on_duty=officer.on_duty)


@router.post("/login")
def login(body: Login, request: Request, session: SessionDep) -> OfficerOut:
    officer = auth.authenticate(session, username=body.username, password=body.password)
    if officer is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "用户名或密码不对")
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
