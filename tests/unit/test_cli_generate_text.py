"""`tutor generate` prints the prompt with its continuation, the same text as --json's "text" (issue 18)."""

from __future__ import annotations

import json

from tutor.__main__ import main


def test_plain_output_is_the_prompt_and_its_continuation_as_json_text(capsys):
    args = ["--device", "cpu", "generate", "昨日は友だちと", "--temperature", "0", "--max-tokens", "8"]
    assert main(args) == 0
    plain = capsys.readouterr().out.strip()
    assert main([*args, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert plain == data["text"] and plain.startswith("昨日は友だちと") and len(plain) > len("昨日は友だちと")


def test_the_readme_example_prints_what_the_readme_shows(capsys):
    """The README's generate line: a prompt not in the corpus, the output it shows (sampling on the CPU
    with its own generator reproduces on any machine)."""
    import re

    from tutor.settings import PROJECT_ROOT

    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    line = next(row for row in readme.splitlines() if row.startswith("tutor generate "))
    prompt, shown = re.search(r'generate "([^"]+)".*→ (\S+?。)', line).groups()
    seed = re.search(r"--seed (\d+)", line).group(1)
    assert main(["--device", "cpu", "generate", prompt, "--temperature", "0.8", "--top-p", "0.9", "--seed", seed]) == 0
    assert capsys.readouterr().out.strip() == shown
