"""Corpus access and `tutor data download`, against a server on 127.0.0.1 only."""

from __future__ import annotations

import hashlib
import http.server
import io
import os
import threading
import zipfile
from pathlib import Path

import pytest

from tutor.core import corpus, download
from tutor.core.text import normalize, tokenize

# A few pairs the team wrote, in the corpus's form (Japanese pre-split, English lower-cased).
TRAIN = [("今日 は 晴れ て い る 。", "it is sunny today ."),
         ("猫 が 窓 の そば で 眠 っ て い る 。", "a cat is sleeping by the window .")]
DEV = [("駅 まで 歩 い た 。", "i walked to the station .")]


def _files() -> dict[str, bytes]:
    files = {}
    for split, pairs in (("train", TRAIN), ("dev", DEV)):
        files[f"{split}.ja"] = "".join(ja + "\n" for ja, _ in pairs).encode()
        files[f"{split}.en"] = "".join(en + "\n" for _, en in pairs).encode()
    return files


def _expected(files: dict[str, bytes]) -> dict[str, tuple[int, str]]:
    return {name: (data.count(b"\n"), hashlib.sha256(data).hexdigest()) for name, data in files.items()}


def _zip(files: dict[str, bytes], top: str = "small_parallel_enja-master/") -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(top + "README.md", "readme")
        for name, data in files.items():
            zf.writestr(top + name, data)
    return buf.getvalue()


@pytest.fixture
def server():
    """Serves whatever bytes the test puts in ``routes`` on 127.0.0.1, 404 otherwise."""
    routes: dict[str, bytes] = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            body = routes.get(self.path)
            if body is None:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    yield base, routes
    httpd.shutdown()
    httpd.server_close()


def test_download_verifies_and_installs(server, tmp_path: Path) -> None:
    base, routes = server
    files = _files()
    routes["/archive.zip"] = _zip(files)
    seen = []
    dest = tmp_path / "data" / "small_parallel_enja"
    installed = download.download(dest, url=base + "/archive.zip", expected=_expected(files),
                                  progress=lambda d, t: seen.append((d, t)))
    assert installed.directory == dest
    assert installed.files == {"train.ja": 2, "train.en": 2, "dev.ja": 1, "dev.en": 1}
    assert sorted(p.name for p in dest.iterdir()) == ["dev.en", "dev.ja", "train.en", "train.ja"]
    assert seen and seen[-1][0] == seen[-1][1] == len(routes["/archive.zip"])
    pairs = list(corpus.read_pairs(dest, "train"))
    assert pairs[0] == corpus.Pair("今日は晴れている。", "it is sunny today .")
    assert list(dest.parent.iterdir()) == [dest]  # no staging folder left behind


def test_a_second_download_replaces_the_first(server, tmp_path: Path) -> None:
    base, routes = server
    files = _files()
    routes["/a.zip"] = _zip(files)
    dest = tmp_path / "c"
    download.download(dest, url=base + "/a.zip", expected=_expected(files))
    (dest / "stale.txt").write_text("x")
    download.download(dest, url=base + "/a.zip", expected=_expected(files))
    assert not (dest / "stale.txt").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c"]


@pytest.mark.parametrize(
    "tamper, message",
    [
        (lambda f: f.update({"train.ja": f["train.ja"] + "余分 な 行 。\n".encode()}), "行数が違います"),
        (lambda f: f.update({"dev.en": b"i ran to the station .\n"}), "SHA-256"),
        (lambda f: f.pop("dev.ja"), "必要なファイルがありません"),
    ],
)
def test_a_bad_archive_installs_nothing(server, tmp_path: Path, tamper, message: str) -> None:
    base, routes = server
    good = _files()
    expected = _expected(good)
    bad = dict(good)
    tamper(bad)
    routes["/bad.zip"] = _zip(bad)
    dest = tmp_path / "c"
    with pytest.raises(download.DownloadError, match=message):
        download.download(dest, url=base + "/bad.zip", expected=expected)
    assert not dest.exists() and list(tmp_path.iterdir()) == []


