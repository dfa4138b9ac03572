"""A confirmation step before an action that cannot simply be undone (GOV.UK's "are you sure" page).

A form posts as usual; without ``confirmed=yes`` the server answers with a page that says what will
happen, repeats the posted fields as hidden inputs and asks to confirm or cancel. It works without
JavaScript; the action itself runs only on the second, confirmed post.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from signaal.web.context import render
from signaal.web.security import CSRF_FIELD

__all__ = ["CONFIRMED", "ask_confirmation", "confirmed"]

#: The field a confirmation page adds to the repeated form.
CONFIRMED = "confirmed"


def confirmed(posted: Any) -> bool:
    """Whether a post comes from a confirmation page."""
    return bool(posted.get(CONFIRMED) == "yes")


def ask_confirmation(request: Request, posted: Any, what: str, back: str, **values: Any) -> Response:
    """The confirmation page for ``what``; a caller shows it unless the post is ``confirmed``.

    ``what`` names the texts ``confirm.<what>.title``, ``.text`` and ``.button``; ``values`` fill their
    placeholders; ``back`` is where "cancel" goes (a path of this site).
    """
    fields = [
        (name, value)
        for name, value in posted.multi_items()
        if isinstance(value, str) and name not in (CSRF_FIELD, CONFIRMED)
    ]
    context = {
        "what": what,
        "values": values,
        "fields": fields,
        "action": request.url.path,
        "back": back if back.startswith("/") and not back.startswith("//") else "/signals",
    }
    return render(request, "confirm.html", context)
