"""``signaal route``, ``delphi``, ``decide``, ``referrals``, ``meldcode``, ``close``: the action
perspective on the command line. Thin shells over :mod:`signaal.services.triage`."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from signaal.cli import context
from signaal.errors import InvalidInput
from signaal.knowledge import parse_yaml
from signaal.services import referrals as referral_service
from signaal.services import triage as service
from signaal.store import Store, open_store
from signaal.triage import Route, facts_from_mapping
from signaal.triage.delphi import DelphiAssessment
from signaal.triage.meldcode import Checklist

__all__ = ["parse_moment", "register"]

referrals_app = typer.Typer(help="Record and follow referrals of a signal.", no_args_is_help=True)

Format = Annotated[str, typer.Option("--format", help="text or json.")]
Lang = Annotated[
    str | None,
    typer.Option("--lang", help="Language of the texts: nl or en; default SIGNAAL_LANGUAGE (nl)."),
]

# The words of the text rendering itself; the step texts come from the rules in the same language.
_WORDS: dict[str, dict[str, str]] = {
    "nl": {
        "route_facts": "Route voor {name}",
        "route_signal": "Route voor signaal {id} ({status})",
        "why": "waarom",
        "facts": "feiten",
        "record": "vastleggen",
        "due": "termijn",
        "now": "direct",
        "hours": "binnen {n} uur",
        "days": "binnen {n} dagen",
        "by": "uiterlijk",
        "flags": "Aandachtspunten:",
        "questions": "Open vragen (de route hierboven geldt tot ze beantwoord zijn):",
        "contacts": "Contacten op volgorde",
        "none": "geen",
        "meldcode": "Meldcodestappen voor signaal {id}:",
        "done_by": "gedaan door {by} op {at}",
        "open": "open",
    },
    "en": {
        "route_facts": "Route for {name}",
        "route_signal": "Route for signal {id} ({status})",
        "why": "why",
        "facts": "facts",
        "record": "record",
        "due": "due",
        "now": "now",
        "hours": "within {n} h",
        "days": "within {n} days",
        "by": "by",
        "flags": "Flags:",
        "questions": "Open questions (the route above holds until they are answered):",
        "contacts": "Contacts in order",
        "none": "none",
        "meldcode": "Meldcode steps for signal {id}:",
        "done_by": "done by {by} on {at}",
        "open": "open",
    },
}
At = Annotated[str | None, typer.Option("--at", help="When (YYYY-MM-DD or YYYY-MM-DDTHH:MM, UTC); default now.")]


def register(app: typer.Typer) -> None:
    """Add the action-perspective commands to the root CLI."""
    app.command("route")(route_cmd)
    app.command("delphi")(delphi_cmd)
    app.command("decide")(decide_cmd)
    app.command("meldcode")(meldcode_cmd)
    app.command("close")(close_cmd)
    app.add_typer(referrals_app, name="referrals")


def parse_moment(text: str | None, name: str = "--at") -> datetime | None:
    """Parse a CLI date or date-time; InvalidInput naming the option when it does not parse."""
    if text is None:
        return None
    try:
        return service.as_utc(datetime.fromisoformat(text))
    except ValueError:
        raise InvalidInput(f"{name}: {text!r} is not a date (YYYY-MM-DD) or date-time") from None


def _format(value: str) -> str:
    if value not in ("text", "json"):
        raise InvalidInput(f"--format must be text or json, not {value!r}")
    return value


def _store() -> Store:
    return open_store(context.settings(), create=False)


def _echo_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def _lang(value: str | None) -> str:
    return service.language_for(context.settings(), value)


def render_route(result: Route, title: str) -> str:
    """Readable text of a route in its language: steps with contacts, reasons, records and deadlines."""
    w = _WORDS[result.lang]
    lines = [title, ""]
    for warning in result.warnings:
        lines.append(f"! {warning}")
    for number, step in enumerate(result.steps, 1):
        due = (
            ""
            if step.due_hours is None
            else (
                w["now"]
                if step.due_hours == 0
                else w["hours"].format(n=step.due_hours)
                if step.due_hours < 48
                else w["days"].format(n=step.due_hours // 24)
            )
        )
        when = f" ({w['by']} {step.due_at:%Y-%m-%d %H:%M})" if step.due_at else ""
        lines.append(f"{number}. [{step.title}] {step.action}")
        for contact in step.contacts:
            how = contact.phone or contact.url or ""
            lines.append(f"   -> {contact.name}: {how}")
        lines.append(f"   {w['why']}: {step.reason}")
        if step.because:
            lines.append(f"   {w['facts']}: {'; '.join(step.because)}")
        lines.append(f"   {w['record']}: {step.record}")
        if due:
            lines.append(f"   {w['due']}: {due}{when}")
    if result.flags:
        lines += ["", w["flags"]]
        lines += [f"  {f}: {t}" for f, t in zip(result.flags, result.flag_texts, strict=True)]
    if result.open_questions:
        lines += ["", w["questions"]]
        for q in result.open_questions:
            lines.append(f"  ? {q.question}  [{q.fact}] {q.changes}")
    lines += ["", f"{w['contacts']}: " + (", ".join(result.contacts) or w["none"])]
    return "\n".join(lines)


def route_cmd(
    signal_id: Annotated[str | None, typer.Argument(help="Id of a stored signal.")] = None,
    facts: Annotated[
        Path | None, typer.Option("--facts", help="JSON (or YAML) file with routing facts (dry run).")
    ] = None,
    fmt: Format = "text",
    lang: Lang = None,
) -> None:
    """Show the action perspective: what to do now, whom to call, why, and what is still open."""
    fmt = _format(fmt)
    chosen = _lang(lang)
    if (signal_id is None) == (facts is None):
        raise InvalidInput("give either a SIGNAL_ID or --facts FILE")
    if facts is not None:
        data = _read_facts(facts)
        result = service.route_facts(facts_from_mapping(data, str(facts)), settings=context.settings(), lang=chosen)
        title = _WORDS[chosen]["route_facts"].format(name=facts.name)
    else:
        assert signal_id is not None
        store = _store()
        try:
            routed = service.route_signal(store, context.actor(), signal_id, settings=context.settings(), lang=chosen)
        finally:
            store.close()
        result = routed.route
        title = _WORDS[chosen]["route_signal"].format(id=signal_id, status=routed.signal.status.value)
    if fmt == "json":
        _echo_json(result.as_dict())
    else:
        typer.echo(render_route(result, title))


def _read_facts(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise InvalidInput(f"no facts file at {path}")
    if path.suffix.lower() in (".yaml", ".yml"):
        data = parse_yaml(path.name, str(path), path.read_text(encoding="utf-8")).data
    else:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise InvalidInput(f"{path}: not valid JSON (line {exc.lineno}: {exc.msg})") from None
    if not isinstance(data, dict):
        raise InvalidInput(f"{path}: expected an object of facts")
    return data


def render_delphi(results: tuple[DelphiAssessment, ...]) -> str:
    """Readable Delphi advice with the indicators behind each positive dimension."""
    lines = ["Delphi assessment (ILO/EC 2009) - advice only; a person decides."]
    for a in results:
        lines += ["", f"{a.list}: {'MEETS' if a.trafficked else 'does not meet'} the rule"]
        for d in a.dimensions:
            found = [
                f"{s}: {', '.join(ids)}"
                for s, ids in (("strong", d.strong), ("medium", d.medium), ("weak", d.weak))
                if ids
            ]
            mark = "+" if d.positive else "-"
            lines.append(f"  {mark} {d.dimension}" + (f"  ({'; '.join(found)})" if found else ""))
    return "\n".join(lines)


def delphi_cmd(
    signal_id: Annotated[str, typer.Argument(help="Id of a stored signal.")],
    fmt: Format = "text",
) -> None:
    """Assess a signal's indicators with the ILO/EC Delphi rules (advice, with the indicators)."""
    fmt = _format(fmt)
    store = _store()
    try:
        results = service.delphi_for_signal(store, context.actor(), signal_id)
    finally:
        store.close()
    if fmt == "json":
        _echo_json([a.as_dict() for a in results])
    else:
        typer.echo(render_delphi(results))


