"""Check the learner's file against an exercise's cases, in the sandbox; the report the tab and the CLI show."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from .sandbox import Limits, Sandbox, SandboxError
from .spec import Case, Exercise

NOT_WRITTEN = "NotImplementedError"


@dataclass(frozen=True)
class CaseOutcome:
    name: str
    passed: bool
    message: str = ""  # why it failed (Japanese); "" when passed
    run: bool = True  # False: not reached (an earlier case timed out or the file did not load)


@dataclass
class Report:
    id: str
    passed: bool
    cases: list[CaseOutcome] = field(default_factory=list)
    error: str = ""  # the file did not load, or the child died: said once, above the cases
    stdout: str = ""  # what the learner's code printed (shortened)
    seconds: float = 0.0

    @property
    def failures(self) -> list[dict]:
        items = [{"case": "読み込み", "message": self.error}] if self.error else []
        return items + [{"case": c.name, "message": c.message} for c in self.cases if not c.passed and c.run]

    @property
    def passed_count(self) -> int:
        return sum(c.passed for c in self.cases)

    def to_json(self) -> dict:
        return {"id": self.id, "passed": self.passed, "failures": self.failures,
                "cases": [{"case": c.name, "passed": c.passed, "run": c.run, "message": c.message} for c in self.cases],
                "stdout": self.stdout, "seconds": round(self.seconds, 3)}


_CASES: dict[str, tuple[Case, ...]] = {}


def cases_of(exercise: Exercise) -> tuple[Case, ...]:
    """The exercise's cases, computed once per process (their expected values come from tutor.core)."""
    if exercise.id not in _CASES:
        cases = tuple(exercise.make_cases())
        names = [c.name for c in cases]
        assert len(set(names)) == len(names), f"{exercise.id}: two cases share a name"
        _CASES[exercise.id] = cases
    return _CASES[exercise.id]


def check(exercise: Exercise, file: Path, limits: Limits = Limits()) -> Report:
    """Run every case in a fresh child; stop at the first case that hangs or kills it."""
    started = time.monotonic()
    cases = cases_of(exercise)
    report = Report(exercise.id, False)
    printed: list[str] = []
    if not Path(file).is_file():
        report.error = f"ファイルがありません: {file}（`tutor exercise start {exercise.id}` で作れます）"
        return _done(report, cases, started)
    sandbox = Sandbox(Path(file), limits)
    try:
        sandbox.start()
        printed.append(sandbox.load_stdout)
        missing = [f for f in exercise.functions if f not in sandbox.functions]
        if missing:
            report.error = f"関数 {', '.join(missing)} が定義されていません（名前を変えていませんか）。"
            return _done(report, cases, started, "".join(printed))
        for case in cases:
            try:
                results, out = sandbox.call(list(case.calls))
            except SandboxError as exc:
                report.cases.append(CaseOutcome(case.name, False, str(exc)))
                break
            printed.append(out)
            error = next((r.error for r in results if r.error is not None), None)
            if error is not None:
                message = ("まだ書かれていません（NotImplementedError）。" if error.type == NOT_WRITTEN
                           else f"例外が起きました: {error.describe()}")
                hint = case.on_error(error) if case.on_error is not None and error.type != NOT_WRITTEN else None
                if hint:
                    message += f"\n  → {hint}"
                report.cases.append(CaseOutcome(case.name, False, message))
                continue
            try:
                problem = case.check([r.value for r in results])
            except Exception as exc:  # noqa: BLE001 - a value so odd that the comparison itself failed
                problem = f"返り値を比べられませんでした（{type(exc).__name__}: {exc}）。"
            report.cases.append(CaseOutcome(case.name, problem is None, problem or ""))
    except SandboxError as exc:
        report.error = str(exc)
        printed.append(exc.stdout)
    finally:
        sandbox.close()
    return _done(report, cases, started, "".join(printed))


def _done(report: Report, cases: tuple[Case, ...], started: float, stdout: str = "") -> Report:
    done = {c.name for c in report.cases}
    report.cases += [CaseOutcome(c.name, False, "", run=False) for c in cases if c.name not in done]
    report.passed = not report.error and bool(report.cases) and all(c.passed for c in report.cases)
    report.stdout = stdout if len(stdout) <= 4000 else stdout[:4000] + "\n…（以下省略）"
    report.seconds = time.monotonic() - started
    return report


def report_lines(report: Report, tolerance: str) -> list[tuple[str, str]]:
    """The report as (kind, text) lines for the CLI and the tab alike.

    kind: "passed" / "failed" (the verdict), "error", "ok" / "ng" / "skip" (a case), "why" (under an ng
    case; a message repeated from the case above is shown as （同上）), "note", "printed".
    """
    total = len(report.cases)
    lines = [("passed", f"✓ 合格です。{total}/{total} のケースが通りました。") if report.passed
             else ("failed", f"✗ まだです: {report.passed_count}/{total} のケースが通りました。")]
    if report.error:
        lines.append(("error", report.error))
    previous = None
    for c in report.cases:
        if not c.run:
            lines.append(("skip", f"  ・ {c.name}（未実行）"))
        elif c.passed:
            lines.append(("ok", f"  ✓ {c.name}"))
        else:
            lines.append(("ng", f"  ✗ {c.name}"))
            message = "（同上）" if c.message == previous else c.message
            lines += [("why", f"      {line}") for line in message.splitlines()]
        previous = c.message if c.run and not c.passed else None
    if not report.passed:
        lines.append(("note", f"許容誤差: {tolerance}"))
    if report.stdout.strip():
        lines.append(("note", "print の出力:"))
        lines += [("printed", f"  {line}") for line in report.stdout.rstrip().splitlines()[:10]]
    return lines
