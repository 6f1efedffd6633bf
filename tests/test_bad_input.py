"""Bad bytes and odd files in every reader of user files: one non-UTF-8 byte costs its line (or,
where one bad record stops the command, a message naming file and line), never a traceback and never
the lines after it. BOMs, CRLF and blank lines are read as a user means them. And `curation ingest`
refuses duplicate ids (naming both records) and keeps structured fields as JSON."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from curation import stages
from curation.db import Workspace
from curation.ingest import IngestOptions
from evals.benchmarks import BENCHMARKS
from evals.errors import ConfigError, DataError
from evals.judge.problems import ProblemError, load_problem_file
from evals.records import BadLine, read_records, read_text, scan_records

ROOT = Path(__file__).resolve().parents[1]
BAD_BYTE = b"\xff"
GOOD = [{"problem": f"What is {i} + {i}?", "answer": str(2 * i), "id": f"p{i}"} for i in range(1, 6)]


def jsonl(*lines: bytes) -> bytes:
    return b"\n".join(lines) + b"\n"


def line(record: dict) -> bytes:
    return json.dumps(record).encode()


def with_bad_line(records=GOOD, at=2) -> bytes:
    """The records as JSONL, with a line holding one latin-1 byte inserted as line ``at``."""
    lines = [line(r) for r in records]
    lines.insert(at - 1, b'{"problem": "caf' + BAD_BYTE + b'", "answer": "1", "id": "bad"}')
    return jsonl(*lines)


# --- the shared reader: every odd file, what each line becomes ---------------------------------------

CASES = [
    # (name, file bytes, [(line number, "ok" or a phrase of the error)])
    ("bad byte", with_bad_line(GOOD[:3]), [(1, "ok"), (2, "not valid UTF-8 (byte 0xff"), (3, "ok"), (4, "ok")]),
    ("BOM", b"\xef\xbb\xbf" + jsonl(line(GOOD[0]), line(GOOD[1])), [(1, "ok"), (2, "ok")]),
    ("CRLF", line(GOOD[0]) + b"\r\n" + line(GOOD[1]) + b"\r\n", [(1, "ok"), (2, "ok")]),
    ("blank lines", jsonl(b"", line(GOOD[0]), b"   ", b"\t", line(GOOD[1]), b""), [(2, "ok"), (5, "ok")]),
    ("not objects", jsonl(b"[1, 2]", b'"text"', b"3", b"null", line(GOOD[0])),
     [(1, "a JSON list, not an object"), (2, "a JSON str"), (3, "a JSON int"), (4, "a JSON NoneType"), (5, "ok")]),
    ("bad JSON", jsonl(b"{nope", line(GOOD[0])), [(1, "not valid JSON"), (2, "ok")]),
    ("latin-1 everywhere", "{\"problem\": \"café\"}\n{\"problem\": \"naïve\"}\n".encode("latin-1"),
     [(1, "not valid UTF-8"), (2, "not valid UTF-8")]),
    ("deep nesting", jsonl(b"[" * 100_000 + b"]" * 100_000, line(GOOD[0])), [(1, "nested too deeply"), (2, "ok")]),
]


@pytest.mark.parametrize("name,data,expected", CASES, ids=[c[0] for c in CASES])
def test_scan_records_gives_each_line_its_record_or_its_error(tmp_path, name, data, expected):
    path = tmp_path / "in.jsonl"
    path.write_bytes(data)
    got = list(scan_records(path))
    assert [n for n, _ in got] == [n for n, _ in expected]
    for (number, record), (_, want) in zip(got, expected):
        if want == "ok":
            assert isinstance(record, dict) and record["problem"].startswith("What is"), record
        else:
            assert isinstance(record, BadLine) and want in str(record), record
            assert str(record).startswith(f"{path}:{number}: ")


def test_read_records_stops_at_the_first_bad_line_naming_it(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_bytes(with_bad_line(at=3))
    with pytest.raises(DataError, match=rf"^{path}:3: not valid UTF-8 \(byte 0xff at byte 17 of the line\); re-encode"):
        list(read_records(path))


@pytest.mark.parametrize("suffix,data,message", [
    (".jsonl", "\ufeff" + json.dumps(GOOD[0]) + "\n", None),  # a UTF-16 file, written with its BOM
    (".json", "\ufeff" + json.dumps(GOOD), None),
])
def test_utf16_files_are_named_as_such(tmp_path, suffix, data, message):
    path = tmp_path / f"in{suffix}"
    path.write_bytes(data.encode("utf-16"))
    with pytest.raises(DataError, match=rf"{path}: .*UTF-16; convert it to UTF-8"):
        list(scan_records(path))


def test_a_json_document_with_a_bad_byte_names_its_line(tmp_path):
    path = tmp_path / "in.json"
    path.write_bytes(b'[\n  {"problem": "a"},\n  {"problem": "caf\xe9"}\n]\n')
    with pytest.raises(DataError, match=rf"^{path}:3: not valid UTF-8 \(byte 0xe9 at column 19\)"):
        list(scan_records(path))
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(GOOD).encode())  # a BOM is fine
    assert len(list(read_records(path))) == len(GOOD)


def test_a_csv_with_a_bad_byte_is_a_clear_error(tmp_path):
    path = tmp_path / "in.csv"
    path.write_bytes(b"problem,answer\nwhat,1\ncaf\xff,2\n")
    with pytest.raises(DataError, match=rf"{path}: cannot read as csv"):
        list(read_records(path))


# --- every command that reads a user's file ----------------------------------------------------------

def run(*args, stdin=None):
    return subprocess.run([sys.executable, *args], input=stdin, capture_output=True, cwd=ROOT, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


@pytest.mark.slow
def test_evals_verify_gives_the_bad_line_an_error_record_and_verifies_every_line_after_it(tmp_path):
    """The issue's case: a latin-1 byte on line 2 stopped the file; 1,231 good lines after it were lost."""
    records = [{"id": i, "completion": f"</think>\\boxed{{{i}}}", "answer": str(i)} for i in range(300)]
    src = tmp_path / "in.jsonl"
    src.write_bytes(b"\xef\xbb\xbf" + with_bad_line(records, at=2).replace(b"\n", b"\r\n"))
    out = tmp_path / "out.jsonl"
    done = run("-m", "evals", "verify", "--kind", "math", str(src), "--output", str(out))
    stderr = done.stderr.decode()
    assert done.returncode == 1 and "Traceback" not in stderr, stderr
    assert f"{src}:2: not valid UTF-8" in stderr
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 301 and rows[1]["line"] == 2 and "not valid UTF-8" in rows[1]["error"]
    assert all(r["correct"] for i, r in enumerate(rows) if i != 1)  # every line after it was verified
    piped = run("-m", "evals", "verify", "--kind", "math", "-", stdin=with_bad_line(records[:3], at=2))
    assert piped.returncode == 1 and b"<stdin>:2: not valid UTF-8" in piped.stderr
    assert len(piped.stdout.decode().splitlines()) == 4


