"""The OpenAPI document is generated from the models that check the requests: every
event type with its own params, every supported locale, every error answer."""

from portal.i18n import SUPPORTED_LOCALES
from portal.services.events import EVENT_TYPES


def test_the_document_lists_what_the_api_accepts(client):
    spec = client.get("/api/v1/openapi.json").json
    schemas = spec["components"]["schemas"]

    mapping = schemas["NewEvent"]["discriminator"]["mapping"]
    assert set(mapping) == set(EVENT_TYPES)
    assert schemas["ChargedFields"]["required"] == ["offence", "court_date", "court_place"]
    assert schemas["ChargedFields"]["additionalProperties"] is False
    assert schemas["NewVictim"]["properties"]["locale"]["enum"] == list(SUPPORTED_LOCALES)
    assert schemas["NewCase"]["additionalProperties"] is False

    operations = {
        (path, method): operation
        for path, methods in spec["paths"].items()
        for method, operation in methods.items()
    }
    assert set(operations) == {
        ("/api/v1/cases", "post"),
        ("/api/v1/cases/{crime_reference}", "get"),
        ("/api/v1/cases/{crime_reference}/events", "post"),
        ("/api/v1/cases/{crime_reference}/outcome", "post"),
        ("/api/v1/cases/{crime_reference}/withdrawals", "post"),
    }
    for operation in operations.values():
        assert {"401", "429"} <= set(operation["responses"])
    assert spec["security"] == [{"bearer": []}]
