"""`python -m landscape ctgov fetch`: download study records from the ClinicalTrials.gov API v2 with the
standard library only (paging, timeouts, retries with backoff) into one JSON file, written atomically.
Never needed by the dashboard or the tests against the network; the import reads what this writes."""

from __future__ import annotations

import http.client
import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

from landscape.atomic import write_text_atomic

DEFAULT_BASE_URL = "https://clinicaltrials.gov/api/v2"
BASE_URL_ENV = "LANDSCAPE_CTGOV_BASE_URL"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_PAGES = 1000


class FetchError(RuntimeError):
    """The registry could not be reached or answered with something other than a page of studies."""


def base_url(explicit: str | None = None) -> str:
    """Return the API base: the explicit option, else $LANDSCAPE_CTGOV_BASE_URL, else the public API."""
    return (explicit or os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL).rstrip("/")


def studies_url(base: str, params: dict[str, str]) -> str:
    """Return the /studies address with the query parameters encoded."""
    return f"{base}/studies?{urllib.parse.urlencode(params)}"


def get_json(
    url: str, timeout: float, retries: int, backoff: float, sleep: Callable[[float], None] = time.sleep
) -> Any:
    """Return the parsed JSON at url, retrying transient failures (network errors, 429 and 5xx) with
    exponential backoff; raise FetchError with a message a curator can act on."""
    host = urllib.parse.urlsplit(url).netloc
    request = urllib.request.Request(
        url, headers={"Accept": "application/json", "User-Agent": "her2-gastric-landscape (curation import)"}
    )
    for attempt in range(retries + 1):
        wait = backoff * 2**attempt
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                body = response.read()
            break
        except urllib.error.HTTPError as err:
            if err.code not in RETRY_STATUSES or attempt == retries:
                raise FetchError(f"{host} answered HTTP {err.code} {err.reason} for {url}") from None
            retry_after = err.headers.get("Retry-After", "") if err.headers else ""
            if retry_after.isdigit():
                wait = min(float(retry_after), 60.0)
        except (urllib.error.URLError, TimeoutError, ConnectionError, http.client.HTTPException) as err:
            if attempt == retries:
                reason = getattr(err, "reason", err)
                raise FetchError(
                    f"could not reach {host} after {retries + 1} attempt(s) ({reason}); are you offline? "
                    "The import works on files you already have."
                ) from None
        sleep(wait)
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise FetchError(f"{host} did not answer with JSON for {url} ({err})") from None


def fetch_studies(
    nct_ids: list[str] | None = None,
    query: str | None = None,
    base: str | None = None,
    page_size: int = 100,
    timeout: float = 30.0,
    retries: int = 3,
    backoff: float = 1.0,
    sleep: Callable[[float], None] = time.sleep,
) -> list[dict[str, Any]]:
    """Return every study matching the NCT ids or the search text, following nextPageToken."""
    if bool(nct_ids) == bool(query):
        raise ValueError("give NCT ids or a query, not both or neither")
    params = {"format": "json", "pageSize": str(page_size)}
    params.update({"filter.ids": ",".join(nct_ids)} if nct_ids else {"query.term": str(query)})
    studies: list[dict[str, Any]] = []
    tokens: set[str] = set()
    for _page in range(MAX_PAGES):
        page = get_json(studies_url(base_url(base), params), timeout, retries, backoff, sleep)
        if not isinstance(page, dict) or not isinstance(page.get("studies"), list):
            raise FetchError('the registry answered without a "studies" list')
        studies += page["studies"]
        token = page.get("nextPageToken")
        if not token:
            return studies
        if token in tokens:
            raise FetchError(f"the registry repeated page token {token!r}; stopping")
        tokens.add(token)
        params["pageToken"] = token
    raise FetchError(f"more than {MAX_PAGES} pages; narrow the query")


def write_studies(path: Path, studies: list[dict[str, Any]]) -> None:
    """Write the studies as one API v2 page ({"studies": [...]}), atomically."""
    write_text_atomic(path, json.dumps({"studies": studies}, ensure_ascii=False, indent=1) + "\n")
