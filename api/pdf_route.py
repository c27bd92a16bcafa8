"""Statement PDFs are customer data: served only to a Bearer key with the read scope."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from api.auth import bearer_token, hash_key
from store.api_keys import find_api_key
from store.statement_runs import delivery_pdf


async def statement_pdf(request: Request) -> Response:
    """GET /statements/{delivery_id}.pdf: 401 without a known key, 403 without the read
    scope, 404 when the delivery or its PDF does not exist (yet)."""
    token = bearer_token(request.headers.get("authorization"))
    record = (
        None if token is None else await find_api_key(request.app.state.engine, hash_key(token))
    )
    if record is None:
        return JSONResponse(
            {"error": "missing or unknown API key: send 'Authorization: Bearer <key>'"},
            status_code=401,
        )
    if "read" not in record.scopes:
        return JSONResponse({"error": "this needs the 'read' scope"}, status_code=403)
    delivery_id: int = request.path_params["delivery_id"]
    async with request.app.state.engine.connect() as conn:
        pdf = await delivery_pdf(conn, delivery_id)
    if pdf is None:
        return JSONResponse({"error": "no statement PDF with this id"}, status_code=404)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="statement-{delivery_id}.pdf"'},
    )
