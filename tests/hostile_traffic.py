"""What the hostile-traffic tests of the public endpoints share (test_abuse_capture,
test_abuse_telephony): raw HTTP from a chosen loopback address, a huge chunked body, the
workers' peak memory, and a flood run while a real client keeps sending."""

import http.client
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path


def all_at_once(send, items, timeout=120):
    """``[send(item) for item in items]``, each from its own thread, released together
    (what a PBX or a double-clicking visitor does to one call or one contact)."""
    barrier = threading.Barrier(len(items))
    answers = [None] * len(items)

    def run(index):
        barrier.wait()
        answers[index] = send(items[index])

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(items))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    return answers


HUGE_CHUNKED = 48 * 1024 * 1024
# what a flood may add to the workers' peak memory: a few bodies at the endpoint's limit
# and their parsing, nowhere near the 48 MiB a single chunked body would cost if read
MAX_RSS_GROWTH_KB = 40 * 1024


class Client:
    """Raw HTTP from a given loopback source address, with headers sent every time."""

    def __init__(self, port, source, headers):
        self.port, self.source, self.headers = port, source, headers

    def post(self, path, body, headers=None, chunked=False):
        """(status, content type, body) of the answer; (None, "", b"") when the server
        closed the connection (it does for a body it will not read to its end)."""
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=60, source_address=(self.source, 0)
        )
        try:
            connection.request(
                "POST",
                path,
                body=body,
                headers={**self.headers, **(headers or {})},
                encode_chunked=chunked,
            )
            response = connection.getresponse()
            return response.status, response.getheader("Content-Type", ""), response.read()
        except (ConnectionError, http.client.HTTPException, TimeoutError, OSError):
            return None, "", b""
        finally:
            connection.close()


def huge_chunks(head, tail=b'"}'):
    """A JSON body of ``HUGE_CHUNKED`` bytes, sent 1 MiB a chunk."""
    block = b"x" * (1024 * 1024)
    yield head
    for _i in range(HUGE_CHUNKED // len(block)):
        yield block
    yield tail


def peak_rss_kb(pids):
    """The largest resident set (VmHWM: the peak) among processes, in KiB."""
    peak = 0
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                peak = max(peak, int(line.split()[1]))
    return peak


def tally(counts, lock, key):
    """Count one attacker request answered as ``key``."""
    with lock:
        counts[key] = counts.get(key, 0) + 1
        counts["sent"] = counts.get("sent", 0) + 1


def under_flood(attack, threads, real_requests, seconds):
    """Call each of ``real_requests`` (callables), spread over ``seconds``, while
    ``threads`` threads run ``attack(stop, counts, lock)`` until ``stop`` is set.

    :return: (the real requests' answers, the attack's counts, elapsed seconds)
    """
    stop, lock, counts = threading.Event(), threading.Lock(), {}
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        floods = [pool.submit(attack, stop, counts, lock) for _i in range(threads)]
        answers = []
        for send in real_requests:
            time.sleep(seconds / len(real_requests))
            answers.append(send())
        stop.set()
        for flood in floods:
            flood.result()
    return answers, counts, time.monotonic() - started
