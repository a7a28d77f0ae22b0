"""`tutor serve` without a browser: learner IDs, the door pages, the per-learner command (tutor/serve/)."""

from __future__ import annotations

import shlex
import stat

import pytest
from aiohttp.test_utils import TestClient, TestServer

from tutor.serve.classroom import ID_RE, Classroom, normalize
from tutor.serve.server import TutorServer


def test_new_learners_get_distinct_ids_and_private_folders(tmp_path):
    room = Classroom(tmp_path / "room")
    ids = {room.new_learner() for _ in range(50)}
    assert len(ids) == 50 and all(ID_RE.fullmatch(i) for i in ids)
    assert len(room) == 50
    for learner in ids:
        mode = stat.S_IMODE((tmp_path / "room" / learner).stat().st_mode)
        assert mode == 0o700, oct(mode)


@pytest.mark.parametrize("typed", ["ABCDE-FGHJK", "abcdefghjk", " abcde fghjk ", "ＡＢＣＤＥ－ＦＧＨＪＫ",
                                   "abcde‐fghjk"])
def test_a_typed_id_is_forgiven_case_width_spaces_and_hyphens(typed):
    assert normalize(typed) == "abcde-fghjk"


@pytest.mark.parametrize("typed", ["", "abcd", "abcde-fghjk-x", "../../etc", "abcde/fghj", "abcde-fghj1",
                                   "oooo0-iiiil"])
def test_anything_else_is_no_id(typed):
    assert normalize(typed) is None


@pytest.mark.parametrize("learner", ["..", "../x", "abcde-fghjk/../..", "abcde-fghjk\x00", "ABCDE-FGHJK", ""])
def test_no_path_outside_the_room_is_ever_a_learner(tmp_path, learner):
    room = Classroom(tmp_path / "room")
    (tmp_path / "room").mkdir()
    assert room.home(learner) is None


def test_an_id_that_was_never_given_has_no_home(tmp_path):
    room = Classroom(tmp_path / "room")
    given = room.new_learner()
    assert room.home(given) == tmp_path / "room" / given
    assert room.home("22222-22222") is None


def test_each_learner_app_runs_with_its_own_home_and_no_editor(tmp_path, monkeypatch):
    monkeypatch.setenv("TUTOR_DATA_DIR", "/data/コーパス dir")
    server = TutorServer(Classroom(tmp_path), app_args=["--device", "cpu"])
    home = tmp_path / "abcde-fghjk"
    words = shlex.split(server.command_for(home))
    assert f"TUTOR_HOME={home}" in words
    assert "TUTOR_SERVED=1" in words and "EDITOR=" in words and "VISUAL=" in words
    assert "TUTOR_DATA_DIR=/data/コーパス dir" in words  # one word despite the space
    assert words[-4:] == ["-m", "tutor", "--device", "cpu"]


def test_one_tab_per_learner_and_a_cap_on_learners(tmp_path):
    server = TutorServer(Classroom(tmp_path), max_learners=2)
    assert server.refusal("aaaaa-aaaaa") is None
    server.active.add("aaaaa-aaaaa")
    assert server.refusal("aaaaa-aaaaa")[0] == 409
    server.active.add("bbbbb-bbbbb")
    status, message = server.refusal("ccccc-ccccc")
    assert status == 503 and "2 人" in message


async def _client(tmp_path) -> tuple[TestClient, TutorServer]:
    server = TutorServer(Classroom(tmp_path / "room"))
    client = TestClient(TestServer(await server._make_app()))
    await client.start_server()
    return client, server


async def test_the_door_starts_a_new_learner_and_lets_one_come_back(tmp_path):
    client, server = await _client(tmp_path)
    try:
        door = await client.get("/")
        assert door.status == 200 and "はじめて使う" in await door.text()
        new = await client.post("/new", allow_redirects=False)
        assert new.status == 303
        learner = new.headers["Location"].split("/learn/")[1].split("?")[0]
        assert server.classroom.home(learner) is not None
        page = await client.get(f"/learn/{learner}?new=1")
        body = await page.text()
        assert page.status == 200 and learner in body and f"/ws/{learner}" in body
        assert "googleapis" not in body  # nothing from the internet: a classroom may be offline
        back = await client.get("/resume", params={"id": learner.upper()}, allow_redirects=False)
        assert back.status == 303 and back.headers["Location"] == f"/learn/{learner}"
        wrong = await client.get("/resume", params={"id": "22222-22222"})
        assert wrong.status == 404 and "いません" in await wrong.text()
        unknown = await client.get("/learn/22222-22222")
        assert unknown.status == 404
        sneaky = await client.get("/ws/..%2F..")
        assert sneaky.status == 404
    finally:
        await client.close()

