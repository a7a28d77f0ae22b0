"""Pilot tests of lesson L3's demo: bigram counts, the unrolled RNN, plain seq2seq, BLEU by length."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from textual.widgets import Button, Input, Label, OptionList, Static, TabbedContent
from textual.worker import WorkerFailed

from pilot_helpers import settle as settle_workers
from tutor.app import build_app
from tutor.core import checkpoint, ngram
from tutor.core.device import resolve
from tutor.core.text import tokenize
from tutor.demos import models as demo_models
from tutor.demos.base import LessonDemo, PageError
from tutor.demos.models import MODELS as _cache
from tutor.widgets.state_strip import StateStrip

SIZE = (120, 36)
TINY = Path(__file__).parent.parent / "data" / "tiny_ja.txt"
SENTENCE = "犬が公園を走る。"
EVALUATION = {"greedy": {"bleu": 20.0, "sentences": 6, "buckets": {
    "≤ 8": {"bleu": 30.0, "sentences": 2},
    "9–12": {"bleu": 20.0, "sentences": 2},
    "≥ 13": {"bleu": 10.0, "sentences": 2}}}}


@pytest.fixture(scope="module")
def l3_models(tmp_path_factory) -> Path:
    """Tiny plain and general translators, bigram counts, all from the team's sentences."""
    from tutor.core.seq2seq import Seq2SeqConfig
    from tutor.core.train.seq2seq import ParallelData, TrainConfig, train
    from tutor.core.translator import Translator
    from tutor.core.vocab import Vocab

    lines = TINY.read_text(encoding="utf-8").splitlines()
    sentences = [tokenize(line) for line in lines]
    pairs = [(s, ["the", "dog" if "犬" in s else "thing", "."]) for s in sentences]
    data = ParallelData(Vocab.build((s for s, _ in pairs), 1), Vocab.build((t for _, t in pairs), 1), pairs, pairs[:5])
    models = tmp_path_factory.mktemp("models")
    for n, variant in enumerate(("plain", "general")):
        cfg = Seq2SeqConfig(variant=variant, src_vocab=len(data.src_vocab), tgt_vocab=len(data.tgt_vocab), emb=16,
                            hidden=24, max_len=6)
        model, figures = train(data, cfg, TrainConfig(epochs=2, batch_size=16, lr=5e-3))
        evaluation = {"greedy": {**EVALUATION["greedy"], "buckets": {
            b: {**v, "bleu": v["bleu"] + 10 * n} for b, v in EVALUATION["greedy"]["buckets"].items()}}}
        Translator(model, data.src_vocab, data.tgt_vocab, {**figures, "evaluation": evaluation}).save(
            models / f"seq2seq-{variant}")
    ngram.Bigram.fit(sentences, k=0.01).save(models / ngram.BUNDLED, {"sentences": len(sentences)})
    return models


async def settle(pilot, delay: float = 0.1) -> None:
    """pilot_helpers.settle, where a page's PageError (a worker that failed on purpose) is not a test failure."""
    for _ in range(20):
        try:
            await settle_workers(pilot, delay)
            return
        except WorkerFailed as exc:
            if not isinstance(exc.error, PageError):
                raise
    raise AssertionError("the app's workers never settled")


def make(paths, models: Path):
    _cache.clear()
    demo_models._bigram.clear()
    return build_app(paths=replace(paths, models_dir=models),
                     resolve_device=lambda r: resolve(r, cuda_name=lambda: None), device_check_delay=0.1)


async def open_tab(pilot, tab: str) -> None:
    pilot.app.open_lesson("L3", "demo")
    await pilot.pause()
    pilot.app.query_one("#rnn-tabs", TabbedContent).active = tab
    await settle(pilot)


def text(app, selector: str) -> str:
    return str(app.query_one(selector, Static).render())


async def test_bigram_scores_the_sentence_from_counts_and_generates(paths, l3_models) -> None:
    app = make(paths, l3_models)
    async with app.run_test(size=SIZE) as pilot:
        app.set_sentence(SENTENCE)
        await open_tab(pilot, "rnn-bigram")
        lm, _ = ngram.load(l3_models / ngram.BUNDLED)
        score = text(app, "#bg-score")
        words = tokenize(SENTENCE)
        for a, b in zip([ngram.BOS, *words], [*words, ngram.EOS]):
            assert f"{lm.prob(a, b):.4f}" in score
        assert "パープレキシティ" in score
        # Generation: every step is a pair seen in the counts, and another seed gives another draw.
        first = text(app, "#bg-generated")
        assert str(app.query_one("#bg-seed", Label).render()) == "乱数の種 1"
        assert "".join(lm.generate(seed=1, max_words=25)) in first
        await pilot.click("#bg-reseed")
        await settle(pilot)
        assert str(app.query_one("#bg-seed", Label).render()) == "乱数の種 2"
        assert "".join(lm.generate(seed=2, max_words=25)) in text(app, "#bg-generated")
        # A pair the corpus never had is flagged, not hidden.
        app.set_sentence("公園が犬を走る。")
        await settle(pilot)
        assert "見たことのない組" in text(app, "#bg-score")


