"""Pilot tests of lesson L2: similar words, analogies, the PCA map and live training."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from textual.widgets import Button, Input, Select, Static, TabbedContent

from pilot_helpers import settle
from tutor.app import build_app
from tutor.core.device import resolve
from tutor.demos.word2vec import TRAINED, Word2VecDemo
from tutor.demos.word2vec.map import MapPage
from tutor.demos.word2vec.train import TrainPage, _sentences_cache
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
        await settle(pilot)
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
        await settle(pilot)
        cbow, skipgram = columns(demo, "#sim-columns")
        assert cbow.startswith("CBOW: 「犬」に近い語") and skipgram.startswith("skip-gram: 「犬」に近い語")
        assert "猫" in cbow + skipgram

        await pilot.click("#sim-chips Button")  # the first word of the sentence
        await settle(pilot)
        assert box.value == chips[0]


async def test_unknown_and_odd_words_get_a_message(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        demo = await open_l2_demo(pilot)
        box = demo.query_one("#sim-word", Input)
        for word, expected in [("日本語", "日本"), ("[bold]x[/]", "語彙にありません"), ("😀", "語彙にありません")]:
            box.value = word
            await settle(pilot)
            message = text_of(demo.query_one("#sim-message", Static))
            assert "語彙にありません" in message and expected in message
            assert columns(demo, "#sim-columns") == []
        box.value = "ｲﾇ"  # half-width kana: NFKC makes it イヌ, which the corpus has
        await settle(pilot)
        assert "「イヌ」に近い語" in columns(demo, "#sim-columns")[0]
        box.value = "   "
        await settle(pilot)
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
        await settle(pilot)
        assert [demo.query_one(f"#ana-{x}", Input).value for x in "abc"] == ["兄", "弟", "妹"]
        verdict = text_of(demo.query_one("#ana-verdict", Static))
        assert "期待される答え「姉」" in verdict
        assert "CBOW:" in verdict and "skip-gram:" in verdict
        cols = columns(demo, "#ana-columns")
        assert len(cols) == 2 and cols[0].startswith("CBOW: 兄 - 弟 + 妹 =")

        demo.query_one("#ana-c", Input).value = ""
        await settle(pilot)
        assert "3 つの枠" in text_of(demo.query_one("#ana-message", Static))


async def test_the_map_draws_groups_and_your_words(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        demo = await open_l2_demo(pilot, "w2v-map")
        panel = demo.query_one(MapPage)
        plot = panel.query_one("#map-plot")
        labels = {p.label for p in plot.points}
        assert {"父", "母", "月曜", "東京", "犬", "公園"} <= labels
        assert "の" not in labels
        panel.query_one("#map-own", Input).value = "先生 学生 ぴよぴよ"
        await settle(pilot)
        labels = {p.label for p in plot.points}
        assert {"先生", "学生"} <= labels
        assert "ぴよぴよ" in text_of(panel.query_one("#map-message", Static))
        panel.query_one("#map-model", Select).value = "skipgram"
        await settle(pilot)
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
        panel = demo.query_one(TrainPage)
        assert str(tiny_corpus) in text_of(panel.query_one("#train-corpus"))
        panel.query_one("#train-mode", Select).value = "skipgram"
        panel.query_one("#train-min_count", Select).value = 1
        panel.query_one("#train-epochs", Select).value = 5
        panel.query_one("#train-dim", Select).value = 25
        await settle(pilot)
        await pilot.click("#train-start")
        await settle(pilot)
        await app.workers.wait_for_complete()
        await settle(pilot)

        assert "完了" in text_of(panel.query_one("#train-status", Static))
        assert len(panel.query_one("#train-loss").data) == 5
        trained = demo.models[TRAINED]
        assert trained.config.sg and trained.dim == 25 and "犬" in trained
        assert "評価セット" in text_of(panel.query_one("#train-result", Static))

        demo.query_one("#sim-word", Input).value = "犬"
        await settle(pilot)
        assert len(columns(demo, "#sim-columns")) == 3  # CBOW, skip-gram and the new model
        assert "学習したモデル" in columns(demo, "#sim-columns")[2]

        assert not panel.query_one("#train-save", Button).disabled
        await pilot.click("#train-save")
        await settle(pilot)
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
        panel = demo.query_one(TrainPage)
        panel.query_one("#train-min_count", Select).value = 1
        await pilot.pause()
        panel.start(config=replace(panel.config(), epochs=100_000))
        await pilot.pause(0.3)
        assert panel.busy and not panel.query_one("#train-cancel", Button).disabled
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
        panel = demo.query_one(TrainPage)
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


async def test_each_page_gives_the_keys_to_its_main_control(make_app) -> None:
    """(issue 14) ] shows a page with its main control focused, never a text field; Enter asks for the field."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        demo = await open_l2_demo(pilot)
        tabs = demo.query_one("#w2v-tabs", TabbedContent)
        assert app.focused is demo.query_one("#sim-scroll")  # 類似語 opens on its results
        assert "Enter で単語を入力" in str(demo.query_one("#w2v-similar").query(".hint").first().render())
        await pilot.press("enter")  # the announced key works without a click
        await pilot.pause()
        box = demo.query_one("#sim-word", Input)
        assert app.focused is box
        await pilot.press(*"猫")
        await settle(pilot)
        assert box.value.endswith("猫")
        await pilot.press("escape", "]")  # Esc leaves the field; ] is a page key again, not typed
        await settle(pilot)
        assert tabs.active == "w2v-analogy" and not box.value.endswith("]")
        assert app.focused is demo.query_one("#ana-examples", Select)
        await pilot.press("]")
        await settle(pilot)
        assert tabs.active == "w2v-map" and app.focused is demo.query_one("#map-model", Select)
        await pilot.press("]")
        await settle(pilot)
        start = demo.query_one("#train-start", Button)  # without a corpus: disabled, the page's scroll instead
        assert tabs.active == "w2v-train" and app.focused is (
            demo.query_one("#train-scroll") if start.disabled else start)
        for page in ("w2v-analogy", "w2v-map", "w2v-train"):
            assert not isinstance(app.focused, Input), page


