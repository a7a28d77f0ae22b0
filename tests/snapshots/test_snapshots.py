"""SVG snapshots of L0 and L1 at fixed terminal sizes (textual is pinned: rendering is exact).

Update after an intended change with `pytest tests/snapshots --snapshot-update`,
then look at the report before committing.
"""

from __future__ import annotations

import pytest
from textual.widgets import Input

from pilot_helpers import settle as settle_workers
from tutor.app import build_app
from tutor.core.device import resolve
from tutor.widgets.footer import SETTLE as FOOTER_SETTLE


def cpu_only(requested: str):
    return resolve(requested, cuda_name=lambda: None)


@pytest.fixture
def app(paths):
    return build_app(paths=paths, resolve_device=cpu_only, device_check_delay=0.1)


async def settle(pilot) -> None:
    """Let the device check, Markdown rendering, workers and the footer finish, so every run draws the same."""
    await pilot.pause(0.5)
    await settle_workers(pilot)
    await pilot.pause(FOOTER_SETTLE + 0.1)  # the footer rebuilds once the keys have been quiet that long
    for box in pilot.app.query(Input):  # a blinking cursor would make the picture depend on timing
        box.cursor_blink = False
    await pilot.pause()


def keys(*pressed: str):
    """Press keys, then settle: the cursors of inputs that the keys bring up stop blinking too."""

    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press(*pressed)
        await settle(pilot)

    return run_before


def test_l0_prose(snap_compare, app) -> None:
    assert snap_compare(app, terminal_size=(100, 30), run_before=settle)


def test_l0_demo_small_terminal(snap_compare, app) -> None:
    assert snap_compare(app, terminal_size=(80, 24), run_before=keys("2"))


def test_l1_prose_large_terminal(snap_compare, app) -> None:
    assert snap_compare(app, terminal_size=(200, 60), run_before=keys("n"))


def test_l1_analysis_table(snap_compare, app) -> None:
    assert snap_compare(app, terminal_size=(100, 30), run_before=keys("n", "2"))


def test_l1_analysis_table_small_terminal(snap_compare, app) -> None:
    assert snap_compare(app, terminal_size=(80, 24), run_before=keys("n", "2"))


def test_l1_quiz_light_theme(snap_compare, app) -> None:
    assert snap_compare(app, terminal_size=(100, 30), run_before=keys("t", "n", "3"))


async def open_l2(pilot, tab: str) -> None:
    pilot.app.open_lesson("L2", "demo")
    await settle(pilot)
    pilot.app.query_one("#w2v-tabs").active = tab
    await settle(pilot)


def test_l2_similar_words(snap_compare, app) -> None:
    async def run_before(pilot) -> None:
        await open_l2(pilot, "w2v-similar")
        pilot.app.query_one("#sim-word").value = "犬"
        await settle(pilot)

    assert snap_compare(app, terminal_size=(120, 36), run_before=run_before)


def test_l2_analogy_small_terminal(snap_compare, app) -> None:
    async def run_before(pilot) -> None:
        await open_l2(pilot, "w2v-analogy")

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_l2_map(snap_compare, app) -> None:
    async def run_before(pilot) -> None:
        await open_l2(pilot, "w2v-map")

    assert snap_compare(app, terminal_size=(120, 36), run_before=run_before)


