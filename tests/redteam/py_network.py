# expect: correct  -- network: the runner's loopback TCP listener and abstract unix socket (reachable only from a shared network namespace), public IPs over TCP and UDP, DNS; NET if anything works
import socket
import sys

a, b = map(int, sys.stdin.readline().split())
worked = []


def attempt(label, action):
    try:
        action()
        worked.append(label)
    except OSError:
        pass


def tcp(host, port):
    socket.create_connection((host, port), timeout=0.5).close()


def abstract():
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(0.5)
        s.connect("\0@@ABSTRACT@@")


def udp():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.sendto(b"hello", ("1.1.1.1", 53))


attempt("loopback tcp", lambda: tcp("127.0.0.1", int("@@PORT@@")))
attempt("abstract unix", abstract)
attempt("tcp 1.1.1.1:53", lambda: tcp("1.1.1.1", 53))
attempt("tcp 8.8.8.8:443", lambda: tcp("8.8.8.8", 443))
attempt("udp 1.1.1.1:53", udp)
attempt("dns", lambda: socket.getaddrinfo("example.com", 80))
print(f"NET {worked}" if worked else a + b)
