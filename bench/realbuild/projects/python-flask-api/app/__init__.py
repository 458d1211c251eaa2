from flask import Flask, jsonify

GREETING = "hello from python-flask-api v1"  # BENCH-EDIT: the benchmark edits this line


def create_app() -> Flask:
    app = Flask(__name__)

    @app.get("/")
    def index():
        return jsonify(greeting=GREETING)

    return app
