"""The smallest Flask app, served like the portal by `bench.load`: the practical ceiling
of gunicorn + Flask on this machine."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "Hello, World!"
