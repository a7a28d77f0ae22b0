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
