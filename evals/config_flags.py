"""Typed configuration: dataclass fields are the command-line flags and the config file's keys.

    add_options(parser, VerifyOptions, HELP)         # one flag per field, defaults suppressed
    options = build(VerifyOptions, config["verify"], args)   # file values, overridden by given flags

Shared by `python -m evals`, `python -m curation` and `python -m training`, so a flag and a config
key always mean the same thing and a config file is checked the same way everywhere.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import typing
from pathlib import Path
from typing import Any

from .errors import ConfigError, DataError
from .records import read_text


def shard_flag(text: str) -> tuple[int, int]:
    """`i/N` (this machine takes every N-th item from i)."""
    try:
        index, count = (int(x) for x in text.split("/"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"--shard takes i/N (e.g. 0/4), got {text!r}") from None
    if not 0 <= index < count:
        raise argparse.ArgumentTypeError(f"--shard {text}: need 0 <= i < N")
    return index, count


def pair_flag(text: str) -> tuple[str, object]:
    """`KEY=VALUE`, the value read as JSON when it is JSON (numbers, booleans, lists), else a string."""
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {text!r}")
    try:
        return key, json.loads(value)
    except json.JSONDecodeError:
        return key, value


def text_pair_flag(text: str) -> tuple[str, str]:
    """`KEY=VALUE`, the value kept as text (a file path, a name)."""
    key, value = pair_flag(text)  # its checks; a JSON string loses its quotes there, as before
    return key, value if isinstance(value, str) else text.partition("=")[2]


def option(default: Any = dataclasses.MISSING, *, help: str, flags: tuple[str, ...] = (),  # noqa: A002
           metavar: str | None = None, choices: tuple[Any, ...] | None = None, repeat: bool = False,
           default_factory: Any = dataclasses.MISSING, const: str | None = None) -> Any:
    """A dataclass field that documents its flag: help text, and when the defaults do not fit, the flag
    names (``flags``), ``metavar``, ``choices``, ``repeat`` (a list given as a repeated flag rather
    than comma-separated), and ``const`` (the value of the flag given bare: `--ray` means `--ray auto`)."""
    metadata = {"help": help, "flags": flags, "metavar": metavar, "choices": choices, "repeat": repeat,
                "const": const}
    if default_factory is not dataclasses.MISSING:
        return dataclasses.field(default_factory=default_factory, metadata=metadata)
    return dataclasses.field(default=default, metadata=metadata)


def add_options(parser: argparse.ArgumentParser, cls: type, helps: dict[str, str] | None = None,
                positional: tuple[str, ...] = ()) -> None:
    """One flag per dataclass field (defaults suppressed, so only what is given overrides the config file).
    Help text: ``helps[name]``, else the field's ``option(help=...)``, else its name."""
    hints = typing.get_type_hints(cls)
    for f in dataclasses.fields(cls):
        kind, default = hints[f.name], f.default if f.default is not dataclasses.MISSING else f.default_factory()
        text = (helps or {}).get(f.name) or f.metadata.get("help") or f.name.replace("_", " ")
        if f.name in positional:
            parser.add_argument(f.name, help=text)
            continue
        if "default" not in text and default not in (None, {}, [], ()):  # no "(default: None)" noise
            text = f"{text} (default: {default})"
        flags = f.metadata.get("flags") or ("--" + f.name.replace("_", "-"),)
        options: dict[str, Any] = {"default": argparse.SUPPRESS, "help": text, "dest": f.name}
        options.update({key: f.metadata[key] for key in ("metavar", "choices") if f.metadata.get(key)})
        args = typing.get_args(kind)
        if kind is bool:
            parser.add_argument(*flags, action=argparse.BooleanOptionalAction, **options)
        elif typing.get_origin(kind) is dict:  # repeated KEY=VALUE; dict[str, str] keeps values as text
            parse = text_pair_flag if args[1:] == (str,) else pair_flag
            flags = f.metadata.get("flags") or (flags[0].rstrip("s"),)
            parser.add_argument(*flags, type=parse, action="append", **options)
        elif typing.get_origin(kind) is tuple:
            parser.add_argument(*flags, type=shard_flag, **options)
        elif typing.get_origin(kind) is list or list in args or any(typing.get_origin(a) is list for a in args):
            if f.metadata.get("repeat"):
                parser.add_argument(*flags, action="append", **options)
            else:
                parser.add_argument(*flags, type=lambda s: [x for x in s.split(",") if x], **options)
        else:
            scalar = next((a for a in args if a is not type(None)), kind)
            if f.metadata.get("const") is not None:
                options.update(nargs="?", const=f.metadata["const"])
            parser.add_argument(*flags, type=scalar if scalar in (int, float) else str, **options)


def build(cls: type, section: dict[str, Any], args: argparse.Namespace) -> Any:
    """``cls`` from a config file's section, overridden by the flags given on the command line."""
    given = {f.name: getattr(args, f.name) for f in dataclasses.fields(cls) if hasattr(args, f.name)}
    for name, value in given.items():
        if isinstance(value, list) and value and isinstance(value[0], tuple):
            given[name] = dict(value)
    unknown = set(section) - {f.name for f in dataclasses.fields(cls)}
    if unknown:
        raise ConfigError(f"config: unknown keys {sorted(unknown)} for {cls.__name__}; "
                          f"known: {[f.name for f in dataclasses.fields(cls)]}")
    return cls(**{**section, **given})


def read_config(path: str | None) -> dict[str, Any]:
    """A JSON or TOML config file as a dict ({} without a path)."""
    if not path:
        return {}
    file = Path(path)
    if not file.exists():
        raise ConfigError(f"--config {path}: no such file")
    try:
        text = read_text(file, "config file")
    except DataError as exc:
        raise ConfigError(f"--config {exc}") from exc
    try:
        if path.endswith(".toml"):
            import tomllib

            return tomllib.loads(text)
        return json.loads(text)
    except ValueError as exc:
        raise ConfigError(f"--config {path}: not valid {'TOML' if path.endswith('.toml') else 'JSON'}: {exc}") from exc
