"""Filling in the officer's event form the way a browser does."""

from __future__ import annotations

import re
from datetime import datetime
from html import unescape

from portal.web.staff.event_form import local_parts


def start_form(client, case_id: int, event_type: str) -> dict[str, str]:
    """Open the form; return what it holds before the officer types (submission id...)."""
    page = client.get(f"/staff/cases/{case_id}/events/new?type={event_type}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    found = {
        name: re.search(rf'name="{name}" value="([^"]*)"', html).group(1)
        for name in ("submission", "occurred_date", "occurred_time")
    }
    assert re.fullmatch("[0-9a-f]{32}", found["submission"])
    return {"type": event_type, "send": "now", **found}


def when(value: datetime, prefix: str) -> dict[str, str]:
    """Form fields for a date and time (typed in UK time)."""
    day, clock = local_parts(value)
    return {f"{prefix}_date": day, f"{prefix}_time": clock}


def hidden_fields(html: str) -> dict[str, str]:
    """The hidden inputs of the preview's confirm form, as the browser would send them."""
    return {
        name: unescape(value)
        for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', html)
        if name != "csrf_token"
    }
