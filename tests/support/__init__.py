"""Support code for the tests, shared with deploy/ and bench/: fakes of the outside
services (Twilio, SMTP, in-memory providers), throw-away databases, dispatch worker
processes, and the apps the tests run against. Nothing here is a test."""
