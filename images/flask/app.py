"""Article 001's Flask API on 6001: every answer says which container gave it,
in its body and, like every lab server, in the X-Netproof-Server header
($NP_SERVER_ID, the lab's name for it), which nginx passes through."""
import os
import socket

from flask import Flask, request

app = Flask(__name__)


@app.route("/")
def hello():
    hostname = socket.gethostname()
    # Docker writes the container's own address for its hostname into /etc/hosts.
    address = socket.gethostbyname(hostname)
    body = f"flask model_test: hostname {hostname}, address {address}, request from {request.remote_addr}\n"
    return body, 200, {"X-Netproof-Server": os.environ.get("NP_SERVER_ID", "unnamed")}


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=6001)
