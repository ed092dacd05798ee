"""The web app over one index: :func:`create_app` (FastAPI), its state, and errors as one JSON message.

The index is opened read-only (SQLite ``mode=ro``): the app cannot change
it. The connections are opened when the app starts and used from its event
loop only (the routes are ``async``), so one thread ever touches them.
The HTML pages (:mod:`textreuse.web.pages`) sit beside the JSON API. Every
error is ``{"error": "..."}`` with its HTTP status under ``/api``, and an
HTML page with that status and message elsewhere; nothing answers with a
stack trace.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.exceptions import HTTPException

from textreuse import __version__
from textreuse.errors import TextReuseError
from textreuse.index.store import Store
from textreuse.web.api import router
from textreuse.web.options import WebOptions
from textreuse.web.pages import router as pages
from textreuse.web.render import error_page
from textreuse.web.state import AppState
from textreuse.web.uploads import UploadError

__all__ = ["create_app"]


def create_app(db_path: str | os.PathLike[str], options: WebOptions | None = None) -> FastAPI:
    """The web app over the index at ``db_path``, opened read-only (a bad index raises :class:`TextReuseError` now)."""
    path = Path(db_path)
    options = options or WebOptions()
    Store(path, readonly=True).close()  # fails here, with a one-line message, on a missing or bad index

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.textreuse = AppState(path, options, Store(path, readonly=True))
        try:
            yield
        finally:
            app.state.textreuse.close()

    app = FastAPI(
        title="textreuse",
        version=__version__,
        summary="Where text was reused, in one index: search, check a text, families, pairs, documents.",
        lifespan=lifespan,
    )
    app.include_router(router)
    app.include_router(pages)
    _error_handlers(app)
    return app


def _error(request: Request, status: int, message: str) -> JSONResponse | HTMLResponse:
    """The error as JSON under ``/api``, as an HTML page elsewhere."""
    path = request.url.path
    if path.startswith("/api") or path in ("/docs", "/redoc", "/openapi.json"):
        return JSONResponse({"error": message}, status_code=status)
    return error_page(request, status, message)


def _error_handlers(app: FastAPI) -> None:
    """Every error with its status and message (:func:`_error`); unexpected ones as a 500 without a stack trace."""

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse | HTMLResponse:
        return _error(request, exc.status_code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> JSONResponse | HTMLResponse:
        problems = []
        for e in exc.errors():
            where = ".".join(str(x) for x in e.get("loc", ()) if x not in ("query", "path", "body"))
            problems.append(f"{where}: {e.get('msg', 'invalid')}" if where else str(e.get("msg", "invalid")))
        return _error(request, 422, "bad request: " + "; ".join(problems))

    @app.exception_handler(UploadError)
    async def bad_upload(request: Request, exc: UploadError) -> JSONResponse | HTMLResponse:
        return _error(request, exc.status, exc.message)

    @app.exception_handler(TextReuseError)
    async def bad_input(request: Request, exc: TextReuseError) -> JSONResponse | HTMLResponse:
        return _error(request, 400, str(exc))

    @app.exception_handler(Exception)
    async def internal(request: Request, exc: Exception) -> JSONResponse | HTMLResponse:
        return _error(request, 500, f"internal error ({type(exc).__name__}); the server log has the details")
