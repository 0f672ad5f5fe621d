"""bacowr's REST API and dashboard (FastAPI). Build the app with `create_app(settings)`."""

from api.app import create_app

__all__ = ["create_app"]
