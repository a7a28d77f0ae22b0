"""`tutor data download`: fetch the corpus archive, verify it, install it atomically.

The archive is the public odashi/small_parallel_enja repository as a zip. We
keep only the train and dev splits, check each file's line count and SHA-256
against what the project was trained on, and only then move the folder into
place, so a broken download never leaves half a corpus behind.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

DEFAULT_URL = "https://github.com/odashi/small_parallel_enja/archive/refs/heads/master.zip"

#: file -> (lines, sha256) of the files the bundled models were trained on.
EXPECTED: dict[str, tuple[int, str]] = {
    "train.ja": (50000, "fc81a1434349ec98a449d7ae9cd2530057f689637684ecfed3501ea6a8a07ecc"),
    "train.en": (50000, "148b05dcd28638fe20ee84f2b1127001c80982be352007dda241fb759adadc76"),
    "dev.ja": (500, "cd534f56b8639dc130f86a365e5ec0aa70042000bdd740a622fbbf8b6be4acca"),
    "dev.en": (500, "04a2673449770657fd5e3b963cb856be3130923212b6db8ac7eaeef18f06c041"),
}

MAX_ARCHIVE_BYTES = 200 * 1024 * 1024  # the real archive is ~7 MB; refuse anything absurd


class DownloadError(RuntimeError):
    """The corpus could not be fetched or did not verify; nothing was installed."""


@dataclass(frozen=True)
class Installed:
    directory: Path
    files: dict[str, int]  # name -> lines


def _fetch(url: str, progress: Callable[[int, int | None], None] | None, timeout: float) -> bytes:
    import urllib.error  # here: every `tutor` command builds its parser, which reads DEFAULT_URL
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            total = resp.headers.get("Content-Length")
            total = int(total) if total and total.isdigit() else None
            buf = io.BytesIO()
            while chunk := resp.read(64 * 1024):
                buf.write(chunk)
                if buf.tell() > MAX_ARCHIVE_BYTES:
                    raise DownloadError(f"アーカイブが大きすぎます（{MAX_ARCHIVE_BYTES // 2**20} MB 超）。"
                                        "URL を確認してください。")
                if progress:
                    progress(buf.tell(), total)
            return buf.getvalue()
    except urllib.error.HTTPError as exc:
        raise DownloadError(f"ダウンロードに失敗しました: HTTP {exc.code} ({url})") from exc
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise DownloadError(f"ダウンロードに失敗しました: {reason} ({url})") from exc


def _extract(archive: bytes, dest: Path, names) -> None:
    """Copy the wanted files out of the zip, wherever in it they sit (GitHub adds a top folder)."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(archive))
    except zipfile.BadZipFile as exc:
        raise DownloadError("ダウンロードしたファイルが zip として読めません"
                            "（壊れているか、別のファイルです）。") from exc
    with zf:
        members = {Path(info.filename).name: info for info in zf.infolist() if not info.is_dir()}
        missing = [n for n in names if n not in members]
        if missing:
            raise DownloadError(f"アーカイブに必要なファイルがありません: {', '.join(missing)}")
        for name in names:
            with zf.open(members[name]) as src, open(dest / name, "wb") as out:
                shutil.copyfileobj(src, out)


def verify(directory: Path, expected: dict[str, tuple[int, str]]) -> dict[str, int]:
    """Check line counts and hashes; raise DownloadError naming the first file that differs."""
    counts = {}
    for name, (lines, sha) in expected.items():
        data = (directory / name).read_bytes()
        n = data.count(b"\n")
        if n != lines:
            raise DownloadError(f"{name} の行数が違います: {n:,} 行（期待値 {lines:,} 行）")
        digest = hashlib.sha256(data).hexdigest()
        if sha and digest != sha:
            raise DownloadError(f"{name} の内容が期待と違います (SHA-256 {digest[:12]}… != {sha[:12]}…)")
        counts[name] = n
    return counts


def download(
    dest: Path,
    *,
    url: str = DEFAULT_URL,
    expected: dict[str, tuple[int, str]] = EXPECTED,
    progress: Callable[[int, int | None], None] | None = None,
    timeout: float = 60.0,
) -> Installed:
    """Download, verify and install the corpus into ``dest`` (replacing a previous copy)."""
    archive = _fetch(url, progress, timeout)
    dest.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".download-", dir=dest.parent))
    try:
        _extract(archive, staging, list(expected))
        counts = verify(staging, expected)
        if dest.exists():
            old = dest.with_name(dest.name + ".old")
            shutil.rmtree(old, ignore_errors=True)
            dest.rename(old)
            staging.rename(dest)
            shutil.rmtree(old, ignore_errors=True)
        else:
            staging.rename(dest)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return Installed(dest, counts)
