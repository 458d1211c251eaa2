import requests
from flask import Flask, jsonify

UPSTREAM = "https://example.invalid/status"  # BENCH-EDIT: the benchmark edits this line
app = Flask(__name__)


@app.get("/health")
def health():
    return jsonify(upstream=UPSTREAM, requests=requests.__version__)
