"""The home page (each role's starting point), the account page placeholder, and the API documentation page
(rendered here from FastAPI's OpenAPI schema, so that no script or stylesheet comes from elsewhere)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from dashboards.web.context import User
from dashboards.web.routes.common import redirect
from dashboards.web.templating import render

router = APIRouter()
START = {"admin": "/phan-loai", "monitor": "/phan-loai", "dau_moi": "/ho-so", "leader": "/xu-huong"}


@router.get("/")
def home(me: User) -> Response:
    return redirect(START.get(me.user.role, "/ho-so"))


@router.get("/tai-khoan")
def account(request: Request, me: User) -> Response:
    return render(request, "account.html", {})


def _operations(schema: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for path, methods in schema.get("paths", {}).items():
        for method, operation in methods.items():
            params = [
                {
                    "name": p["name"],
                    "where": p.get("in", ""),
                    "required": p.get("required", False),
                    "description": p.get("description", ""),
                }
                for p in operation.get("parameters", [])
            ]
            out.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "params": params,
                    "body": "requestBody" in operation,
                }
            )
    return out


@router.get("/api/docs")
def api_docs(request: Request, me: User) -> Response:
    schema = request.app.openapi()
    return render(request, "api_docs.html", {"info": schema.get("info", {}), "operations": _operations(schema)})
