"""Report downloads: GET /reports/aged-receivables.csv (or .pdf, or aged-payables.*) with the
agedReceivables arguments as query parameters (the connection's csvUrl / pdfUrl), for a Bearer
key with the read scope.

The CSV is written here, streamed a page of rows at a time. The PDF is laid out by a worker
(Typst, as statements are: CPU work that must not stall the API's event loop, and api/ cannot
import the renderer in workers/); this handler waits for it (store.reports.queue).
"""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator, Sequence
from datetime import date

from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse

from api.auth import bearer_token, hash_key
from domain.errors import DomainError, ErrorCode
from domain.reports import DEFAULT_PERIODS, AgedBalance, AgingBasis, AgingLayout, aging_layout
from store.api_keys import find_api_key
from store.reports.aging import PAYABLES, RECEIVABLES, AgedLedger, aged_rows, check_parties
from store.reports.aging import lcy_code as load_lcy_code
from store.reports.queue import AgedReportJob, ReportNotRendered, render_aged_report_pdf
from store.statements.queue import DEFAULT_QUEUE_NAME

REPORTS = {
    "aged-receivables": (RECEIVABLES, "customerNos"),
    "aged-payables": (PAYABLES, "vendorNos"),
}


async def report_download(request: Request) -> Response:
    """401 without a known key, 403 without the read scope, 404 for an unknown report or
    format, 400 (JSON with code, message, field) for bad arguments, 503 when no worker
    rendered a PDF in time."""
    token = bearer_token(request.headers.get("authorization"))
    record = (
        None if token is None else await find_api_key(request.app.state.engine, hash_key(token))
    )
    if record is None:
        return _error(401, "missing or unknown API key: send 'Authorization: Bearer <key>'")
    if "read" not in record.scopes:
        return _error(403, "this needs the 'read' scope")
    report, fmt = request.path_params["report"], request.path_params["fmt"]
    if report not in REPORTS or fmt not in ("csv", "pdf"):
        return _error(404, "unknown report: /reports/aged-receivables.csv|pdf, aged-payables.*")
    ledger, parties_arg = REPORTS[report]
    params = request.query_params
    party_nos = params.getlist(parties_arg) or None
    currency_code = params.get("currencyCode")
    try:
        layout = _layout(params.get("asOf"), params.get("agingBy"), params.getlist("periods"))
        async with request.app.state.read_engine.connect() as conn:
            if party_nos is not None:
                await check_parties(conn, ledger, party_nos)
            lcy = await load_lcy_code(conn)
    except DomainError as exc:
        return _error(400, exc.message, exc.code.value, exc.field)
    filename = f"{report}-{layout.as_of.isoformat()}.{fmt}"
    if fmt == "csv":
        lines = _csv(request, ledger, layout, currency_code, party_nos, lcy)
        return StreamingResponse(
            lines,
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )
    job = AgedReportJob(
        ledger=ledger.name,
        as_of=layout.as_of,
        basis=layout.basis.value,
        periods=layout.periods,
        currency_code=currency_code,
        party_nos=None if party_nos is None else tuple(party_nos),
    )
    queue = str(getattr(request.app.state, "statement_queue", DEFAULT_QUEUE_NAME))
    try:
        pdf = await render_aged_report_pdf(request.app.state.redis, queue, job)
    except ReportNotRendered as exc:
        return _error(503, f"{exc}: is `lettrage worker` running?")
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{filename}"'},
    )


def _layout(as_of: str | None, aging_by: str | None, periods: Sequence[str]) -> AgingLayout:
    try:
        day = date.fromisoformat(as_of) if as_of else date.today()
    except ValueError as exc:
        raise DomainError(
            ErrorCode.INVALID_INPUT, f"asOf must be a date YYYY-MM-DD, not {as_of!r:.40}", ["asOf"]
        ) from exc
    try:
        basis = AgingBasis(aging_by or AgingBasis.DUE_DATE.value)
    except ValueError as exc:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            "agingBy must be DUE_DATE, POSTING_DATE or DOCUMENT_DATE",
            ["agingBy"],
        ) from exc
    return aging_layout(day, basis, periods or DEFAULT_PERIODS)


def csv_header(layout: AgingLayout, party: str) -> list[str]:
    due = layout.basis is AgingBasis.DUE_DATE
    labels = [c.label for c in layout.columns]
    return [party, "name", "currencyCode", *(["notDue"] if due else []), *labels, "total"] + [
        "totalLcy"
    ]


def csv_row(layout: AgingLayout, row: AgedBalance, lcy: str) -> list[str]:
    """One row: amounts as plain decimals (a point, no grouping); a blank currency is LCY."""
    due = layout.basis is AgingBasis.DUE_DATE
    amounts = [*([row.not_due] if due else []), *row.buckets, row.total, row.total_lcy]
    return [
        row.party_no,
        row.party_name,
        row.currency_code or lcy,
        *(format(a, "f") for a in amounts),
    ]


async def _csv(
    request: Request,
    ledger: AgedLedger,
    layout: AgingLayout,
    currency_code: str | None,
    party_nos: list[str] | None,
    lcy: str,
) -> AsyncIterator[str]:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(csv_header(layout, "customerNo" if ledger is RECEIVABLES else "vendorNo"))
    async with request.app.state.read_engine.connect() as conn:
        async for page in aged_rows(
            conn, ledger, layout, currency_code=currency_code, party_nos=party_nos
        ):
            writer.writerows(csv_row(layout, row, lcy) for row in page)
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    if out.getvalue():
        yield out.getvalue()


def _error(
    status: int, message: str, code: str | None = None, field: Sequence[str] | None = None
) -> JSONResponse:
    body: dict[str, object] = {"error": message}
    if code is not None:
        body["code"] = code
    if field is not None:
        body["field"] = list(field)
    return JSONResponse(body, status_code=status)
