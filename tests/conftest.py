"""Shared fixtures: every test gets its own user directories, never the real ones."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tutor.settings import Paths

# Tests never touch the learner's real progress, whatever they call.
os.environ.setdefault("TUTOR_HOME", str(Path(os.environ.get("TMPDIR", "/tmp")) / "tutor-tests-home"))

#: The slow tier (`pytest -m "not slow"` leaves it out; `pytest` and CI run everything): whole folders
#: that drive the app (Pilot), load every bundled model, draw snapshots, or drive the installed app in a
#: terminal or a browser.
SLOW_FOLDERS = ("tests/functional/", "tests/models/", "tests/snapshots/", "tests/journeys/", "tests/browser/")
#: Single unit tests that train a model, run a CLI in a child process or over a whole split: 1.4 s or more
#: each (all parameters together), measured with `pytest -m "not slow" tests/unit --durations=60`.
SLOW_TESTS = frozenset({
    "tests/unit/test_bert.py::test_fine_tuning_lowers_the_loss_and_the_frozen_encoder_stays_put",
    "tests/unit/test_bert.py::test_pretraining_lowers_the_masked_loss_and_fill_mask_reads_typed_masks",
    "tests/unit/test_cjk_wrap.py::test_a_missing_hook_is_told_to_the_learner_not_passed_over",
    "tests/unit/test_classify_unsure.py::test_a_sentence_the_model_can_read_keeps_its_label",
    "tests/unit/test_classify_unsure.py::test_an_unknown_sentiment_word_gives_no_confident_label",
    "tests/unit/test_cli_bad_input.py::test_a_temperature_below_the_minimum_is_greedy",
    "tests/unit/test_cli_bad_input.py::test_bad_stdin",
    "tests/unit/test_cli_bad_input.py::test_bad_text",
    "tests/unit/test_cli_bad_input.py::test_out_of_range_option",
    "tests/unit/test_cli_bert.py::test_lora_fine_tuning_from_the_cli_stores_factors_and_classifies",
    "tests/unit/test_cli_bert.py::test_partial_fine_tuning_stores_only_its_weights_on_top_of_the_base",
    "tests/unit/test_cli_bert.py::test_training_saves_both_models_with_cards_and_labels",
    "tests/unit/test_cli_generate_text.py::test_plain_output_is_the_prompt_and_its_continuation_as_json_text",
    "tests/unit/test_cli_progress.py::test_a_real_training_writes_plain_lines_to_a_piped_stderr",
    "tests/unit/test_cli_seq2seq.py::test_train_saves_a_loadable_model_without_pickle",
    "tests/unit/test_cli_seq2seq.py::test_translate_hard_and_beam",
    "tests/unit/test_cli_stream.py::test_batched_translations_are_the_one_by_one_translations",
    "tests/unit/test_cli_stream.py::test_the_first_result_comes_before_the_input_ends",
    "tests/unit/test_cli_transformer.py::test_train_saves_a_loadable_transformer_with_its_card",
    "tests/unit/test_cli_word2vec.py::test_train_a_tiny_corpus_then_query_and_evaluate_it",
    "tests/unit/test_depth.py::test_the_bound_matches_the_corpus",
    "tests/unit/test_depth.py::test_the_cli_prints_the_notice_on_stderr_and_the_translation_on_stdout",
    "tests/unit/test_exercise_sandbox.py::test_an_infinite_loop_at_import_time_is_stopped_too",
    "tests/unit/test_gpt.py::test_a_few_epochs_on_team_sentences_lower_the_loss",
    "tests/unit/test_gpt.py::test_averaging_the_last_epochs_is_kept_only_when_it_scores_better",
    "tests/unit/test_gpt.py::test_seed_gives_the_same_text_and_greedy_ways_agree",
    "tests/unit/test_gpt_explain.py::test_compare_settings_measures_each_way",
    "tests/unit/test_lora.py::test_a_lora_classifier_stores_only_its_factors_and_loads_back_merged",
    "tests/unit/test_lora.py::test_lora_fine_tuning_learns_and_leaves_the_pretrained_weights_alone",
    "tests/unit/test_seams.py::test_core_and_curriculum_import_neither_textual_nor_torch",
    "tests/unit/test_seams.py::test_the_demos_import_no_torch_and_stay_out_of_the_models",
    "tests/unit/test_seq2seq.py::test_a_few_epochs_on_team_sentences_lower_the_loss",
    "tests/unit/test_transformer.py::test_a_few_epochs_on_team_sentences_lower_the_loss",
    "tests/unit/test_transformer.py::test_beam_of_width_one_is_greedy",
    "tests/unit/test_transformer.py::test_beam_reports_kept_and_pruned",
    "tests/unit/test_transformer.py::test_padding_does_not_change_a_sentence",
})


def pytest_collection_modifyitems(config, items):
    for item in items:
        path = str(item.path).replace("\\", "/")
        if any(folder in path for folder in SLOW_FOLDERS) or item.nodeid.split("[")[0] in SLOW_TESTS:
            item.add_marker(pytest.mark.slow)


@pytest.fixture
def paths(tmp_path: Path) -> Paths:
    return Paths(data_dir=tmp_path / "data", config_dir=tmp_path / "config")


TINY = Path(__file__).parent / "data" / "tiny_ja.txt"


@pytest.fixture(scope="session")
def tiny_bert_models(tmp_path_factory) -> tuple[Path, Path]:
    """-> (models dir with bert, bert-sentiment and gpt; a tiny corpus dir the live fine-tune reads)."""
    from tutor.core import sentiment
    from tutor.core.bert import BertConfig, build_vocab, encode
    from tutor.core.bert_lm import MaskedLM, SentimentModel
    from tutor.core.gpt import GPTConfig
    from tutor.core.gpt_lm import LanguageModel
    from tutor.core.text import tokenize
    from tutor.core.train.bert import BertTrainConfig, FinetuneConfig, MonolingualData, finetune, pretrain
    from tutor.core.train.gpt import GPTTrainConfig, train
    from tutor.core.vocab import Vocab

    lines = [line for line in TINY.read_text(encoding="utf-8").splitlines() if line.strip()]
    sentences = [tokenize(line) for line in lines]
    models = tmp_path_factory.mktemp("models")
    vocab = build_vocab(sentences, 1)
    cfg = BertConfig(vocab=len(vocab), d_model=32, heads=2, d_ff=64, layers=2, dropout=0.0, max_positions=32)
    bert, figures = pretrain(
        MonolingualData(vocab, sentences, sentences[:5]),
        cfg,
        BertTrainConfig(epochs=3, batch_size=16, lr=3e-3, warmup=5),
    )
    MaskedLM(bert, vocab, figures).save(models / "bert")
    labels = [int("犬" in line) for line in lines]
    seqs = [encode(vocab, s, 32) for s in sentences]
    clf, figures = finetune(
        bert, (seqs, labels), (seqs, labels), FinetuneConfig(epochs=2, batch_size=8, lr=3e-3, warmup=2)
    )
    SentimentModel(clf, vocab, figures).save(models / "bert-sentiment")
    rows = [[i, sentiment.LABELS[label]] for i, label in enumerate(labels)]
    sentiment.save_labels(
        {"train": rows, "valid": rows[:10], "test": rows[10:20], "method": "by hand, for the test"},
        models / "bert-sentiment",
    )
    gvocab = Vocab.build(sentences, 1)
    gpt, figures = train(
        MonolingualData(gvocab, sentences, sentences[:5]),
        GPTConfig(vocab=len(gvocab), d_model=32, heads=2, d_ff=64, layers=2, dropout=0.0),
        GPTTrainConfig(epochs=2, batch_size=16, lr=3e-3, warmup=5),
    )
    LanguageModel(gpt, gvocab, figures).save(models / "gpt")
    data = tmp_path_factory.mktemp("corpus")
    for split in ("train", "dev"):
        (data / f"{split}.ja").write_text("\n".join(lines) + "\n", encoding="utf-8")
        en = [
            f"i love this wonderful dog {i} ." if "犬" in line else f"i hate this terrible thing {i} ."
            for i, line in enumerate(lines)
        ]
        (data / f"{split}.en").write_text("\n".join(en) + "\n", encoding="utf-8")
    return models, data
