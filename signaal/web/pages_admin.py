"""The administrators' page of users and sessions (multi-user mode): list, and end sessions."""

from __future__ import annotations

from collections import Counter

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from signaal.domain.actor import Actor, Role
from signaal.errors import Forbidden, NotFound
from signaal.services import sessions
from signaal.web.context import check_csrf, current_actor, render, state

__all__ = ["router"]

router = APIRouter(include_in_schema=False, dependencies=[Depends(check_csrf)])


def _admin(request: Request, actor: Actor) -> None:
    if state(request).users.single_user:
        raise NotFound("there are no sessions in single-user mode")
    if actor.role != Role.ADMIN:
        raise Forbidden(f"{actor} may not manage users and sessions")


@router.get("/admin/sessions")
async def sessions_page(request: Request, actor: Actor = Depends(current_actor)) -> Response:
    """Every user of the users file and every live session, with buttons to end them."""
    _admin(request, actor)
    app = state(request)
    live = await run_in_threadpool(sessions.list_sessions, app.store, actor)
    users = sorted((app.users.records or {}).values(), key=lambda u: (u.org, u.name))
    counts = Counter(s.user for s in live)
    return render(request, "admin_sessions.html", {"users": users, "sessions": live, "live": counts})


@router.post("/admin/sessions/{session_id}/revoke")
async def revoke_one(request: Request, session_id: str, actor: Actor = Depends(current_actor)) -> Response:
    """End one session."""
    _admin(request, actor)
    await run_in_threadpool(sessions.revoke_session, state(request).store, actor, session_id, "revoked by admin")
    return RedirectResponse("/admin/sessions", status_code=303)


@router.post("/admin/users/{user}/revoke")
async def revoke_user(request: Request, user: str, actor: Actor = Depends(current_actor)) -> Response:
    """End every session of one user."""
    _admin(request, actor)
    await run_in_threadpool(sessions.revoke_user_sessions, state(request).store, actor, user, "revoked by admin")
    return RedirectResponse("/admin/sessions", status_code=303)
