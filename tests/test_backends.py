"""Backends without a model: the OpenAI-compatible client against a stub server, replay formats,
seeds and the model registry."""
from __future__ import annotations

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from evals.backends import Request, Sampling, derive_seed, open_backend, prompt_opens_think
from evals.backends.replay import ReplayBackend
from evals.benchmarks import BENCHMARKS
from evals.models import MODELS, resolve_model

from .conftest import replay_file
from .test_runner import evals, results


class StubServer(BaseHTTPRequestHandler):
    """Answers chat completions like a reasoning server; fails each first request once with a 503."""

    seen: list[dict] = []
    failed: set[str] = set()
    in_flight = 0
    max_in_flight = 0
    lock = threading.Lock()

    def log_message(self, *args) -> None:  # keep test output quiet
        pass

    def do_GET(self) -> None:  # what vLLM answers about itself (its dev-only /server_info is absent here)
        replies = {"/v1/models": {"object": "list", "data": [
                       {"id": "other", "owned_by": "vllm", "root": "/elsewhere"},
                       {"id": "served-name", "owned_by": "vllm", "root": "/weights/r1-7b", "max_model_len": 4096}]},
                   "/version": {"version": "0.99.1"}}
        if self.path not in replies:
            self.send_error(404)
            return
        data = json.dumps(replies[self.path]).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        key = body["messages"][-1]["content"]
        cls = type(self)
        with cls.lock:
            cls.seen.append(body)
            first = key not in cls.failed
            cls.failed.add(key)
            cls.in_flight += 1
            cls.max_in_flight = max(cls.max_in_flight, cls.in_flight)
        time.sleep(0.05)
        with cls.lock:
            cls.in_flight -= 1
        if first:
            self.send_response(503)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"error": {"message": "warming up"}}')
            return
        reply = {
            "id": "x", "object": "chat.completion", "created": 0, "model": body["model"],
            "choices": [{"index": 0, "finish_reason": "stop", "message": {
                "role": "assistant", "content": "The answer is $\\boxed{42}$.",
                "reasoning_content": f"thinking about {key[:10]} ... 6*7=42"}}],
            "usage": {"prompt_tokens": 11, "completion_tokens": 22, "total_tokens": 33},
        }
        data = json.dumps(reply).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture()
def stub_url():
    server = ThreadingHTTPServer(("127.0.0.1", 0), StubServer)
    StubServer.seen, StubServer.failed, StubServer.max_in_flight = [], set(), 0
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()


def _requests(n: int) -> list[Request]:
    return [Request(f"p{i}", f"problem {i}", f"h{i}", ({"role": "user", "content": f"question {i}"},), 0,
                    derive_seed(0, f"h{i}", 0)) for i in range(n)]


def test_openai_backend_retries_bounds_concurrency_and_keeps_reasoning(stub_url):
    backend = open_backend("openai", "served-name", base_url=stub_url, concurrency=3)
    out = list(backend.generate(_requests(12), Sampling(max_tokens=99, seed=5)))
    assert sorted(c.request.problem_id for c in out) == sorted(f"p{i}" for i in range(12))
    for c in out:
        assert c.text == "The answer is $\\boxed{42}$." and c.reasoning.startswith("thinking about")
        assert c.finish_reason == "stop" and (c.prompt_tokens, c.completion_tokens) == (11, 22)
    assert StubServer.max_in_flight <= 3
    sent = StubServer.seen[-1]
    assert sent["model"] == "served-name" and sent["max_tokens"] == 99 and sent["temperature"] == 0.6
    assert sent["top_p"] == 0.95 and isinstance(sent["seed"], int)
    assert len(StubServer.seen) == 24  # every request failed once and was retried once
    server = backend.describe()["server"]
    assert server == {"engine": "vllm", "weights": "/weights/r1-7b", "max_model_len": 4096, "version": "0.99.1"}


def test_server_facts_are_empty_for_a_server_that_says_nothing():
    from evals.backends.openai_compat import server_facts

    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    assert server_facts(f"http://127.0.0.1:{port}/v1", "m", timeout=2) == {}


