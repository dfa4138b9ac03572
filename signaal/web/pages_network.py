"""Network pages and their JSON twins: the ranked networks, one network's picture, exports."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from signaal.domain.actor import Actor
from signaal.services import network as network_service
from signaal.web.api_models import ERROR_RESPONSES, NAMED
from signaal.web.context import check_csrf, current_actor, language, render, state
from signaal.web.wire_analysis import LinkedOut, NetworkDetailOut, NetworkOut

__all__ = ["api_router", "router"]

router = APIRouter(include_in_schema=False, dependencies=[Depends(check_csrf)])
api_router = APIRouter(prefix="/api", tags=["signaal"], dependencies=[Depends(check_csrf)], responses=ERROR_RESPONSES)


def _networks(request: Request, actor: Actor) -> list[dict[str, Any]]:
    return network_service.list_networks(state(request).store, actor, lang=language(request))


@router.get("/networks")
async def networks_page(request: Request, actor: Actor = Depends(current_actor)) -> Response:
    """The networks the user may see, largest and most organised first."""
    nets = await run_in_threadpool(_networks, request, actor)
    return render(request, "network_list.html", {"networks": nets})


@router.get("/networks/{network_id}")
async def network_page(request: Request, network_id: str, actor: Actor = Depends(current_actor)) -> Response:
    """One network: classification with its facts, roles with evidence, the picture and a plain list."""
    net = await run_in_threadpool(
        network_service.show_network, state(request).store, actor, network_id, language(request)
    )
    return render(request, "network_show.html", {"net": net, "draw_limit": network_service.DRAW_LIMIT})


@router.get("/networks/{network_id}/export.{fmt}")
async def network_export(
    request: Request, network_id: str, fmt: str, actor: Actor = Depends(current_actor)
) -> Response:
    """The network as GraphML or JSON to download."""
    data = await run_in_threadpool(network_service.export_network, state(request).store, actor, network_id, fmt)
    media = "application/graphml+xml" if fmt == "graphml" else "application/json"
    headers = {"Content-Disposition": f'attachment; filename="{network_id}.{fmt}"'}
    return Response(data, media_type=media, headers=headers)


@router.get("/signals/{signal_id}/linked")
async def signal_linked(request: Request, signal_id: str, actor: Actor = Depends(current_actor)) -> Response:
    """The "linked to" section of a signal: a fragment for htmx, a page of its own otherwise."""
    linked = await run_in_threadpool(linked_section, request, actor, signal_id)
    if request.headers.get("HX-Request"):
        return render(request, "network_signal_linked.html", {"linked": linked})
    return render(request, "network_signal_page.html", {"linked": linked, "signal_id": signal_id})


@api_router.get("/networks", response_model=list[NetworkOut], response_model_exclude_unset=True)
async def api_networks(request: Request, actor: Actor = Depends(current_actor)) -> list[NetworkOut]:
    """The networks: id, signals, classification with reasons, ranked roles with evidence."""
    return [NetworkOut.model_validate(n) for n in await run_in_threadpool(_networks, request, actor)]


@api_router.get(
    "/networks/{network_id}", response_model=NetworkDetailOut, response_model_exclude_unset=True, responses=NAMED
)
async def api_network(request: Request, network_id: str, actor: Actor = Depends(current_actor)) -> NetworkDetailOut:
    """One network with its nodes and typed edges (what the picture draws)."""
    net = await run_in_threadpool(network_service.show_network, state(request).store, actor, network_id)
    return NetworkDetailOut.model_validate(net)


@api_router.get(
    "/signals/{signal_id}/links", response_model=LinkedOut, response_model_exclude_unset=True, responses=NAMED
)
async def api_signal_links(request: Request, signal_id: str, actor: Actor = Depends(current_actor)) -> LinkedOut:
    """What a signal is linked to, and the network it is part of."""
    return LinkedOut.model_validate(await run_in_threadpool(linked_section, request, actor, signal_id))


def linked_section(request: Request, actor: Actor, signal_id: str) -> dict[str, Any]:
    """The data of the "linked to" section of a signal page."""
    from signaal.services.link_review import linked_to

    store = state(request).store
    return {
        "links": linked_to(store, actor, signal_id),
        "network": network_service.signal_network(store, actor, signal_id),
    }
