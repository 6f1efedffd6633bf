# expect: time_limit  -- ignores SIGTERM, SIGINT, SIGHUP, SIGXCPU, SIGALRM, SIGUSR1/2 and busy-loops: only SIGKILL ends it
import signal

for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGXCPU, signal.SIGALRM, signal.SIGUSR1,
            signal.SIGUSR2, signal.SIGVTALRM, signal.SIGPROF):
    signal.signal(sig, signal.SIG_IGN)
while True:
    pass
