from people import audit_events, sign_in_victim


def test_victim_signs_in_and_sees_my_case(client, session, world):
    response = sign_in_victim(client, session, "01/000001/26")
    assert response.status_code == 303
    page = client.get("/my-case")
    assert page.status_code == 200
    assert "01/000001/26" in page.get_data(as_text=True)
    assert [e.subject for e in audit_events(session, "victim.view")] == [
        f"victim:{world.victim_a.id}"
    ]
