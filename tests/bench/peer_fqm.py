"""The peer's side of the peer benchmark: FQM (Free Queue Manager), run in its own Python.

``FQM_PYTHON peer_fqm.py N`` with the working directory an FQM checkout whose requirements
that Python has installed. Prints one JSON object: the milliseconds of N ticket issues and N
calls of the next ticket through FQM's model (``Serial.create_new_ticket``, ``Serial.pull``),
and of N issues and N calls through its HTTP API (``POST /api/v1/tickets``,
``PUT /api/v1/tickets/<id>`` with ``p=true``) on a real server at 127.0.0.1.

This file is not imported by madoguchi: FQM's package is also called ``app``.
"""

import http.client
import json
import os
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.getcwd())  # FQM's `app`, not this folder

WORK = tempfile.mkdtemp()
os.environ["DATABASE_URI"] = f"sqlite:///{WORK}/fqm.sqlite?check_same_thread=False"


def main() -> None:
    import app.main as fqm_main
    from app.database import AuthTokens, Office, Serial, Task, Touch_store
    from app.middleware import db
    from werkzeug.serving import make_server

    fqm_main.start_tasks = lambda *args, **kwargs: {}  # no background text-to-speech caching
    bundle_app = fqm_main.bundle_app

    n = int(sys.argv[1])
    app = bundle_app({"TESTING": True, "DB_NAME": f"{WORK}/fqm.sqlite"})
    figures = {}
    with app.app_context():
        db.create_all()
        touch = Touch_store.get()
        touch.n = True  # registered tickets: FQM prints nothing
        db.session.commit()
        office = Office("1", "A")
        db.session.add(office)
        db.session.commit()
        task = Task("bench")
        task.offices.append(office)
        token = AuthTokens("bench")
        db.session.add_all([task, token])
        db.session.commit()
        # As FQM's own task form does: every task starts with a processed ticket 100.
        db.session.add(Serial(office_id=office.id, task_id=task.id, p=True))
        db.session.commit()
        issue, call = [], []
        for i in range(n):
            start = time.perf_counter()
            ticket, error = Serial.create_new_ticket(task, office, f"{i}")
            issue.append((time.perf_counter() - start) * 1000)
            assert error is None and ticket is not None, error
        for _ in range(n):
            start = time.perf_counter()
            ticket = (
                Serial.query.filter_by(p=False, office_id=office.id).order_by(Serial.number).first()
            )
            ticket.pull(office.id, puller_id=1)
            call.append((time.perf_counter() - start) * 1000)
        figures["model_issue_ms"], figures["model_call_ms"] = issue, call
        task_id, office_id, key = task.id, office.id, token.token

    server = make_server("127.0.0.1", 0, app, threaded=False)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_port
    headers = {"Authorization": f"Token {key}", "Content-Type": "application/json"}
    connection = http.client.HTTPConnection("127.0.0.1", port)
    issue, call, made = [], [], []
    for i in range(n):
        body = json.dumps({"task_id": task_id, "office_id": office_id, "n": True, "name": f"h{i}"})
        start = time.perf_counter()
        connection.request("POST", "/api/v1/tickets/", body, headers)
        response = connection.getresponse()
        data = response.read()
        issue.append((time.perf_counter() - start) * 1000)
        assert response.status == 200, (response.status, data[:200])
        made.append(json.loads(data)["id"])
    for ticket_id in made:
        start = time.perf_counter()
        connection.request("PUT", f"/api/v1/tickets/{ticket_id}", json.dumps({"p": True}), headers)
        response = connection.getresponse()
        data = response.read()
        call.append((time.perf_counter() - start) * 1000)
        assert response.status == 200, (response.status, data[:200])
    server.shutdown()
    figures["http_issue_ms"], figures["http_call_ms"] = issue, call
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
