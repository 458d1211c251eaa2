import sys

from flask import Flask, __version__ as flask_version, jsonify

GREETING = "hello from python-pip-constraints v1"  # BENCH-EDIT: the benchmark edits this line

app = Flask(__name__)


@app.get("/")
def index():
    return jsonify(greeting=GREETING, flask=flask_version)


if __name__ == "__main__":
    if "--once" in sys.argv:
        print(GREETING, app.test_client().get("/").get_json())
    else:
        app.run(host="0.0.0.0", port=8000)
