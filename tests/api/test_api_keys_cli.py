"""`flask api-keys create/revoke/list`: the key is shown once and only its hash is kept."""

import hashlib

from sqlmodel import select

from portal.models import ApiKey


def test_create_prints_a_working_key_once_and_stores_only_its_hash(app, client, session):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["api-keys", "create", "leeds-rms", "--force", "West Yorkshire"])
    assert result.exit_code == 0, result.output
    secret = result.output.strip().splitlines()[-1]
    assert len(secret) > 40

    stored = session.exec(select(ApiKey)).one()
    assert stored.name == "leeds-rms" and stored.force == "West Yorkshire"
    assert stored.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in repr(stored.model_dump())

    listing = runner.invoke(args=["api-keys", "list"])
    assert "leeds-rms" in listing.output and "active" in listing.output
    assert secret not in listing.output

    response = client.get("/api/v1/cases/01/1/26", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 404  # signed in; there is just no such case


def test_names_are_unique_and_plain(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["api-keys", "create", "rms"]).exit_code == 0
    again = runner.invoke(args=["api-keys", "create", "rms"])
    assert again.exit_code == 1 and "already exists" in again.output
    for bad in ["Upper", "with space", "x" * 57, ".dot-first", "naïve"]:
        assert runner.invoke(args=["api-keys", "create", bad]).exit_code == 1


def test_revoke_refuses_an_unknown_or_already_revoked_key(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["api-keys", "revoke", "nobody"]).exit_code == 1
    runner.invoke(args=["api-keys", "create", "rms"])
    assert runner.invoke(args=["api-keys", "revoke", "rms"]).exit_code == 0
    assert runner.invoke(args=["api-keys", "revoke", "rms"]).exit_code == 1
    assert "revoked" in runner.invoke(args=["api-keys", "list"]).output
