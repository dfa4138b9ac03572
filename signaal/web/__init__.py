"""The web application: server-rendered pages and a JSON API over the same service layer as the CLI.

``create_app(settings)`` builds it; ``signaal serve`` runs it with uvicorn.
"""

from signaal.web.app import create_app

__all__ = ["create_app"]
