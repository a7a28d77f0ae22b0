"""Architecture seams: the core imports no UI, and the curriculum imports no torch."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import tutor.core
import tutor.curriculum


def _modules(package) -> list[str]:
    return [m.name for m in pkgutil.walk_packages(package.__path__, prefix=package.__name__ + ".")]


#: The neural models themselves: torch is what they are made of. Nothing else in the
#: core may pull it in, so the app's first frame never waits for it.
TORCH_MODULES = {
    "tutor.core.seq2seq",
    "tutor.core.seq2seq_decode",
    "tutor.core.train.seq2seq",
    "tutor.core.translator",
    "tutor.core.unroll",
    "tutor.core.transformer",
    "tutor.core.transformer_decode",
    "tutor.core.transformer_translator",
    "tutor.core.train.transformer",
    "tutor.core.transformer_explain",
    "tutor.core.gpt",
    "tutor.core.gpt_lm",
    "tutor.core.sampling",
    "tutor.core.train.gpt",
    "tutor.core.torch_io",
    "tutor.core.bert",
    "tutor.core.bert_lm",
    "tutor.core.masking",
    "tutor.core.train.bert",
    "tutor.core.lora",
}


def _imported(modules: list[str]) -> list[str]:
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "bad = [m for m in ('textual', 'torch') if m in sys.modules]\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True).stdout
    return [m for m in out.strip().split(",") if m]


def test_core_and_curriculum_import_neither_textual_nor_torch() -> None:
    modules = _modules(tutor.core) + _modules(tutor.curriculum)
    assert "tutor.core.text" in modules and "tutor.curriculum.progress" in modules
    assert TORCH_MODULES <= set(modules)
    assert _imported([m for m in modules if m not in TORCH_MODULES]) == []
    assert _imported(sorted(TORCH_MODULES)) == ["torch"]  # torch, still no textual


def test_the_app_module_does_not_import_torch() -> None:
    # Building the CLI's parser too: `tutor` with no arguments goes through it to the app.
    code = "import sys, tutor.app, tutor.__main__; tutor.__main__.build_parser(); print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True).stdout
    assert out.strip() == "False"


def test_the_demos_import_no_torch_and_stay_out_of_the_models() -> None:
    """tutor.demos (and the dialogs and widgets) load models through tutor.demos.models inside a
    worker and ask tutor.core for every number: no torch at import time, no `.model.model`."""
    import ast
    from pathlib import Path

    import tutor.demos
    import tutor.dialogs
    import tutor.widgets

    modules = _modules(tutor.demos) + _modules(tutor.dialogs) + _modules(tutor.widgets)
    assert "tutor.demos.models" in modules and "tutor.demos.bert.fill_mask" in modules
    assert _imported(modules) == ["textual"]  # textual, never torch

    reaching = []
    for package in (tutor.demos, tutor.dialogs, tutor.widgets):
        for path in Path(package.__path__[0]).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, (ast.Import, ast.ImportFrom)):
                    names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                    if any(n == "torch" or n.startswith("torch.") for n in names):
                        reaching.append(f"{path.name}:{node.lineno} imports torch")
                if (isinstance(node, ast.Attribute) and node.attr == "model"
                        and isinstance(node.value, ast.Attribute) and node.value.attr == "model"):
                    reaching.append(f"{path.name}:{node.lineno} reaches into .model.model")
    assert reaching == []