def test_evals_signals_gives_the_bad_line_an_error_record(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_bytes(jsonl(line({"completion": "<think>a</think> b"}), b'{"completion": "\xff"}',
                          line({"completion": "<think>c</think> d"})))
    done = run("-m", "evals", "signals", str(src))
    assert done.returncode == 0 and b"Traceback" not in done.stderr, done.stderr
    rows = [json.loads(x) for x in done.stdout.decode().splitlines()]
    assert len(rows) == 3 and "not valid UTF-8" in rows[1]["error"] and "error" not in rows[2]


def test_a_replay_file_with_a_bad_byte_names_file_and_line(tmp_path):
    src = tmp_path / "replay.jsonl"
    src.write_bytes(jsonl(line({"id": "a", "completion": "x"}), b'{"id": "b", "completion": "caf\xe9"}'))
    done = run("-m", "evals", "run", "--db", str(tmp_path / "db"), "--model", "deepseek-r1", "--replay", str(src),
               "--benchmark", "aime24")
    stderr = done.stderr.decode()
    assert done.returncode != 0 and "Traceback" not in stderr and f"{src}:2: not valid UTF-8" in stderr, stderr


def test_a_data_file_with_a_bad_byte_names_file_and_line(tmp_path):
    src = tmp_path / "math.jsonl"
    src.write_bytes(with_bad_line([{"problem": "1+1?", "answer": "2", "unique_id": f"u{i}"} for i in range(3)], at=3))
    with pytest.raises(DataError, match=rf"{src}:3: not valid UTF-8"):
        BENCHMARKS["math500"].load({"math500": str(src)})


def test_config_and_problem_files_with_a_bad_byte_name_file_and_line(tmp_path):
    from evals.config_flags import read_config

    config = tmp_path / "c.json"
    config.write_bytes(b'{\n "ingest": {"name": "caf\xe9"}\n}\n')
    with pytest.raises(ConfigError, match=rf"--config {config}:2: not valid UTF-8"):
        read_config(str(config))
    problem = tmp_path / "p.json"
    problem.write_bytes(b'{"id": "x", "statement": "\xff", "tests": [{"input": "", "output": ""}]}')
    with pytest.raises(ProblemError, match=rf"{problem}:1: not valid UTF-8"):
        load_problem_file(problem)
    problem.write_bytes(b"\xef\xbb\xbf" + json.dumps({"id": "x", "tests": [{"input": "", "output": ""}]}).encode())
    assert load_problem_file(problem).id == "x"  # a BOM is no error
    assert read_text(problem).startswith("{")


def ingest(ws, path, **options):
    return stages.ingest(ws, IngestOptions(source=str(path), domain="math", **options))


def prompts(ws):
    con = ws.connect()
    try:
        return con.execute("SELECT prompt_id, problem, reference, source FROM prompts ORDER BY ingest_order").fetchall()
    finally:
        con.close()


def test_curation_ingest_names_a_bad_byte_and_skips_it_with_skip_bad(tmp_path, capsys):
    src = tmp_path / "problems.jsonl"
    src.write_bytes(with_bad_line(at=2))
    ws = Workspace(tmp_path / "w")
    with pytest.raises(DataError, match=rf"(?s){src}:2: not valid UTF-8.*--skip-bad"):
        ingest(ws, src)
    assert prompts(ws) == []  # nothing half-written
    counts = ingest(ws, src, skip_bad=True)
    assert (counts["ingested"], counts["skipped"]) == (len(GOOD), 1)
    assert f"{src}:2: not valid UTF-8" in capsys.readouterr().err
    assert [p[0] for p in prompts(ws)] == [f"problems:p{i}" for i in range(1, 6)]


def test_curation_samples_with_a_bad_byte_name_file_and_line(tmp_path):
    src = tmp_path / "samples.jsonl"
    src.write_bytes(jsonl(line({"prompt_id": "a", "completion": "x"}), b'{"prompt_id": "b", "completion": "\xff"}'))
    with pytest.raises(DataError, match=rf"{src}:2: not valid UTF-8"):
        stages.add_samples(Workspace(tmp_path / "w"), [str(src)], "s", None)


# --- item 7: duplicate ids, structured fields -------------------------------------------------------

def test_duplicate_ids_are_refused_naming_both_records(tmp_path, capsys):
    src = tmp_path / "problems.jsonl"
    dup = {"problem": "A different problem", "answer": "9", "id": "p2"}
    src.write_bytes(jsonl(*(line(r) for r in GOOD[:3]), line(dup)))
    ws = Workspace(tmp_path / "w")
    with pytest.raises(DataError, match=rf"{src}:4: prompt id 'problems:p2' is also that of {src}:2"):
        ingest(ws, src)
    assert prompts(ws) == []
    counts = ingest(ws, src, skip_bad=True)
    assert (counts["ingested"], counts["skipped"]) == (3, 1)  # the duplicate is not counted as ingested
    assert f"skipped: {src}:4: prompt id 'problems:p2'" in capsys.readouterr().err
    kept = {p[0]: p[1] for p in prompts(ws)}
    assert kept["problems:p2"].startswith("What is 2 + 2?")  # the first record stays, listed and not replaced


def test_records_without_ids_are_never_duplicates(tmp_path):
    src = tmp_path / "problems.jsonl"
    src.write_bytes(jsonl(*(line({"problem": "Same?", "answer": "1"}) for _ in range(3))))
    counts = ingest(Workspace(tmp_path / "w"), src)
    assert counts["ingested"] == 3  # numbered by record: the file's own business


def test_structured_fields_stay_json_and_are_queryable(tmp_path):
    src = tmp_path / "problems.jsonl"
    src.write_bytes(jsonl(
        line({"id": "chat", "messages": [{"role": "user", "content": [{"type": "text", "text": "Hi?"}]}],
              "answer": "1", "source": {"name": "olympiad", "year": 2024}}),
        line({"id": "mc", "question": "Pick", "choices": [{"text": "a"}, {"text": "b"}], "answer": "B"}),
    ))
    ws = Workspace(tmp_path / "w")
    ingest(ws, src)
    con = ws.connect()
    try:
        source, messages = con.execute("SELECT source, messages FROM prompts WHERE prompt_id = 'problems:chat'").fetchone()
        assert json.loads(source) == {"name": "olympiad", "year": 2024}  # JSON, not "{'name': ...}"
        assert con.execute("SELECT json_extract_string(source, '$.name') FROM prompts "
                           "WHERE prompt_id = 'problems:chat'").fetchone() == ("olympiad",)
        content = json.loads(messages)[0]["content"]
        assert json.loads(content) == [{"type": "text", "text": "Hi?"}]
        problem = con.execute("SELECT problem FROM prompts WHERE prompt_id = 'problems:mc'").fetchone()[0]
        assert '{"text": "a"}' in problem and "'text'" not in problem
    finally:
        con.close()


def test_a_list_answer_for_a_one_answer_verifier_is_refused(tmp_path):
    src = tmp_path / "problems.jsonl"
    src.write_bytes(jsonl(line({"id": "x", "problem": "Roots?", "answer": ["1", "2"]})))
    with pytest.raises(DataError, match=r"record 1 has a list as its answer \(\[\"1\", \"2\"\]\).*--answer-field"):
        ingest(Workspace(tmp_path / "w"), src)
