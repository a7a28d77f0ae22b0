"""Pilot tests of lesson L2: similar words, analogies, the PCA map and live training."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from pilot_helpers import settle
from textual.widgets import Button, Input, Select, Static, TabbedContent

from tutor.app import build_app
from tutor.core.device import resolve
from tutor.demos.w2v_map import MapPanel
from tutor.demos.w2v_train import TrainPanel, _sentences_cache
from tutor.demos.word2vec import TRAINED, Word2VecDemo
from tutor.settings import PROJECT_ROOT
from tutor.widgets.bars import BarChart

SIZE = (120, 36)
TINY = Path(__file__).parent.parent / "data" / "tiny_ja.txt"


def app_with_models(paths, models_dir: Path):
    def cpu_only(requested: str):
        return resolve(requested, cuda_name=lambda: None)

    return build_app(paths=replace(paths, models_dir=models_dir), resolve_device=cpu_only, device_check_delay=0.1)


def text_of(widget) -> str:
    return str(widget.render())


async def open_l2_demo(pilot, tab: str | None = None) -> Word2VecDemo:
    pilot.app.open_lesson("L2", "demo")
    await settle(pilot, 0)
    demo = pilot.app.query_one(Word2VecDemo)
    if tab:
        demo.query_one("#w2v-tabs", TabbedContent).active = tab
        await pilot.pause()
        await pilot.pause()
    return demo


def columns(demo, selector: str) -> list[str]:
    return [text_of(s) for s in demo.query_one(selector).query(BarChart)]


async def test_similar_words_for_your_sentence_and_a_typed_word(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        demo = await open_l2_demo(pilot)
        assert set(demo.models) == {"cbow", "skipgram"}
        chips = [b.name for b in demo.query(".chip").results(Button)]
        assert "犬" in chips and "公園" in chips  # the default sentence's content words
        box = demo.query_one("#sim-word", Input)
        assert not isinstance(app.focused, Input)  # ] and the lesson keys work at once (issue 14, case 3)
        box.focus()
        box.value = ""
        await pilot.press(*"犬")
        await pilot.pause()
        cbow, skipgram = columns(demo, "#sim-columns")
        assert cbow.startswith("CBOW: 「犬」に近い語") and skipgram.startswith("skip-gram: 「犬」に近い語")
        assert "猫" in cbow + skipgram

        await pilot.click("#sim-chips Button")  # the first word of the sentence
        await pilot.pause()
        assert box.value == chips[0]


async def test_unknown_and_odd_words_get_a_message(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        demo = await open_l2_demo(pilot)
        box = demo.query_one("#sim-word", Input)
        for word, expected in [("日本語", "日本"), ("[bold]x[/]", "語彙にありません"), ("😀", "語彙にありません")]:
            box.value = word
            await pilot.pause()
            message = text_of(demo.query_one("#sim-message", Static))
            assert "語彙にありません" in message and expected in message
            assert columns(demo, "#sim-columns") == []
        box.value = "ｲﾇ"  # half-width kana: NFKC makes it イヌ, which the corpus has
        await pilot.pause()
        assert "「イヌ」に近い語" in columns(demo, "#sim-columns")[0]
        box.value = "   "
        await pilot.pause()
        assert "単語を入力" in text_of(demo.query_one("#sim-message", Static))


async def test_analogy_examples_and_honest_verdicts(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        demo = await open_l2_demo(pilot, "w2v-analogy")
        verdict = text_of(demo.query_one("#ana-verdict", Static))
        assert "期待される答え「女王」" in verdict and "位で外れ" in verdict  # 王 - 男 + 女 first
        assert "2 回しか出てこない" in verdict
        assert "王 3 回" in text_of(demo.query_one("#ana-message", Static))  # the rare word is named

        demo.query_one("#ana-examples", Select).value = "兄 弟 妹"
        await pilot.pause()
        assert [demo.query_one(f"#ana-{x}", Input).value for x in "abc"] == ["兄", "弟", "妹"]
        verdict = text_of(demo.query_one("#ana-verdict", Static))
        assert "期待される答え「姉」" in verdict
        assert "CBOW:" in verdict and "skip-gram:" in verdict
        cols = columns(demo, "#ana-columns")
        assert len(cols) == 2 and cols[0].startswith("CBOW: 兄 - 弟 + 妹 =")

        demo.query_one("#ana-c", Input).value = ""
        await pilot.pause()
        assert "3 つの枠" in text_of(demo.query_one("#ana-message", Static))


async def test_the_map_draws_groups_and_your_words(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        demo = await open_l2_demo(pilot, "w2v-map")
        panel = demo.query_one(MapPanel)
        plot = panel.query_one("#map-plot")
        labels = {p.label for p in plot.points}
        assert {"父", "母", "月曜", "東京", "犬", "公園"} <= labels
        assert "の" not in labels
        panel.query_one("#map-own", Input).value = "先生 学生 ぴよぴよ"
        await pilot.pause()
        labels = {p.label for p in plot.points}
        assert {"先生", "学生"} <= labels
        assert "ぴよぴよ" in text_of(panel.query_one("#map-message", Static))
        panel.query_one("#map-model", Select).value = "skipgram"
        await pilot.pause()
        assert "分散の" in text_of(panel.query_one("#map-legend", Static))


@pytest.fixture
def tiny_corpus(tmp_path, monkeypatch) -> Path:
    """A corpus of sentences the team wrote, in the corpus's file layout."""
    lines = TINY.read_text(encoding="utf-8").splitlines()
    data = tmp_path / "tiny-corpus"
    data.mkdir()
    for split in ("train", "dev"):
        (data / f"{split}.ja").write_text("\n".join(lines) + "\n", encoding="utf-8")
        (data / f"{split}.en").write_text("\n".join("x" for _ in lines) + "\n", encoding="utf-8")
    monkeypatch.setenv("TUTOR_DATA_DIR", str(data))
    _sentences_cache.clear()
    return data


