"""A damaged bundled model is refused, never run: every command that loads one, against every kind of damage.

The message names the damaged file and says how to restore it, and the exit code
is 1 (issue 15). Each case copies the one model folder and the manifest into a
temporary models directory, damages the copy, and runs the command in-process.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tutor.__main__ import main
from tutor.core.variants import BEST
from tutor.settings import PROJECT_ROOT, Paths

MODELS = PROJECT_ROOT / "models"

#: command line -> the bundled folder it loads (damaged), and any other it loads too
COMMANDS = {
    "translate": (["translate", "猫が好きです。"], f"seq2seq-{BEST}"),  # the default translator
    "translate-transformer": (["translate", "--variant", "transformer", "猫が好きです。"], "transformer"),
    "generate": (["generate", "猫は"], "gpt"),
    "fill-mask": (["fill-mask", "猫が[MASK]です。"], "bert"),
    "classify": (["classify", "楽しかった。"], "bert-sentiment"),
    "similar": (["similar", "猫"], "word2vec-skipgram"),  # the default model of similar
}


def flip_byte(folder: Path) -> str:
    weights = folder / "model.safetensors"
    data = bytearray(weights.read_bytes())
    data[len(data) // 2] ^= 0x01  # one bit in the middle of the weights
    weights.write_bytes(bytes(data))
    return "model.safetensors"


def truncate(folder: Path) -> str:
    weights = folder / "model.safetensors"
    weights.write_bytes(weights.read_bytes()[: weights.stat().st_size // 3])
    return "model.safetensors"


def delete(folder: Path) -> str:
    (folder / "model.safetensors").unlink()
    return "model.safetensors"


def edit_config(folder: Path) -> str:
    config = folder / "config.json"
    config.write_text(config.read_text(encoding="utf-8").replace("1", "2", 1), encoding="utf-8")
    return "config.json"


def edit_manifest(folder: Path) -> str:
    manifest = folder.parent / "MANIFEST.toml"
    text = manifest.read_text(encoding="utf-8")
    start = text.index(f'"{folder.name}/model.safetensors"')
    at = text.index("sha256", start)
    quote = text.index('"', at) + 1
    manifest.write_text(text[:quote] + ("0" if text[quote] != "0" else "1") + text[quote + 1:], encoding="utf-8")
    return "model.safetensors"


DAMAGE = {"flipped-byte": flip_byte, "truncated": truncate, "deleted": delete, "config-edited": edit_config,
          "manifest-edited": edit_manifest}


@pytest.mark.parametrize("damage", list(DAMAGE))
@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_damaged_model_is_refused_with_the_file_and_the_way_back(tmp_path, capsys, command, damage) -> None:
    argv, folder_name, *others = COMMANDS[command]
    models = tmp_path / "models"
    models.mkdir()
    shutil.copy2(MODELS / "MANIFEST.toml", models / "MANIFEST.toml")
    for name in (folder_name, *others):
        shutil.copytree(MODELS / name, models / name)
    damaged = DAMAGE[damage](models / folder_name)
    paths = Paths(data_dir=tmp_path / "data", config_dir=tmp_path / "config", models_dir=models)

    code = main(argv, paths=paths)
    out, err = capsys.readouterr()
    assert code == 1, f"{command} ran on a model with {damage}: {out!r}"
    assert out == ""
    assert f"{folder_name}/{damaged}" in err, f"the message does not name the file: {err!r}"
    assert f"git checkout -- models/{folder_name}" in err and "tutor train" in err, \
        f"the message does not say how to restore the model: {err!r}"
