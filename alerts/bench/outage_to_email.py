"""Time from an outage's start to the email, over where the outage falls in the probe's minute.

usage: python3 alerts/bench/outage_to_email.py VIGIE [OFFSET_S ...]

For each offset (default 5 15 25 35 45 55), in parallel: a real SMTP server
(tests/support/smtp_sink.py) on a free loopback port, and `VIGIE probe` with the default
thresholds (60 s grid, 10 s re-probes, 2 failures) on one operation (statut-usager n) of the
embedded simulators, whose outage starts OFFSET_S seconds after vigie starts. Prints, per run,
where the outage fell after the grid's probe (read from the store), when the email arrived
after the outage's start (the sink's clock and the outage's are the same machine's), then the
mean and the worst. Every process stops by itself (--for-seconds 150).
"""

import os
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SINK = os.path.join(HERE, "..", "..", "tests", "support", "smtp_sink.py")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(vigie, offset_s, root):
    d = os.path.join(root, f"run{offset_s}")
    os.makedirs(os.path.join(d, "mail"))
    port = free_port()
    sink = subprocess.Popen(
        [sys.executable, SINK, str(port), os.path.join(d, "mail")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    assert sink.stdout.readline().strip() == b"ready"
    with open(os.path.join(d, "vigie.toml"), "w") as f:
        f.write(
            f"""[store]
path = "{d}/probes.sqlite"
[[probes]]
api = "statut-usager"
version = "n"
[alerts.email]
server = "127.0.0.1"
port = {port}
from = "Vigie <vigie@departement.example.fr>"
to = ["supervision@departement.example.fr"]
"""
        )
    start_ms = int(time.time() * 1000) + offset_s * 1000
    with open(os.path.join(d, "sim.toml"), "w") as f:
        f.write(
            '[[faults]]\napi = "statut-usager"\nversion = "n"\n'
            f"outages = [{{ from_ms = {start_ms}, to_ms = {start_ms + 600_000} }}]\n"
        )
    probe = subprocess.Popen(
        [vigie, "probe", "--config", f"{d}/vigie.toml", "--sim-config", f"{d}/sim.toml",
         "--for-seconds", "150"],
        stdout=subprocess.DEVNULL,
        stderr=open(os.path.join(d, "log"), "w"),
    )
    return d, start_ms, sink, probe


def main():
    vigie = sys.argv[1]
    offsets = [int(a) for a in sys.argv[2:]] or [5, 15, 25, 35, 45, 55]
    root = tempfile.mkdtemp(prefix="outage-to-email-")
    runs = [start(vigie, o, root) for o in offsets]
    delays = []
    for d, start_ms, sink, probe in runs:
        probe.wait(timeout=200)
        sink.stdin.close()
        sink.wait(timeout=10)
        mails = sorted(
            int(open(os.path.join(d, "mail", m)).read())
            for m in os.listdir(os.path.join(d, "mail"))
            if m.endswith(".ms")
        )
        db = sqlite3.connect(f"{d}/probes.sqlite")
        first_due = db.execute("select min(scheduled_ms) from probes").fetchone()[0]
        phase = ((start_ms - first_due) % 60_000) / 1000
        if not mails:
            print(f"outage {phase:5.1f} s after a grid probe: no email")
            continue
        delay = (mails[0] - start_ms) / 1000
        delays.append(delay)
        print(f"outage {phase:5.1f} s after a grid probe: email {delay:5.1f} s after its start")
    if delays:
        print(f"mean {sum(delays) / len(delays):.1f} s, worst {max(delays):.1f} s over {len(delays)} runs")


if __name__ == "__main__":
    main()
