"""The sandbox: the learner's code runs in a child process, and whatever it does comes back as a clear message."""

import os
import textwrap
import time

import numpy as np
import pytest

from tutor.exercises import wire
from tutor.exercises.sandbox import Call, Limits, Sandbox, SandboxError


def sandbox(tmp_path, source: str, seconds: float = 2.0) -> Sandbox:
    path = tmp_path / "mine.py"
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    return Sandbox(path, Limits(seconds=seconds))


def one(box: Sandbox, function: str, *args):
    results, printed = box.call([Call(function, args)])
    return results[0], printed


def test_values_cross_and_prints_are_captured(tmp_path):
    with sandbox(tmp_path, """
        import numpy as np
        def double(x, scale=2):
            print("got", x.shape)
            return x * scale, {"n": 1}, [np.float32(0.5)]
        """) as box:
        result, printed = one(box, "double", np.arange(6).reshape(2, 3))
    assert result.ok
    array, d, items = result.value
    np.testing.assert_array_equal(array, np.arange(6).reshape(2, 3) * 2)
    assert d == {"n": 1} and items[0] == np.float32(0.5)
    assert printed == "got (2, 3)\n"


def test_an_exception_names_the_line_of_the_learners_file(tmp_path):
    with sandbox(tmp_path, """
        def f():
            x = [1, 2]
            return x[5]
        """) as box:
        result, _ = one(box, "f")
    assert not result.ok
    text = result.error.describe()
    assert "IndexError" in text and "4 行目" in text and "x[5]" in text


def test_a_syntax_error_is_reported_with_its_line(tmp_path):
    box = sandbox(tmp_path, "def f(:\n    return 1\n")
    with pytest.raises(SandboxError) as caught:
        box.start()
    assert caught.value.kind == "load"
    assert "文法エラー" in str(caught.value) and "1 行目" in str(caught.value)


def test_an_infinite_loop_is_stopped_at_the_time_limit_and_the_next_call_works(tmp_path):
    box = sandbox(tmp_path, """
        def spin():
            while True:
                pass
        def ok():
            return 1
        """, seconds=1.0)
    with box:
        started = time.monotonic()
        with pytest.raises(SandboxError) as caught:
            one(box, "spin")
        assert caught.value.kind == "timeout" and "時間切れ" in str(caught.value)
        assert time.monotonic() - started < 3
        assert one(box, "ok")[0].value == 1  # a fresh child


def test_an_infinite_loop_at_import_time_is_stopped_too(tmp_path):
    box = sandbox(tmp_path, "while True:\n    pass\n", seconds=1.0)
    with pytest.raises(SandboxError) as caught:
        box.start()
    assert caught.value.kind == "timeout"


def test_a_huge_allocation_is_a_memory_error_not_a_dead_machine(tmp_path):
    with sandbox(tmp_path, """
        import numpy as np
        def big():
            return np.ones(10**10)
        def big_list():
            return [0] * 10**10
        """) as box:
        for name in ("big", "big_list"):
            result, _ = one(box, name)
            assert not result.ok and "メモリ" in result.error.describe()


@pytest.mark.parametrize("code, words", [
    ("import os\n    os.system('touch {target}')", "os.system"),
    ("open('{target}', 'w').write('x')", "書き込む"),
    ("import os\n    os.open('{target}', os.O_WRONLY | os.O_CREAT)", "書き込む"),
    ("import subprocess\n    subprocess.run(['touch', '{target}'])", "subprocess"),
    ("import os\n    os.remove('{victim}')", "os.remove"),
    ("import shutil\n    shutil.rmtree('{victim_dir}')", "shutil"),
    ("import socket\n    socket.create_connection(('127.0.0.1', 9))", "socket"),
    ("import os\n    os.execv('/bin/true', ['true'])", "os.exec"),
])
def test_mischief_is_refused_and_nothing_happens(tmp_path, code, words):
    target = tmp_path / "outside" / "pwned"
    target.parent.mkdir()
    victim_dir = tmp_path / "keep"
    victim_dir.mkdir()
    victim = victim_dir / "precious.txt"
    victim.write_text("mine")
    body = code.format(target=target, victim=victim, victim_dir=victim_dir)
    with sandbox(tmp_path, f"def evil():\n    {body}\n") as box:
        result, _ = one(box, "evil")
    assert not result.ok
    assert words in result.error.describe()
    assert not target.exists()
    assert victim.read_text() == "mine"


def test_exit_and_input_do_not_break_the_protocol(tmp_path):
    with sandbox(tmp_path, """
        import os, sys
        def ask():
            return input()
        def leave():
            sys.exit(3)
        def raw_print():
            os.write(1, b"not json\\n")
            return 7
        def die():
            os._exit(0)
        """) as box:
        assert "EOFError" in one(box, "ask")[0].error.describe()
        assert "SystemExit" in one(box, "leave")[0].error.describe()
        assert one(box, "raw_print")[0].value == 7
        with pytest.raises(SandboxError) as caught:
            one(box, "die")
        assert caught.value.kind == "died" and "exit" in str(caught.value)


def test_deep_recursion_is_an_error_not_a_crash(tmp_path):
    with sandbox(tmp_path, "def r(n):\n    return r(n + 1)\n") as box:
        result, _ = one(box, "r", 0)
    assert "RecursionError" in result.error.describe()


def test_the_child_cannot_import_the_reference_implementation(tmp_path):
    with sandbox(tmp_path, "def cheat():\n    import tutor.core.positional\n") as box:
        result, _ = one(box, "cheat")
    assert not result.ok and "tutor" in result.error.describe()


def test_odd_return_values_travel_as_descriptions(tmp_path):
    with sandbox(tmp_path, """
        import numpy as np
        class Thing:
            def __repr__(self):
                raise RuntimeError
        def odd():
            return Thing(), np.array([object()]), float("nan"), {1: 2}
        """) as box:
        result, _ = one(box, "odd")
    thing, objects, nan, intkeys = result.value
    assert isinstance(thing, wire.Opaque) and thing.type == "Thing"
    assert isinstance(objects, wire.Opaque) and np.isnan(nan) and isinstance(intkeys, wire.Opaque)


def test_the_child_runs_in_its_own_process_group_and_is_gone_after_close(tmp_path):
    box = sandbox(tmp_path, "import os\ndef pid():\n    return os.getpid()\n")
    box.start()
    pid = one(box, "pid")[0].value
    assert pid != os.getpid()
    box.close()
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_wire_round_trip_keeps_types_and_refuses_object_dtypes():
    value = (np.arange(4, dtype=np.int32).reshape(2, 2), [1.5, float("inf")], {"a": (True, None)}, wire.Rng(3),
             np.float64(2.0))
    back = wire.decode(wire.loads(wire.dumps(wire.encode(value))))
    np.testing.assert_array_equal(back[0], value[0])
    assert back[0].dtype == np.int32 and back[1] == [1.5, float("inf")] and back[2] == {"a": (True, None)}
    assert back[3] == wire.Rng(3) and back[4] == 2.0 and isinstance(back[4], np.float64)
    with pytest.raises(ValueError):
        wire.decode({"$nd": "", "dtype": "object", "shape": [0]})
