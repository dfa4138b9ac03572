"""The administrators' page of users and sessions (multi-user mode): list users and sessions, unlock
accounts, end sessions."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from signaal.domain.actor import Actor, Role
from signaal.errors import Forbidden, NotFound
from signaal.services import accounts, sessions
from signaal.web.confirm import ask_confirmation, confirmed
from signaal.web.context import check_csrf, current_actor, render, state, translator

__all__ = ["router"]

router = APIRouter(include_in_schema=False, dependencies=[Depends(check_csrf)])

#: What an administrator's action did, as the page says it after the redirect (``flash.admin_<done>``).
DONE: tuple[str, ...] = ("unlocked", "session_revoked", "user_revoked")


def _done(done: str, user: str = "") -> RedirectResponse:
    """Back to the page, which says what was done."""
    query = {"done": done, **({"user": user} if user else {})}
    return RedirectResponse(f"/admin/sessions?{urlencode(query)}", status_code=303)


def _notice(request: Request) -> str | None:
    """The notice of the action the page was redirected from (none for an unknown one)."""
    done = request.query_params.get("done", "")
    if done not in DONE:
        return None
    return translator(request)(f"flash.admin_{done}", user=request.query_params.get("user", "")[:200])


def _admin(request: Request, actor: Actor) -> None:
    if state(request).users.single_user:
        raise NotFound("there are no sessions in single-user mode")
    if actor.role != Role.ADMIN:
        raise Forbidden(f"{actor} may not manage users and sessions")


@dataclass(frozen=True)
class AccountLine:
    """One user on the administrators' page: from the users file or from single sign-on."""

    name: str
    org: str
    role: str
    source: str  # local or oidc
    mfa: str  # totp, provider (the OIDC provider's business) or none
    token: bool
    locked: bool


def _accounts(request: Request, actor: Actor) -> list[AccountLine]:
    app = state(request)
    states = accounts.account_states(app.store, actor)
    lines = [
        AccountLine(
            u.name,
            u.org,
            u.role.value,
            "local",
            "totp" if u.totp_secret else "none",
            bool(u.token_hash),
            u.name in states and states[u.name].locked,
        )
        for u in (app.users.records or {}).values()
    ]
    known = {line.name for line in lines}
    lines += [
        AccountLine(s.name, s.org, s.role, "oidc", "provider", False, s.locked)
        for s in states.values()
        if s.source == "oidc" and s.name not in known
    ]
    return sorted(lines, key=lambda line: (line.org, line.name))


@router.get("/admin/sessions")
async def sessions_page(request: Request, actor: Actor = Depends(current_actor)) -> Response:
    """Every user (users file and single sign-on) with role, organisation, second factor and lock,
    and every live session, with buttons to unlock accounts and end sessions."""
    _admin(request, actor)
    app = state(request)
    live = await run_in_threadpool(sessions.list_sessions, app.store, actor)
    users = await run_in_threadpool(_accounts, request, actor)
    counts = Counter(s.user for s in live)
    context = {"users": users, "sessions": live, "live": counts, "flash": _notice(request)}
    return render(request, "admin_sessions.html", context)


@router.get("/admin/users")
async def users_page() -> Response:
    """The users are listed on the sessions page."""
    return RedirectResponse("/admin/sessions", status_code=303)


@router.post("/admin/users/{user}/unlock")
async def unlock_user(request: Request, user: str, actor: Actor = Depends(current_actor)) -> Response:
    """Unlock an account locked after too many failed sign-ins."""
    _admin(request, actor)
    await run_in_threadpool(accounts.unlock, state(request).store, actor, user)
    return _done("unlocked", user)


@router.post("/admin/sessions/{session_id}/revoke")
async def revoke_one(request: Request, session_id: str, actor: Actor = Depends(current_actor)) -> Response:
    """End one session (after a confirmation step)."""
    _admin(request, actor)
    posted = await request.form()
    if not confirmed(posted):
        return ask_confirmation(request, posted, "revoke_session", "/admin/sessions")
    await run_in_threadpool(sessions.revoke_session, state(request).store, actor, session_id, "revoked by admin")
    return _done("session_revoked")


@router.post("/admin/users/{user}/revoke")
async def revoke_user(request: Request, user: str, actor: Actor = Depends(current_actor)) -> Response:
    """End every session of one user (after a confirmation step)."""
    _admin(request, actor)
    posted = await request.form()
    if not confirmed(posted):
        return ask_confirmation(request, posted, "revoke_user", "/admin/sessions", user=user)
    await run_in_threadpool(sessions.revoke_user_sessions, state(request).store, actor, user, "revoked by admin")
    return _done("user_revoked", user)