def test_not_a_zip_and_http_errors_are_clear(server, tmp_path: Path) -> None:
    base, routes = server
    routes["/html"] = b"<html>not a zip</html>"
    with pytest.raises(download.DownloadError, match="zip として読めません"):
        download.download(tmp_path / "c", url=base + "/html", expected=_expected(_files()))
    with pytest.raises(download.DownloadError, match="HTTP 404"):
        download.download(tmp_path / "c", url=base + "/missing", expected=_expected(_files()))
    assert not (tmp_path / "c").exists()


def test_unreachable_host_is_a_download_error(tmp_path: Path) -> None:
    with pytest.raises(download.DownloadError, match="ダウンロードに失敗しました"):
        download.download(tmp_path / "c", url="http://127.0.0.1:9/x.zip", timeout=5)


def test_corpus_is_found_through_the_environment_first(tmp_path: Path, monkeypatch) -> None:
    env_dir, user_dir = tmp_path / "env", tmp_path / "user"
    for d in (env_dir, user_dir):
        d.mkdir()
        for name, data in _files().items():
            (d / name).write_bytes(data)
    monkeypatch.setenv(corpus.ENV_VAR, str(env_dir))
    assert corpus.find(user_dir) == env_dir
    monkeypatch.delenv(corpus.ENV_VAR)
    assert corpus.find(user_dir) == user_dir


def test_no_corpus_says_how_to_get_it(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv(corpus.ENV_VAR, str(tmp_path / "nowhere"))
    with pytest.raises(corpus.CorpusNotFound) as err:
        corpus.find(tmp_path / "user")
    assert "tutor data download" in str(err.value) and "nowhere" in str(err.value)


def test_raw_japanese_joins_the_pre_split_words() -> None:
    assert corpus.raw_japanese("兄 は 港町 の 学生 で す 。\n") == "兄は港町の学生です。"


@pytest.mark.skipif(not os.environ.get("TUTOR_DATA_DIR"),
                    reason="TUTOR_DATA_DIR is not set: the shared corpus is not available")
def test_the_real_corpus_reads_and_retokenizes() -> None:
    directory = Path(os.environ["TUTOR_DATA_DIR"])
    assert corpus.count_lines(directory / "train.ja") == corpus.count_lines(directory / "train.en") == 50_000
    assert download.verify(directory, download.EXPECTED)["dev.ja"] == 500
    pairs = list(corpus.read_pairs(directory, "dev"))
    assert len(pairs) == 500
    for pair in pairs[:200]:
        assert " " not in pair.ja and pair.en == pair.en.lower()
        assert "".join(tokenize(pair.ja)) == normalize(pair.ja).replace(" ", "")


def test_the_validation_split_is_carved_from_train_the_same_way_every_time(tmp_path: Path) -> None:
    data = tmp_path / "c"
    data.mkdir()
    for split, n in (("train", 300), ("dev", 5)):
        (data / f"{split}.ja").write_text("".join(f"文 {split} {i}\n" for i in range(n)), encoding="utf-8")
        (data / f"{split}.en").write_text("".join(f"s {split} {i}\n" for i in range(n)), encoding="utf-8")
    carved = corpus.carve(data)
    assert len(carved.valid) == 30 and len(carved.train) == 270  # a tenth of a small corpus
    assert {p.en for p in carved.train}.isdisjoint(p.en for p in carved.valid)
    assert {p.en for p in carved.train} | {p.en for p in carved.valid} == {f"s train {i}" for i in range(300)}
    assert carved == corpus.carve(data) and carved.valid_lines == corpus.valid_lines(300)
    assert [p.en for p in carved.valid] == [f"s train {i}" for i in carved.valid_lines]
    assert all("dev" not in p.en for p in carved.train + carved.valid)
    assert "30 pairs drawn from train" in carved.describe() and str(corpus.VALID_SEED) in carved.describe()
    assert len(corpus.valid_lines(50_000)) == corpus.VALID_SIZE == 2000
    assert corpus.valid_lines(1) == () and len(corpus.valid_lines(4)) == 1