async def test_unrolled_rnn_draws_one_strip_per_word_plus_the_bottleneck(paths, l3_models) -> None:
    app = make(paths, l3_models)
    async with app.run_test(size=SIZE) as pilot:
        app.set_sentence(SENTENCE)
        await open_tab(pilot, "rnn-unroll")
        strip = app.query_one("#ur-strip", StateStrip)
        words = tokenize(SENTENCE)
        assert [r[0] for r in strip.rows] == [f"{i + 1} {w}" for i, w in enumerate(words)] + ["→ デコーダ"]
        assert all(len(values) == 24 for _, values, _ in strip.rows)
        assert "24 個の数だけ" in text(app, "#ur-summary")
        assert 0 < strip.shown_dims() <= 24
        for demo in app.query(LessonDemo):  # an empty sentence straight to the page (the app refuses one)
            demo.sentence_changed("")
        await settle(pilot)
        assert strip.rows == [] and "空" in text(app, "#ur-message")


async def test_plain_and_attention_translations_side_by_side(paths, l3_models) -> None:
    app = make(paths, l3_models)
    async with app.run_test(size=SIZE) as pilot:
        app.set_sentence(SENTENCE)
        await open_tab(pilot, "rnn-translate")
        out = text(app, "#tr-output")
        assert "アテンションなし" in out and "general" in out
        assert f"原文 {len(tokenize(SENTENCE))} 語" in out


async def test_bleu_by_length_reads_the_measured_figures(paths, l3_models, tmp_path) -> None:
    app = make(paths, l3_models)
    async with app.run_test(size=SIZE) as pilot:
        await open_tab(pilot, "rnn-bleu")
        chart = text(app, "#bl-chart")
        for figure in ("30.0", "40.0", "10.0", "20.0"):
            assert figure in chart
        assert "≥ 13 語で +10.0（2.00 倍）" in chart
    # Models without measured figures: the panel says how to measure them.
    bare = tmp_path / "models"
    shutil.copytree(l3_models, bare)
    for v in ("plain", "general"):
        config = checkpoint.read_json(bare / f"seq2seq-{v}" / checkpoint.CONFIG)
        config["meta"].pop("evaluation")
        checkpoint.write_json(bare / f"seq2seq-{v}" / checkpoint.CONFIG, config)
    app = make(paths, bare)
    async with app.run_test(size=SIZE) as pilot:
        await open_tab(pilot, "rnn-bleu")
        assert "--update-card" in text(app, "#bl-chart")


async def test_missing_models_are_explained(paths, tmp_path) -> None:
    empty = tmp_path / "models"
    empty.mkdir()
    app = make(paths, empty)
    async with app.run_test(size=SIZE) as pilot:
        await open_tab(pilot, "rnn-bigram")
        assert "tutor train bigram" in text(app, "#bg-message")
        await pilot.click("#bg-generate")  # nothing to generate from: nothing happens, nothing breaks
        await settle(pilot)
        assert text(app, "#bg-generated") == ""
        app.query_one("#rnn-tabs", TabbedContent).active = "rnn-unroll"
        await settle(pilot)
        assert "翻訳モデルが見つかりません" in text(app, "#ur-message")


PAGES = ["rnn-bigram", "rnn-unroll", "rnn-translate", "rnn-bleu"]
MAINS = {"rnn-bigram": "bg-reseed", "rnn-unroll": "ur-scroll", "rnn-translate": "tr-scroll", "rnn-bleu": "bl-scroll"}


async def open_with_keys(pilot) -> None:
    """L3 from the keyboard: the lesson, then its 実験 tab with ``2``."""
    pilot.app.open_lesson("L3", "prose")
    await settle(pilot)
    await pilot.press("2")
    await settle(pilot)


async def test_every_page_gives_its_main_control_the_keys_when_shown_with_brackets(paths, l3_models) -> None:
    app = make(paths, l3_models)
    async with app.run_test(size=SIZE) as pilot:
        await open_with_keys(pilot)
        tabs = app.query_one("#rnn-tabs", TabbedContent)
        for n, page in enumerate(PAGES + PAGES[:1]):
            if n:
                await pilot.press("right_square_bracket")
                await settle(pilot)
            assert tabs.active == page
            assert app.focused is not None and app.focused.id == MAINS[page], (page, app.focused)
            assert not isinstance(app.focused, Input)


async def test_after_pressing_a_button_brackets_still_move_between_pages(paths, l3_models) -> None:
    app = make(paths, l3_models)
    async with app.run_test(size=SIZE) as pilot:
        await open_with_keys(pilot)
        tabs = app.query_one("#rnn-tabs", TabbedContent)
        assert app.focused is app.query_one("#bg-reseed", Button)
        await pilot.press("enter")  # 別の乱数で, from the keyboard: no click needed
        await settle(pilot)
        assert str(app.query_one("#bg-seed", Label).render()) == "乱数の種 2"
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert tabs.active == "rnn-unroll"
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert tabs.active == "rnn-bigram" and app.focused is app.query_one("#bg-reseed", Button)


async def test_reseed_then_next_page_then_quiz_answer_is_recorded(paths, l3_models) -> None:
    """Issue 14, cases 1 and 2: after 別の乱数で, ] and 3 still work, and the quiz answer counts."""
    app = make(paths, l3_models)
    async with app.run_test(size=SIZE) as pilot:
        await open_with_keys(pilot)
        await pilot.click("#bg-reseed")
        await settle(pilot)
        assert str(app.query_one("#bg-seed", Label).render()) == "乱数の種 2"
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert app.query_one("#rnn-tabs", TabbedContent).active == "rnn-unroll"
        await pilot.press("3")
        await settle(pilot)
        assert app.progress.tab == "quiz"
        assert isinstance(app.focused, OptionList) and app.focused.id == "quiz-choices"
        question = app.query_one("#quiz").current
        await pilot.press("enter")
        await settle(pilot)
        assert question.id in app.progress.of("L3").answers