def decide_cmd(
    signal_id: Annotated[str, typer.Argument(help="Id of a stored signal.")],
    route: Annotated[str, typer.Option("--route", help="The route chosen, in words.")],
    reason: Annotated[str, typer.Option("--reason", help="Why this route.")],
    contact: Annotated[
        list[str] | None,
        typer.Option("--contact", help="Contact id taken up (repeatable); default the computed route."),
    ] = None,
    at: At = None,
) -> None:
    """Record the routing decision for a signal (who, route, reason); the signal becomes routed."""
    store = _store()
    try:
        decision = service.record_decision(
            store,
            context.actor(),
            signal_id,
            route,
            reason,
            contact,
            settings=context.settings(),
            at=parse_moment(at),
        )
    finally:
        store.close()
    typer.echo(
        f"decision recorded for {signal_id} by {decision.decided_by}: {decision.route} "
        f"(contacts: {', '.join(decision.contacts) or 'none'})"
    )


def render_checklist(signal_id: str, current: Checklist, lang: str = "nl") -> str:
    """Readable meldcode checklist in ``lang``."""
    w = _WORDS[lang]
    lines = [w["meldcode"].format(id=signal_id)]
    for item in current.items:
        done = (
            w["done_by"].format(by=item.completed_by, at=f"{item.completed_at:%Y-%m-%d %H:%M}")
            if item.completed_at
            else w["open"]
        )
        lines.append(f"  [{'x' if item.done else ' '}] {item.step.number}. {item.step.title(lang)} - {done}")
    return "\n".join(lines)


