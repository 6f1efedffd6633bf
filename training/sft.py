"""SFT and distillation on curation exports: `python -m training sft|distill --config FILE`.

SFT (cold start, or distilling a teacher's samples into a student as the paper does) is TRL's
SFTTrainer on prompt/completion text rendered by training.data, so the reasoning is trained on
whatever the chat template does to assistant turns. With `teacher`, `distill` runs TRL's on-policy
distillation instead (DistillationTrainer: the student generates, the teacher's token
distribution is the target), on the export's prompts.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from evals.errors import UsageError

from .config import SFTOptions, resolve, sft_args
from .data import conversation, export_files, load_sft, stop_token
from .model import load, save_final
from .record import RunRecord


def _train(trainer: Any, record: RunRecord, tokenizer: Any, o: SFTOptions, stop: str | None) -> Path:
    try:
        trainer.train(resume_from_checkpoint=o.resume_from)
    except BaseException:
        record.finish("failed", step=trainer.state.global_step)
        raise
    final = save_final(trainer, tokenizer, o.output_dir, stop)
    record.finish("done", step=trainer.state.global_step, checkpoint=str(final))
    return final


def run(options: SFTOptions, command: str = "sft") -> Path:
    import torch
    from trl import SFTConfig, SFTTrainer

    o = resolve(options, "sft")
    if o.teacher:
        return run_on_policy(o)
    if not o.data:
        raise UsageError(f"{command} needs --data: a `python -m curation export` directory, Parquet/JSONL files "
                         "or hub:ORG/NAME")
    gpu = torch.cuda.is_available()
    model, tokenizer, peft_config = load(o.model, bf16=bool(o.bf16) and gpu, lora=o.lora)
    dataset, facts = load_sft(o.data, tokenizer, limit=o.limit)
    stop = stop_token(tokenizer, facts)
    args = sft_args(o, use_cpu=not gpu, eos_token=stop)
    record = RunRecord(o.output_dir, command, o, args, template=facts, examples=len(dataset),
                       device="cuda" if gpu else "cpu")
    if facts.drops_reasoning:
        print("[training] this chat template drops <think> content from assistant turns; the examples are "
              "rendered here with the reasoning kept", file=sys.stderr)
    if not facts.eos_matches:
        print(f"[training] the template ends assistant turns with {facts.end_of_turn!r}, not the tokenizer's EOS "
              f"{tokenizer.eos_token!r}; the checkpoint's generation config will stop on it", file=sys.stderr)
    trainer = SFTTrainer(model=model, args=SFTConfig(**args), train_dataset=dataset, processing_class=tokenizer,
                         callbacks=[record.callback()], peft_config=peft_config)
    print(f"[training] {command} preset {o.preset}: {len(dataset)} examples, output {o.output_dir}", file=sys.stderr)
    return _train(trainer, record, tokenizer, o, stop)


def _prompts(sources: list[str], limit: int | None) -> Any:
    """The prompts of an export (the conversation minus the assistant turn), for on-policy distillation."""
    from datasets import Dataset, load_dataset

    prompts = []
    for source in sources:
        kind, files = export_files(source)
        for index, row in enumerate(load_dataset(kind, data_files=files, split="train")):
            prompts.append(conversation(row, f"{source}: row {index}")[0])
    return Dataset.from_dict({"prompt": prompts[:limit] if limit else prompts})


def run_on_policy(o: SFTOptions) -> Path:
    import torch
    from trl import DistillationConfig, DistillationTrainer

    from evals.models import local_weights, resolve_model

    gpu = torch.cuda.is_available()
    model, tokenizer, peft_config = load(o.model, bf16=bool(o.bf16) and gpu, lora=o.lora)
    teacher = load(o.teacher, bf16=bool(o.bf16) and gpu)[0]
    dataset = _prompts(o.data, o.limit)
    args = {k: v for k, v in sft_args(o, use_cpu=not gpu, eos_token=None).items()
            if k not in ("max_length", "packing", "completion_only_loss", "eos_token", "dataset_num_proc")}
    args.update(max_completion_length=o.max_completion_length)
    record = RunRecord(o.output_dir, "distill", o, args, prompts=len(dataset), mode="on_policy",
                       teacher=local_weights(resolve_model(o.teacher)), device="cuda" if gpu else "cpu")
    trainer = DistillationTrainer(model=model, teacher_model=teacher, args=DistillationConfig(**args),
                                  train_dataset=dataset, processing_class=tokenizer, callbacks=[record.callback()],
                                  peft_config=peft_config)
    return _train(trainer, record, tokenizer, o, None)