async def test_training_a_small_corpus_updates_every_panel_and_saves(make_app, paths, tiny_corpus) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        demo = await open_l2_demo(pilot, "w2v-train")
        panel = demo.query_one(TrainPanel)
        assert str(tiny_corpus) in text_of(panel.query_one("#train-corpus"))
        panel.query_one("#train-mode", Select).value = "skipgram"
        panel.query_one("#train-min_count", Select).value = 1
        panel.query_one("#train-epochs", Select).value = 5
        panel.query_one("#train-dim", Select).value = 25
        await pilot.pause()
        await pilot.click("#train-start")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()

        assert "完了" in text_of(panel.query_one("#train-status", Static))
        assert len(panel.query_one("#train-loss").data) == 5
        trained = demo.models[TRAINED]
        assert trained.config.sg and trained.dim == 25 and "犬" in trained
        assert "評価セット" in text_of(panel.query_one("#train-result", Static))

        demo.query_one("#sim-word", Input).value = "犬"
        await pilot.pause()
        assert len(columns(demo, "#sim-columns")) == 3  # CBOW, skip-gram and the new model
        assert "学習したモデル" in columns(demo, "#sim-columns")[2]

        assert not panel.query_one("#train-save", Button).disabled
        await pilot.click("#train-save")
        await pilot.pause()
        saved = paths.user_models_dir / "word2vec-skipgram"
        assert (saved / "model.safetensors").is_file() and (saved / "CARD.md").is_file()
        assert not (paths.models_dir / "word2vec-skipgram" / "CARD.md").read_text(encoding="utf-8").count("L2 学習タブ")

    # Next start: the saved model is loaded again.
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        demo = await open_l2_demo(pilot)
        assert TRAINED in demo.models and demo.models[TRAINED].dim == 25


async def test_cancelling_a_run_keeps_nothing(make_app, tiny_corpus) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        demo = await open_l2_demo(pilot, "w2v-train")
        panel = demo.query_one(TrainPanel)
        panel.query_one("#train-min_count", Select).value = 1
        await pilot.pause()
        worker = panel.run_training(tiny_corpus, replace(panel.config(), epochs=100_000))
        panel.running = True
        await pilot.pause(0.3)
        assert worker.is_running
        panel.cancel()
        for _ in range(50):  # the thread notices at its next sentence and says so
            await pilot.pause(0.1)
            if "中止" in text_of(panel.query_one("#train-status", Static)):
                break
        assert "中止しました" in text_of(panel.query_one("#train-status", Static))
        assert TRAINED not in demo.models
        assert not panel.query_one("#train-start", Button).disabled


async def test_without_corpus_the_panel_says_how_to_get_it(make_app, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("TUTOR_DATA_DIR", str(tmp_path / "nowhere"))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        demo = await open_l2_demo(pilot, "w2v-train")
        panel = demo.query_one(TrainPanel)
        assert panel.query_one("#train-start", Button).disabled
        assert "tutor data download" in text_of(panel.query_one("#train-status", Static))


async def test_missing_bundled_models_are_reported(paths, tmp_path) -> None:
    empty = tmp_path / "models"
    empty.mkdir()
    app = app_with_models(paths, empty)
    async with app.run_test(size=SIZE) as pilot:
        demo = await open_l2_demo(pilot)
        assert demo.models == {}
        status = text_of(demo.query_one("#w2v-status", Static))
        assert "見つかりません" in status and "tutor train" in status
        assert "見つかりません" in text_of(demo.query_one("#sim-message", Static))


async def test_a_corrupted_bundled_model_is_refused(paths, tmp_path) -> None:
    models = tmp_path / "models"
    shutil.copytree(PROJECT_ROOT / "models", models)
    vocab = models / "word2vec-cbow" / "vocab.json"
    vocab.write_bytes(vocab.read_bytes()[:-10])
    app = app_with_models(paths, models)
    async with app.run_test(size=SIZE) as pilot:
        demo = await open_l2_demo(pilot)
        assert set(demo.models) == {"skipgram"}
        assert "壊れて" in text_of(demo.query_one("#w2v-status", Static))


async def test_brackets_page_through_the_demo_tabs_from_the_keyboard(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        demo = await open_l2_demo(pilot)
        tabs = demo.query_one("#w2v-tabs", TabbedContent)
        await pilot.press("escape")  # leave the word box: keys go to the app
        await pilot.press("]")
        await pilot.pause()
        assert tabs.active == "w2v-analogy"
        await pilot.press("]", "]")
        await pilot.pause()
        assert tabs.active == "w2v-train"
        await pilot.press("]")
        assert tabs.active == "w2v-similar"  # wraps around
        await pilot.press("[")
        assert tabs.active == "w2v-train"
        await pilot.press("1", "]")  # on the 説明 tab the key does nothing
        assert tabs.active == "w2v-train"
