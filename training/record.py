"""What every run leaves beside its checkpoint, so it can be read, compared and reproduced.

    <output_dir>/run.json        resolved options, TRL config, library versions, chat-template facts, outcome
    <output_dir>/metrics.jsonl   one line per logging step: loss, reward (total and per reward), KL, lr ...
    <output_dir>/rollouts.jsonl  GRPO: every scored completion with each reward's verdict (reason, extracted)
    <output_dir>/final/          the model and tokenizer: `python -m evals run --model <output_dir>/final`
"""
from __future__ import annotations

import json
import platform
import subprocess
import threading
import time
from dataclasses import asdict, is_dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from evals.verifiers import SIGNALS_VERSION, VERIFIER_VERSION

LIBRARIES = ("r1-evals", "torch", "transformers", "trl", "datasets", "accelerate", "peft", "vllm", "math-verify")
ROLLOUT_TEXT_CHARS = 2000  # what the rollout log keeps of each completion


def versions() -> dict[str, str | None]:
    found: dict[str, str | None] = {"python": platform.python_version()}
    for name in LIBRARIES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = None
    found["verifier"], found["signals"] = VERIFIER_VERSION, SIGNALS_VERSION
    return found


def _git_commit() -> str | None:
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, timeout=5,
                             cwd=Path(__file__).parent)
        return out.stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        return None


def _plain(value: Any) -> Any:
    if is_dataclass(value):
        return asdict(value)  # type: ignore[arg-type]
    return json.loads(json.dumps(value, default=str))


class RunRecord:
    def __init__(self, output_dir: str, command: str, options: Any, trl_args: dict[str, Any], **facts: Any):
        self.dir = Path(output_dir)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.info = {"command": command, "options": _plain(options), "trl_config": _plain(trl_args),
                     "versions": versions(), "git_commit": _git_commit(), "started": time.strftime("%Y-%m-%dT%H:%M:%S"),
                     **{k: _plain(v) for k, v in facts.items()}, "status": "running"}
        self._write()
        self._lock = threading.Lock()
        self.step = 0

    def _write(self) -> None:
        tmp = self.dir / "run.json.tmp"
        tmp.write_text(json.dumps(self.info, indent=2, default=str), encoding="utf-8")
        tmp.replace(self.dir / "run.json")

    def log_metrics(self, step: int, logs: dict[str, Any]) -> None:
        self.step = step
        with open(self.dir / "metrics.jsonl", "a", encoding="utf-8") as f:
            f.write(json.dumps({"step": step, **logs}, default=float) + "\n")

    def log_rollouts(self, reward: str, verdicts: list[dict[str, Any]], texts: list[str] | None,
                     kwargs: dict[str, Any]) -> None:
        """One line per scored completion; the completion text is kept by the first reward only."""
        state = kwargs.get("trainer_state")
        step = state.global_step if state is not None else self.step
        ids = kwargs.get("prompt_id") or [None] * len(verdicts)
        with self._lock, open(self.dir / "rollouts.jsonl", "a", encoding="utf-8") as f:
            for i, verdict in enumerate(verdicts):
                row = {"step": step, "reward": reward, "prompt_id": ids[i], "index": i, **verdict}
                if texts is not None:
                    row["completion"] = texts[i][:ROLLOUT_TEXT_CHARS]
                f.write(json.dumps(row, ensure_ascii=False) + "\n")

    def callback(self) -> Any:
        from transformers import TrainerCallback

        record = self

        class _Metrics(TrainerCallback):
            def on_log(self, args: Any, state: Any, control: Any, logs: dict[str, Any] | None = None, **_: Any) -> None:
                if logs and state.is_world_process_zero:
                    record.log_metrics(state.global_step, logs)

        return _Metrics()

    def finish(self, status: str, **facts: Any) -> None:
        self.info.update(status=status, finished=time.strftime("%Y-%m-%dT%H:%M:%S"),
                         **{k: _plain(v) for k, v in facts.items()})
        self._write()


def read_metrics(output_dir: str | Path) -> list[dict[str, Any]]:
    path = Path(output_dir) / "metrics.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
