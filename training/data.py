"""Training data: prompt sets with references for GRPO, curation exports for SFT and distillation.

    prompts = load_prompts("problems.jsonl", domain="math")      # columns the rewards read
    pairs, template = load_sft(["runs/curation/export"], tokenizer)  # rendered prompt/completion text

GRPO prompts go through curation's ingest, so a prompt set means the same thing (problem field,
reference, verifier, instruction line) whether it is curated from or trained on.

SFT rows are rendered to plain prompt/completion *text* here, not by TRL, because of a trap: the
DeepSeek-R1-Distill and Qwen3 chat templates drop everything up to `</think>` from assistant turns
when they render a conversation, so TRL's own rendering of a `messages` (or conversational
prompt/completion) row silently trains on the answers without the reasoning. We render the prompt
with the template (generation prompt included) and append the assistant turn verbatim (without the
`<think>` the template already opened), then the template's own end-of-turn token, which is what the
served model must emit to stop.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MARK = "\u2063R1MARK\u2063"  # a string no template rewrites, to find where content goes


class DataError(ValueError):
    pass


@dataclass(frozen=True)
class TemplateFacts:
    """What the tokenizer's chat template does to a reasoning conversation (recorded with every run)."""
    opens_think: bool  # the generation prompt ends with <think>: completions start inside the reasoning
    drops_reasoning: bool  # rendering an assistant turn loses its <think> content (the trap above)
    end_of_turn: str  # what the template writes after an assistant message (the stop token to learn)
    eos_matches: bool  # that end-of-turn is the tokenizer's EOS token (else the served model may not stop)
    doubled_bos: str | None = None  # a BOS the template writes although the tokenizer adds it too: strip it


def template_facts(tokenizer: Any) -> TemplateFacts:
    if not getattr(tokenizer, "chat_template", None):
        raise DataError("the tokenizer has no chat template; train from an instruct model, or set "
                        "tokenizer.chat_template (e.g. copy the one the model will be served with)")
    user = [{"role": "user", "content": "u"}]
    prompt = tokenizer.apply_chat_template(user, tokenize=False, add_generation_prompt=True)
    turn = tokenizer.apply_chat_template(user + [{"role": "assistant", "content": MARK}], tokenize=False)
    if MARK not in turn:
        raise DataError("the chat template does not render assistant messages; it cannot be used for SFT")
    end = turn.split(MARK, 1)[1].rstrip()
    thought = tokenizer.apply_chat_template(
        user + [{"role": "assistant", "content": f"<think>\n{MARK}\n</think>\n\nanswer"}], tokenize=False)
    eos, bos = tokenizer.eos_token or "", getattr(tokenizer, "bos_token", None)
    adds_bos = bool(bos) and tokenizer("x").input_ids[:1] == [tokenizer.bos_token_id]
    return TemplateFacts(opens_think=prompt.rstrip().endswith("<think>"), drops_reasoning=MARK not in thought,
                         end_of_turn=end, eos_matches=bool(eos) and end.endswith(eos),
                         doubled_bos=bos if adds_bos and prompt.startswith(bos) else None)


def stop_token(tokenizer: Any, facts: TemplateFacts) -> str | None:
    """The template's end-of-turn when it is one token: what TRL appends, and what generation stops on."""
    ids = tokenizer(facts.end_of_turn, add_special_tokens=False).input_ids if facts.end_of_turn else []
    return facts.end_of_turn if len(ids) == 1 else None


def render_pair(prompt: list[dict[str, str]], assistant: str, tokenizer: Any, facts: TemplateFacts) -> dict[str, str]:
    """One SFT example as text: the templated prompt, and the assistant turn with its reasoning kept."""
    text = tokenizer.apply_chat_template(prompt, tokenize=False, add_generation_prompt=True)
    if facts.doubled_bos and text.startswith(facts.doubled_bos):
        text = text[len(facts.doubled_bos):]  # the tokenizer adds BOS itself when TRL tokenizes
    body = assistant
    if facts.opens_think and body.lstrip().startswith("<think>"):
        body = body.lstrip()[len("<think>"):].lstrip("\n")
    return {"prompt": text, "completion": body + facts.end_of_turn}