async def test_using_a_page_then_paging_on_does_not_snap_back(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        demo = await open_l2_demo(pilot, "w2v-analogy")
        tabs = demo.query_one("#w2v-tabs", TabbedContent)
        examples = demo.query_one("#ana-examples", Select)
        assert app.focused is examples
        await pilot.press("enter", "down", "down", "enter")  # pick an example from the keyboard
        await settle(pilot)
        assert demo.query_one("#ana-a", Input).value == "兄"
        await pilot.press("]")
        await settle(pilot)
        assert tabs.active == "w2v-map"
        await pilot.press("[")
        await settle(pilot)
        assert tabs.active == "w2v-analogy" and app.focused is examples
        await pilot.press("[")
        await settle(pilot)
        assert tabs.active == "w2v-similar"
        await pilot.click("#sim-chips Button")  # a chip: focus now on a button inside the page
        await settle(pilot)
        await pilot.press("]")
        await settle(pilot)
        assert tabs.active == "w2v-analogy"


async def test_the_map_model_select_lists_only_models_once_loaded(make_app) -> None:
    """Issue 14, case 8: no stale 「読み込み中」 option is left in the select after loading."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        demo = await open_l2_demo(pilot, "w2v-map")
        select = demo.query_one("#map-model", Select)
        prompts = [str(prompt) for prompt, _ in select._options]
        assert prompts == ["CBOW", "skip-gram"] and select.value == "cbow"
        assert not demo.query("#map-waiting")
        await pilot.click("#map-model")
        await pilot.pause()
        assert "読み込み中" not in str(select.render()) and "読み込み中" not in app.export_screenshot()
