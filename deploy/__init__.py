"""Running the portal's production profile: gunicorn settings, the local rehearsal
(`make run-prod-local`) and private PostgreSQL / Redis servers for it and for tests."""