def test_l2_training_without_corpus_small_terminal(snap_compare, app, monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("TUTOR_DATA_DIR", str(tmp_path / "no-corpus-here"))

    async def run_before(pilot) -> None:
        await open_l2(pilot, "w2v-train")

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_l4_attention_grid(snap_compare, app) -> None:
    async def run_before(pilot) -> None:
        pilot.app.open_lesson("L4", "demo")
        await settle(pilot)
        pilot.app.query_one("#att-speed").value = 0.0
        await settle(pilot)
        await pilot.press("escape")

    assert snap_compare(app, terminal_size=(100, 30), run_before=run_before)


async def open_l3(pilot, tab: str) -> None:
    pilot.app.open_lesson("L3", "demo")
    await settle(pilot)
    pilot.app.query_one("#rnn-tabs").active = tab
    await settle(pilot)


def test_l3_bigram(snap_compare, app) -> None:
    async def run_before(pilot) -> None:
        await open_l3(pilot, "rnn-bigram")

    assert snap_compare(app, terminal_size=(120, 40), run_before=run_before)


def test_l3_unrolled_rnn_small_terminal(snap_compare, app) -> None:
    async def run_before(pilot) -> None:
        await open_l3(pilot, "rnn-unroll")

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_l3_bleu_by_length(snap_compare, app) -> None:
    async def run_before(pilot) -> None:
        await open_l3(pilot, "rnn-bleu")

    assert snap_compare(app, terminal_size=(100, 36), run_before=run_before)


def test_l4_beam_and_worked_step(snap_compare, app) -> None:
    async def run_before(pilot) -> None:
        pilot.app.open_lesson("L4", "demo")
        await settle(pilot)
        pilot.app.query_one("#att-speed").value = 0.0
        pilot.app.query_one("#att-beam").value = 3
        await settle(pilot)
        pilot.app.query_one("#att-grid").focus()
        await pilot.press("down", "right", "right")
        await settle(pilot)

    assert snap_compare(app, terminal_size=(120, 50), run_before=run_before)


async def open_l5(pilot, tab: str) -> None:
    pilot.app.open_lesson("L5", "demo")
    await settle(pilot)
    pilot.app.query_one("#demo-tabs").active = tab
    await settle(pilot)


def test_l5_positional_encoding_small_terminal(snap_compare, app) -> None:
    async def run_before(pilot) -> None:
        await open_l5(pilot, "tf-position")

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_l5_qkv_softmax_step(snap_compare, app) -> None:
    async def run_before(pilot) -> None:
        await open_l5(pilot, "tf-qkv")
        pilot.app.query_one("#tf-qkv-page").go(3)  # the softmax step (clicks in a row can merge under load)
        await settle(pilot)

    assert snap_compare(app, terminal_size=(120, 40), run_before=run_before)


def test_l5_heads_overview(snap_compare, app) -> None:
    async def run_before(pilot) -> None:
        await open_l5(pilot, "tf-heads")
        pilot.app.query_one("#hd-threshold").value = 0.1
        await settle(pilot)

    assert snap_compare(app, terminal_size=(120, 40), run_before=run_before)


def test_l5_translation_next_to_the_rnn(snap_compare, app) -> None:
    async def run_before(pilot) -> None:
        await open_l5(pilot, "tf-translate")

    assert snap_compare(app, terminal_size=(120, 45), run_before=run_before)


async def open_l6(pilot, tab: str) -> None:
    pilot.app.open_lesson("L6", "demo")
    await settle(pilot)
    pilot.app.query_one("#demo-tabs").active = tab
    await settle(pilot)


def test_l6_training_examples_small_terminal(snap_compare, app) -> None:
    async def run_before(pilot) -> None:
        await open_l6(pilot, "gpt-examples")

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_l6_playground_with_top_k_cut(snap_compare, app) -> None:
    async def run_before(pilot) -> None:
        await open_l6(pilot, "gpt-playground")
        pilot.app.query_one("#pg-top-k").value = 5
        await settle(pilot)

    assert snap_compare(app, terminal_size=(120, 45), run_before=run_before)


def test_l6_greedy_vs_sampling(snap_compare, app) -> None:
    async def run_before(pilot) -> None:
        await open_l6(pilot, "gpt-diversity")

    assert snap_compare(app, terminal_size=(120, 45), run_before=run_before)


async def open_l7(pilot, tab: str) -> None:
    pilot.app.open_lesson("L7", "demo")
    await settle(pilot)
    pilot.app.query_one("#demo-tabs").active = tab
    await settle(pilot)


def test_l7_fill_mask(snap_compare, app) -> None:
    async def run_before(pilot) -> None:
        await open_l7(pilot, "bert-fill")
        await pilot.press("escape")

    assert snap_compare(app, terminal_size=(120, 40), run_before=run_before)


def test_l7_gpt_and_bert_on_one_blank(snap_compare, app) -> None:
    async def run_before(pilot) -> None:
        await open_l7(pilot, "bert-vs-gpt")

    assert snap_compare(app, terminal_size=(120, 36), run_before=run_before)


def test_l7_masking_small_terminal(snap_compare, app) -> None:
    async def run_before(pilot) -> None:
        await open_l7(pilot, "bert-masking")

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_l7_heads_overview(snap_compare, app) -> None:
    async def run_before(pilot) -> None:
        await open_l7(pilot, "bert-heads")

    assert snap_compare(app, terminal_size=(120, 40), run_before=run_before)


def test_l7_fine_tuning_tab_before_a_run(snap_compare, app) -> None:
    async def run_before(pilot) -> None:
        await open_l7(pilot, "bert-finetune")

    assert snap_compare(app, terminal_size=(120, 36), run_before=run_before)