def meldcode_cmd(
    signal_id: Annotated[str, typer.Argument(help="Id of a stored signal.")],
    complete: Annotated[str | None, typer.Option("--complete", help="Step to mark done (number 1-5 or id).")] = None,
    note: Annotated[str, typer.Option("--note", help="Note with the completion.")] = "",
    at: At = None,
    fmt: Format = "text",
    lang: Lang = None,
) -> None:
    """Show the five meldcode steps of a signal, or complete one (recording who and when)."""
    fmt = _format(fmt)
    chosen = _lang(lang)
    store = _store()
    try:
        if complete is not None:
            current = service.complete_meldcode_step(
                store,
                context.actor(),
                signal_id,
                complete,
                at=parse_moment(at),
                note=note,
                settings=context.settings(),
            )
        else:
            current = service.meldcode_checklist(store, context.actor(), signal_id, settings=context.settings())
    finally:
        store.close()
    if fmt == "json":
        _echo_json([i.as_dict(chosen) for i in current.items])
    else:
        typer.echo(render_checklist(signal_id, current, chosen))


def close_cmd(
    signal_id: Annotated[str, typer.Argument(help="Id of a stored signal.")],
    reason: Annotated[str, typer.Option("--reason", help="Why the signal is closed.")] = "",
) -> None:
    """Close a signal; refused without a recorded routing decision."""
    store = _store()
    try:
        signal = service.close_signal(store, context.actor(), signal_id, reason)
    finally:
        store.close()
    typer.echo(f"signal {signal.id} is {signal.status.value}")


def _print_referrals(items: list[referral_service.ReferralPublic], fmt: str) -> None:
    if fmt == "json":
        _echo_json([r.as_dict() for r in items])
        return
    if not items:
        typer.echo("no referrals")
    for r in items:
        extra = f", open {r.days_open:.0f} days" if r.days_open is not None else ""
        typer.echo(
            f"#{r.id} signal {r.signal_id} -> {r.contact_id} ({r.contact_name}): {r.state} "
            f"since {r.state_at:%Y-%m-%d}; sent {r.sent_at:%Y-%m-%d} by {r.sent_by}{extra}"
        )


@referrals_app.command("add")
def referrals_add(
    signal_id: Annotated[str, typer.Argument(help="Id of a stored signal.")],
    contact: Annotated[str, typer.Argument(help="Contact id (e.g. police-avim, comensha).")],
    at: At = None,
    note: Annotated[str, typer.Option("--note", help="Note with the referral.")] = "",
) -> None:
    """Record a referral of a signal to a contact (state: sent)."""
    store = _store()
    try:
        ref = referral_service.add_referral(
            store, context.actor(), signal_id, contact, at=parse_moment(at), note=note, settings=context.settings()
        )
    finally:
        store.close()
    typer.echo(f"referral #{ref.id} to {ref.contact_name} recorded (sent {ref.sent_at:%Y-%m-%d})")


@referrals_app.command("update")
def referrals_update(
    referral_id: Annotated[int, typer.Argument(help="Referral number.")],
    state: Annotated[str, typer.Argument(help="accepted, declined or feedback_received.")],
    at: At = None,
    note: Annotated[str, typer.Option("--note", help="Feedback or note.")] = "",
) -> None:
    """Move a referral on: accepted, declined or feedback_received."""
    store = _store()
    try:
        ref = referral_service.update_referral(
            store, context.actor(), referral_id, state, at=parse_moment(at), note=note
        )
    finally:
        store.close()
    typer.echo(f"referral #{ref.id} is {ref.state}")


@referrals_app.command("list")
def referrals_list(
    signal: Annotated[str | None, typer.Option("--signal", help="Only this signal.")] = None,
    state: Annotated[str | None, typer.Option("--state", help="Only this state.")] = None,
    fmt: Format = "text",
) -> None:
    """List referrals with their state."""
    fmt = _format(fmt)
    store = _store()
    try:
        items = referral_service.list_referrals(store, context.actor(), signal, state)
    finally:
        store.close()
    _print_referrals(items, fmt)


@referrals_app.command("overdue")
def referrals_overdue(
    days: Annotated[int | None, typer.Option("--days", help="Days without feedback; default the setting.")] = None,
    fmt: Format = "text",
) -> None:
    """List referrals without feedback after SIGNAAL_REFERRAL_OVERDUE_DAYS (or --days)."""
    fmt = _format(fmt)
    store = _store()
    try:
        items = referral_service.overdue_referrals(store, context.actor(), days=days, settings=context.settings())
    finally:
        store.close()
    _print_referrals(items, fmt)