def conversation(row: dict[str, Any], where: str) -> tuple[list[dict[str, str]], str]:
    """(prompt messages, assistant text) from a `messages` or `prompt_completion` row."""
    if row.get("messages") is not None:
        messages = list(row["messages"])
        if not messages or messages[-1].get("role") != "assistant":
            raise DataError(f"{where}: `messages` must end with the assistant turn to learn")
        return messages[:-1], str(messages[-1]["content"])
    if row.get("prompt") is not None and row.get("completion") is not None:
        prompt, completion = row["prompt"], row["completion"]
        prompt = [{"role": "user", "content": prompt}] if isinstance(prompt, str) else list(prompt)
        text = completion if isinstance(completion, str) else "".join(m["content"] for m in completion)
        return prompt, text
    raise DataError(f"{where}: a row needs `messages`, or `prompt` and `completion` (as `python -m curation export` "
                    f"writes them); it has {sorted(row)}")


def export_files(source: str) -> tuple[str, list[str]]:
    """(format, data files) of a curation export directory, a format subdirectory, or files."""
    path = Path(source)
    if path.is_dir():
        for fmt in ("prompt_completion", "messages"):
            sub = path / fmt if (path / fmt).is_dir() else path if path.name == fmt else None
            if sub is not None:
                files = sorted(str(f) for f in sub.glob("*.parquet")) or sorted(str(f) for f in sub.glob("*.jsonl"))
                if files:
                    return ("parquet" if files[0].endswith(".parquet") else "json"), files
        files = sorted(str(f) for f in path.glob("*.parquet"))
        if files:
            return "parquet", files
        raise DataError(f"{source}: no messages/ or prompt_completion/ shards; point at a `python -m curation export` "
                        "directory or at Parquet/JSONL files")
    if not path.exists():
        raise DataError(f"{source}: no such file or directory")
    return ("parquet" if path.suffix == ".parquet" else "json"), [str(path)]


def load_sft(sources: list[str], tokenizer: Any, limit: int | None = None) -> tuple[Any, TemplateFacts]:
    """A `datasets.Dataset` of rendered {"prompt", "completion"} text for SFTTrainer, and the template facts."""
    from datasets import concatenate_datasets, load_dataset

    facts = template_facts(tokenizer)
    parts = []
    for source in sources:
        if source.startswith("hub:"):
            name, _, revision = source[4:].partition("@")
            raw = load_dataset(name, split="train", revision=revision or None)
        else:
            kind, files = export_files(source)
            raw = load_dataset(kind, data_files=files, split="train")
        if limit is not None:
            raw = raw.select(range(min(limit, len(raw))))

        def render(row: dict[str, Any], index: int, source: str = source) -> dict[str, str]:
            prompt, assistant = conversation(row, f"{source}: row {index}")
            return render_pair(prompt, assistant, tokenizer, facts)

        parts.append(raw.map(render, with_indices=True, remove_columns=raw.column_names, desc=f"rendering {source}"))
    if not parts:
        raise DataError("no SFT data given; pass --data with a curation export")
    return (concatenate_datasets(parts) if len(parts) > 1 else parts[0]), facts


def load_prompts(source: str, *, domain: str | None = None, verifier: str | None = None,
                 problem_field: str | None = None, answer_field: str | None = None, limit: int | None = None,
                 skip_bad: bool = False) -> Any:
    """A GRPO prompt set: `prompt` (chat messages) plus the columns the rewards read
    (`verifier`, `reference` and `verify_opts` as JSON, `problem`, `prompt_id`, `domain`)."""
    from datasets import Dataset

    from curation.ingest import IngestError, IngestOptions, ingest_rows

    options = IngestOptions(source=source, domain=domain, verifier=verifier, problem_field=problem_field,
                            answer_field=answer_field, limit=limit, skip_bad=skip_bad)
    try:
        rows, _ = ingest_rows(options)
    except IngestError as exc:
        raise DataError(str(exc)) from exc
    if not rows:
        raise DataError(f"{source}: no prompts")
    columns = ("prompt_id", "domain", "problem", "verifier", "reference", "verify_opts")
    table = {c: [r[c] for r in rows] for c in columns}
    table["prompt"] = [json.loads(r["messages"]) for r in rows]
    return Dataset.from_dict(table)
