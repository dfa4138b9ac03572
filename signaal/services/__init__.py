"""The service layer: every CLI command, API route and web page calls one function here.

Each function takes the :class:`~signaal.store.Store` and the acting
:class:`~signaal.domain.actor.Actor` first.
"""
