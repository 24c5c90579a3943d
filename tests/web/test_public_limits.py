"""The public pages' per-address limit, and client addresses behind a load balancer."""

from tests.support.apps import make_app


def test_public_pages_share_a_per_address_limit_but_quick_exit_never_stops():
    client = make_app(PUBLIC_PAGE_LIMIT_PER_IP="3 per minute").test_client()
    assert [client.get("/rights").status_code for _ in range(3)] == [200, 200, 200]
    assert client.get("/rights/6").status_code == 429
    assert all(client.get("/exit").status_code == 303 for _ in range(5))


def test_behind_one_trusted_proxy_each_client_address_has_its_own_limit():
    app = make_app(PUBLIC_PAGE_LIMIT_PER_IP="2 per minute", TRUSTED_PROXY_COUNT=1)
    client = app.test_client()

    def from_(address: str) -> int:
        return client.get("/rights", headers={"X-Forwarded-For": address}).status_code

    assert [from_("203.0.113.7"), from_("203.0.113.7"), from_("203.0.113.7")] == [200, 200, 429]
    assert from_("198.51.100.2") == 200


def test_without_a_trusted_proxy_forwarded_addresses_are_ignored():
    client = make_app(PUBLIC_PAGE_LIMIT_PER_IP="2 per minute").test_client()
    codes = [
        client.get("/rights", headers={"X-Forwarded-For": f"203.0.113.{n}"}).status_code
        for n in range(3)
    ]
    assert codes == [200, 200, 429]
