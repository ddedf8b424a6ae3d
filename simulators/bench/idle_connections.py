# Holds N idle connections to a running `vigie simulate`, asks for a page meanwhile, then
# waits for the server to close them: python3 simulators/bench/idle_connections.py PORT N
import socket, time, sys, urllib.request
port = int(sys.argv[1]); n = int(sys.argv[2])
socks = []
for i in range(n):
    s = socket.socket(); s.settimeout(5)
    try: s.connect(("127.0.0.1", port)); socks.append(s)
    except Exception as e: print("connect failed at", i, e); break
print(len(socks), "idle connections open")
time.sleep(1)
def get():
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/openapi", timeout=5) as r: return r.status
    except urllib.error.HTTPError as e: return e.code
    except Exception as e: return repr(e)
print("a request while they are held:", get())
t0 = time.time()
alive = len(socks)
while alive and time.time() - t0 < 30:
    alive = 0
    for s in socks:
        try:
            s.setblocking(False)
            d = s.recv(1)
            if d: alive += 1
        except BlockingIOError: alive += 1
        except Exception: pass
    time.sleep(0.5)
print(f"all closed by the server after {time.time()-t0:.1f} s" if not alive else f"{alive} still open after 30 s")
print("a request after:", get())
