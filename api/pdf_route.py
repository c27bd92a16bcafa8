"""Statement, reminder and finance charge memo PDFs are customer data: served only to a Bearer
key with the read scope, by delivery id."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from api.auth import bearer_token, hash_key
from store.api_keys import find_api_key
from store.collections.deliveries import delivery_pdf_file


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
        found = await delivery_pdf_file(conn, delivery_id)
    if found is None:
        return JSONResponse({"error": "no PDF for this delivery id"}, status_code=404)
    pdf, filename = found
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{filename}"'},
    )
