"""One sample, as the sample browser shows it: problem, gold beside extracted and normalised answer,
the verdict's reason and details, reasoning collapsed, the final answer highlighted, token counts."""
from __future__ import annotations

import html
import json
from typing import Any

import streamlit as st

from evals.verifiers.answer_region import split_answer_region


def _problem_text(detail: dict[str, Any], problem: dict[str, Any]) -> str:
    if problem.get("text"):
        return problem["text"]
    try:  # the prompt actually sent, as stored
        return "\n\n".join(m.get("content", "") for m in json.loads(detail.get("messages") or "[]"))
    except (TypeError, ValueError):
        return detail.get("prompt_text") or "(problem text not stored)"


def _details(raw: Any) -> dict[str, Any]:
    try:
        return json.loads(raw) if isinstance(raw, str) else dict(raw or {})
    except (TypeError, ValueError):
        return {"raw": raw}


def highlighted(answer: str, extracted: str | None) -> str:
    """The answer region as HTML, its last occurrence of the extracted answer marked."""
    if not extracted or extracted not in answer:
        body = html.escape(answer)
    else:
        cut = answer.rfind(extracted)
        body = (html.escape(answer[:cut]) + "<mark>" + html.escape(extracted) + "</mark>"
                + html.escape(answer[cut + len(extracted):]))
    return f'<div style="white-space: pre-wrap; font-family: monospace">{body}</div>'


def answers(detail: dict[str, Any], problem: dict[str, Any], verdict: dict[str, Any]) -> None:
    gold = problem.get("gold") or verdict.get("gold_normalized") or verdict.get("gold")
    cols = st.columns(3)
    cols[0].markdown("**Gold answer**")
    cols[0].code(str(gold) if gold is not None else "(not available here)", language=None)
    cols[1].markdown("**Extracted answer**")
    cols[1].code(str(detail.get("extracted")) if detail.get("extracted") is not None else "(none)", language=None)
    cols[2].markdown("**Normalised (as compared)**")
    cols[2].code(str(detail.get("normalized")) if detail.get("normalized") is not None else "(none)", language=None)


def show(detail: dict[str, Any], problem: dict[str, Any]) -> None:
    verdict = _details(detail.get("details"))
    correct = detail.get("correct")
    mark = ":green[correct]" if correct else (":gray[unverified]" if correct is None else ":red[wrong]")
    st.subheader(f"{detail['problem_id']} · sample {detail['sample_index']} · {mark}")
    st.markdown("**Problem**")
    st.markdown(_problem_text(detail, problem))
    answers(detail, problem, verdict)
    cols = st.columns(4)
    cols[0].metric("reason", detail.get("reason") or "—")
    cols[1].metric("method", detail.get("method") or "—")
    cols[2].metric("completion tokens", f"{detail['completion_tokens']:,}" if detail.get("completion_tokens") else "—")
    cols[3].metric("prompt tokens", f"{detail['prompt_tokens']:,}" if detail.get("prompt_tokens") else "—")
    st.caption(f"finish reason: {detail.get('finish_reason')} · model {detail['model']} @ {detail['revision']} · "
               f"verifier {detail.get('verifier')} · think prefilled: {bool(detail.get('think_prefilled'))}")
    with st.expander("Verdict details"):
        st.json(verdict)
        if detail.get("signals"):
            st.dataframe(detail["signals"], hide_index=True, width="stretch")
    completion = detail.get("completion") or ""
    if detail.get("reasoning"):
        reasoning, answer = detail["reasoning"], completion
    else:
        region = split_answer_region(completion, finish_reason=detail.get("finish_reason"),
                                     think_prefilled=bool(detail.get("think_prefilled")))
        reasoning, answer = region.reasoning, region.answer
    with st.expander(f"Reasoning ({len(reasoning):,} characters)", expanded=False):
        st.text(reasoning or "(no reasoning)")
    st.markdown("**Final answer**")
    st.markdown(highlighted(answer, detail.get("extracted")), unsafe_allow_html=True)
