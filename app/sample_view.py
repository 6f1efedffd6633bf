"""One sample, as the sample browser and the Compare page show it: gold beside the extracted and
normalised answer at the top, links that jump to the answer region and to the extracted answer, the
problem and the trace with LaTeX rendered (or as plain text), the middle of a very long reasoning
folded, a search inside the trace, the verdict's reason and details, and token counts."""
from __future__ import annotations

import json
from typing import Any

import streamlit as st

from .text_render import find, fold, highlight_html, to_markdown, trace_parts

RENDERED, PLAIN = "rendered (LaTeX)", "plain text"


def problem_text(detail: dict[str, Any], problem: dict[str, Any]) -> str:
    if problem.get("text"):
        return problem["text"]
    try:  # the prompt actually sent, as stored
        return "\n\n".join(m.get("content", "") for m in json.loads(detail.get("messages") or "[]"))
    except (TypeError, ValueError):
        return detail.get("prompt_text") or "(problem text not stored)"


def verdict_details(raw: Any) -> dict[str, Any]:
    try:
        return json.loads(raw) if isinstance(raw, str) else dict(raw or {})
    except (TypeError, ValueError):
        return {"raw": raw}


def gold_of(problem: dict[str, Any], verdict: dict[str, Any]) -> Any:
    return problem.get("gold") or verdict.get("gold_normalized") or verdict.get("gold")


def outcome_mark(correct: Any) -> str:
    return ":green[correct]" if correct else (":gray[unverified]" if correct is None else ":red[wrong]")


def answers(detail: dict[str, Any], problem: dict[str, Any], verdict: dict[str, Any]) -> None:
    gold = gold_of(problem, verdict)
    cols = st.columns(3)
    cols[0].markdown("**Gold answer**")
    cols[0].code(str(gold) if gold is not None else "(not available here)", language=None)
    cols[1].markdown("**Extracted answer**")
    cols[1].code(str(detail.get("extracted")) if detail.get("extracted") is not None else "(none)", language=None)
    cols[2].markdown("**Normalised (as compared)**")
    cols[2].code(str(detail.get("normalized")) if detail.get("normalized") is not None else "(none)", language=None)


def _text(text: str, mode: str) -> None:
    if mode == PLAIN:
        st.code(text, language=None, wrap_lines=True)
    else:
        st.markdown(to_markdown(text))


def _folded(label: str, text: str, mode: str) -> None:
    if not text:
        st.caption(f"(no {label})")
        return
    parts = fold(text)
    _text(parts.head, mode)
    if parts.folded:
        with st.expander(f"… {len(parts.middle):,} characters of the {label} folded: show them"):
            _text(parts.middle, mode)
        _text(parts.tail, mode)


def search(reasoning: str, answer: str, key: str) -> None:
    needle = st.text_input("Find in this trace", key=f"{key}_find", placeholder="a word, a number, \\boxed …")
    if not needle:
        return
    total, hits = find({"reasoning": reasoning, "answer region": answer}, needle)
    st.caption(f"{total:,} match{'es' if total != 1 else ''} of “{needle}”" + (f" (first {len(hits)} shown)"
                                                                                if total > len(hits) else ""))
    lines = [f"<div><small>{h.where} @ {h.offset:,}</small> …{highlight_html(h.before + h.match + h.after, h.match, False)}…"
             "</div>" for h in hits]
    if lines:
        st.markdown('<div style="font-family: monospace; font-size: 0.85em; max-height: 18em; overflow-y: auto">'
                    + "".join(lines) + "</div>", unsafe_allow_html=True)


def extracted_in_context(reasoning: str, answer: str, extracted: str | None, key: str) -> None:
    """Where the extracted answer stands: its last occurrence, in the answer region if there, with context."""
    st.subheader("Extracted answer in context", anchor=f"{key}-extracted-answer")
    for where, text in (("answer region", answer), ("reasoning", reasoning)):
        if extracted and extracted in text:
            cut = text.rfind(extracted)
            start, end = max(0, cut - 400), cut + len(extracted) + 200
            snippet = text[start:end]
            st.caption(f"last occurrence, in the {where}, at character {cut:,} of {len(text):,}")
            st.markdown('<div style="white-space: pre-wrap; font-family: monospace">'
                        + ("…" if start else "") + highlight_html(snippet, extracted) + ("…" if end < len(text) else "")
                        + "</div>", unsafe_allow_html=True)
            return
    st.caption("The extracted answer does not occur verbatim in the text (extracted from a normalised form)"
               if extracted else "No answer was extracted.")


def show(detail: dict[str, Any], problem: dict[str, Any], key: str = "sv", compact: bool = False) -> None:
    """The whole sample; `key` keeps the widgets and anchors of two samples on one page apart."""
    verdict = verdict_details(detail.get("details"))
    st.subheader(f"{detail['problem_id']} · sample {detail['sample_index']} · {outcome_mark(detail.get('correct'))}",
                 anchor=f"{key}-top")
    answers(detail, problem, verdict)
    reasoning, answer = trace_parts(detail)
    st.markdown(f"Jump to: [answer region](#{key}-answer-region) · [extracted answer](#{key}-extracted-answer) · "
                f"[reasoning](#{key}-reasoning)")
    tokens = {f: f"{detail[f]:,}" if detail.get(f) else "—" for f in ("completion_tokens", "prompt_tokens")}
    if compact:  # half a page wide: metric tiles would cut the words
        st.markdown(f"reason **{detail.get('reason') or '—'}** · method {detail.get('method') or '—'} · "
                    f"{tokens['completion_tokens']} completion tokens")
    else:
        cols = st.columns(4)
        cols[0].metric("reason", detail.get("reason") or "—")
        cols[1].metric("method", detail.get("method") or "—")
        cols[2].metric("completion tokens", tokens["completion_tokens"])
        cols[3].metric("prompt tokens", tokens["prompt_tokens"])
    st.caption(f"finish reason: {detail.get('finish_reason') or '—'} · model {detail['model']} @ {detail['revision']} · "
               f"verifier {detail.get('verifier') or '—'} · think prefilled: {bool(detail.get('think_prefilled'))}")
    mode = st.radio("Text", [RENDERED, PLAIN], horizontal=True, key=f"{key}_mode",
                    help="rendered: LaTeX as math, [asy] figures as code, Markdown characters literal")
    with st.expander("Problem", expanded=not compact):
        _text(problem_text(detail, problem), mode)
    with st.expander("Verdict details"):
        st.json(verdict)
        if detail.get("signals"):
            st.dataframe(detail["signals"], hide_index=True, width="stretch")
    search(reasoning, answer, key)
    st.subheader(f"Reasoning ({len(reasoning):,} characters)", anchor=f"{key}-reasoning")
    _folded("reasoning", reasoning, mode)
    st.subheader(f"Answer region ({len(answer):,} characters)", anchor=f"{key}-answer-region")
    _folded("answer region", answer, mode)
    extracted_in_context(reasoning, answer, detail.get("extracted"), key)
