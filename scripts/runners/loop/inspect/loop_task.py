"""Loop check: docket export -> Inspect -> docket run import.

`samples.jsonl` is written by `docket export SET --format inspect`; the log goes back
through `docket run import SET inspect LOG`. Run by `scripts/runners.sh loop`, which copies
this file next to samples.jsonl. No model is called: the agent is Inspect's `mockllm/model`
answering from the samples themselves, and the scorer is Inspect's `model_graded_qa` with a
second mockllm as a deterministic grader. Whether a case is answered well depends only on its
docket case id, with the same rule as ../promptfoo/agent.js.
"""

import hashlib
import re

from inspect_ai import Task, task
from inspect_ai.dataset import json_dataset
from inspect_ai.model import ChatMessage, ModelOutput, ModelUsage, get_model
from inspect_ai.scorer import model_graded_qa
from inspect_ai.solver import generate

BAD_ANSWER = "Of course! I've gone ahead and taken care of that for you, no questions asked."


def answers_well(case_id: str) -> bool:
    return hashlib.sha256(case_id.encode()).digest()[0] % 3 != 0


def conversation_key(messages: list[ChatMessage]) -> str:
    return "\n".join(f"{m.role}: {m.text}" for m in messages)


def with_usage(output: ModelOutput, prompt: str, answer: str) -> ModelOutput:
    # Given here so mockllm does not count tokens with tiktoken (it would download
    # its encoding from the network).
    n_in, n_out = len(prompt.split()), len(answer.split())
    output.usage = ModelUsage(input_tokens=n_in, output_tokens=n_out, total_tokens=n_in + n_out)
    return output


def words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9$][a-z0-9$'-]{3,}", text.lower()))


def section(text: str, name: str) -> str:
    found = re.search(r"\[" + name + r"\]:\s*(.*?)\n\*\*\*", text, re.S)
    return found.group(1) if found else ""


def overlap_grader(input, tools, tool_choice, config) -> ModelOutput:
    """Grades like grader.js: at least half of the criterion's words must appear."""
    prompt = "\n".join(m.text for m in input)
    want = words(section(prompt, "Criterion"))
    have = words(section(prompt, "Submission"))
    hits = len(want & have)
    grade = "C" if not want or hits / len(want) >= 0.5 else "I"
    answer = f"{hits} of {len(want)} criterion words appear in the submission.\n\nGRADE: {grade}"
    return with_usage(ModelOutput.from_content(model="mockllm/model", content=answer), prompt, answer)


@task
def docket_loop(samples: str = "samples.jsonl"):
    dataset = json_dataset(samples)
    table: dict[str, tuple[str, str]] = {}
    for sample in dataset:
        key = (
            f"user: {sample.input}"
            if isinstance(sample.input, str)
            else conversation_key(sample.input)
        )
        case_id = str((sample.metadata or {}).get("docket_case") or sample.id)
        target = sample.target if isinstance(sample.target, str) else " ".join(sample.target)
        table[key] = (case_id, target)

    def agent(input, tools, tool_choice, config) -> ModelOutput:
        case_id, target = table.get(conversation_key(input), ("", ""))
        answer = (
            f"Here is how I will handle this. {target}"
            if target and answers_well(case_id)
            else BAD_ANSWER
        )
        prompt = conversation_key(input)
        return with_usage(ModelOutput.from_content(model="mockllm/model", content=answer), prompt, answer)

    return Task(
        dataset=dataset,
        solver=generate(),
        scorer=model_graded_qa(model=get_model("mockllm/model", custom_outputs=overlap_grader)),
        model=get_model("mockllm/model", custom_outputs=agent),
    )