def test_openai_run_scores_reasoning_as_thinking(stub_url, tmp_path):
    done = evals("run", "--model", "test/stub", "--base-url", stub_url, "--benchmark", "aime24", "--limit", "2",
                 "--samples", "2", "--db", str(tmp_path / "db"))
    assert done.returncode == 0, done.stderr
    (r,) = results(tmp_path / "db").values()
    assert r["backend"] == "openai" and r["samples"] == 4 and r["reasons"] == {"wrong_answer": 4}


def test_replay_reads_lm_eval_samples_and_a_real_r1_csv(tmp_path):
    problems = BENCHMARKS["math500"].load({})[:2]
    lm_eval_file = tmp_path / "samples_r1_math500.jsonl"
    lm_eval_file.write_text("\n".join(json.dumps(
        {"doc_id": i, "doc": {"problem": p.text, "answer": p.reference}, "resps": [["a", "b"]],
         "filtered_resps": ["a"]}) for i, p in enumerate(problems)))
    backend = ReplayBackend("x", replay_files=[str(lm_eval_file)])
    reqs = [Request(p.id, p.text, p.prompt_hash, p.messages, i, 0) for p in problems for i in range(3)]
    got = {(c.request.problem_id, c.request.sample_index): c.text for c in backend.generate(reqs, Sampling())}
    assert got == {(p.id, 0): "a" for p in problems} | {(p.id, 1): "b" for p in problems}

    # DeepSeek-R1's own AIME 2024 completions, written with other TeX than our copy: 29 of 30 problems pair up
    # by text (the 30th has an [asy] figure ours lacks), and every pairing is right (the file's gold agrees)
    import duckdb

    csv = replay_file("deepseek_r1_aime24_n1.csv")
    gold = dict(duckdb.execute("SELECT model_completion, answer FROM read_csv_auto(?)", [str(csv)]).fetchall())
    aime = {p.id: p for p in BENCHMARKS["aime24"].load({})}
    paired = list(ReplayBackend("x", replay_files=[str(csv)]).generate(
        [Request(p.id, p.text, p.prompt_hash, p.messages, 0, 0) for p in aime.values()], Sampling()))
    assert len(paired) == 29 and all(int(gold[c.text]) == aime[c.request.problem_id].reference for c in paired)
    done = evals("run", "--model", "test/r1-csv", "--replay", str(csv),
                 "--benchmark", "aime24", "--samples", "1", "--db", str(tmp_path / "db"))
    assert done.returncode == 0, done.stderr
    (r,) = results(tmp_path / "db").values()
    assert r["problems_scored"] == 29 and r["missing_samples"] == 1
    assert 0.6 <= r["pass@1"]["value"] <= 0.9  # the source recorded 23/30 extracted answers


def test_seeds_are_stable_and_distinct():
    assert derive_seed(0, "abc", 3) == derive_seed(0, "abc", 3)
    assert len({derive_seed(0, "abc", i) for i in range(1000)}) == 1000
    assert 0 <= derive_seed(7, "x", 0) < 2**31


def test_registry_and_template_detection(tmp_path):
    assert MODELS["deepseek-r1-distill-qwen-7b"].think_prefilled and not MODELS["deepseek-r1-zero"].think_prefilled
    assert resolve_model("deepseek-r1-distill-qwen-7b", "abc123").revision == "abc123"
    assert resolve_model("org/some-model").hub_id == "org/some-model"
    local = tmp_path / "m"
    local.mkdir()
    (local / "config.json").write_text("{}")
    (local / "tokenizer_config.json").write_text(json.dumps(
        {"chat_template": "{{ messages }}{% if add_generation_prompt %}<｜Assistant｜><think>\\n{% endif %}"}))
    spec = resolve_model(str(local))
    assert spec.think_prefilled and spec.revision.startswith("local-")
    assert prompt_opens_think("<｜User｜>hi<｜Assistant｜><think>\n") and not prompt_opens_think("<|im_start|>assistant\n")
    with pytest.raises(ValueError, match="unknown model"):
        resolve_model("not-a-model")


def test_a_dead_server_fails_with_advice_and_keeps_nothing_half_written(tmp_path):
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    done = evals("run", "--model", "test/dead", "--base-url", f"http://127.0.0.1:{port}/v1", "--benchmark", "aime24",
                 "--limit", "1", "--samples", "1", "--db", str(tmp_path / "db"))
    assert done.returncode == 1 and "run the same command again to resume" in done.stderr, done.stderr[-2000:]
    assert not list((tmp_path / "db" / "samples").glob("*.parquet"))
