"""The baseline of ``make bench-web``: a bare Flask app with one route, served by the same
gunicorn set-up as the site, so that each page's rate reads as a share of what the server, the
machine and the load tool allow at all (scripts/bench_web.py)."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "hello"
