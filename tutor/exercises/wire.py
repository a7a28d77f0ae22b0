"""Plain data across the sandbox's pipe: JSON, with numpy arrays, tuples and random generators tagged.

Nothing is unpickled: an array travels as its raw bytes (base64) with a dtype
from a short list, and anything else the learner returns travels as its type
name and a shortened repr, so a check can say "got a dict" without running it.
"""

from __future__ import annotations

import base64
import json
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

#: dtypes an array may have on the wire (object arrays never cross).
DTYPES = {"bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
          "float16", "float32", "float64"}


@dataclass(frozen=True)
class Rng:
    """A ``numpy.random.Generator`` to be made on the other side, from this seed."""

    seed: int


@dataclass(frozen=True)
class Ref:
    """A value the child already holds (sent once with ``store``): big weights are not resent on every call."""

    name: str


@dataclass(frozen=True)
class Opaque:
    """A value that could not cross: its type name and a shortened repr."""

    type: str
    repr: str


def encode(value: Any) -> Any:
    """``value`` as JSON-able data (see :func:`decode`)."""
    if isinstance(value, np.str_):
        return str(value)
    if isinstance(value, np.generic):  # before float: np.float64 is a float
        return ({"$np": value.dtype.name, "value": encode(value.item())} if value.dtype.name in DTYPES
                else _opaque(value))
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else {"$float": repr(value)}
    if isinstance(value, np.ndarray):
        if value.dtype.name in DTYPES:
            data = np.ascontiguousarray(value)
            return {"$nd": base64.b64encode(data.tobytes()).decode("ascii"), "dtype": value.dtype.name,
                    "shape": list(value.shape)}
        if value.dtype.kind in "U":
            return {"$ndstr": value.tolist(), "shape": list(value.shape)}
        return _opaque(value)
    if isinstance(value, tuple):
        return {"$tuple": [encode(v) for v in value]}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        return {"$dict": {k: encode(v) for k, v in value.items()}}
    if isinstance(value, Rng):
        return {"$rng": value.seed}
    if isinstance(value, Ref):
        return {"$ref": value.name}
    return _opaque(value)


def _opaque(value: Any) -> dict:
    try:
        text = repr(value)
    except Exception:  # a learner's object whose __repr__ raises
        text = "?"
    return {"$opaque": type(value).__name__, "repr": text[:200]}


def decode(data: Any, make_rng: bool = False, stored: dict | None = None) -> Any:
    """The value :func:`encode` wrote. The worker passes ``make_rng`` (an :class:`Rng` becomes a real
    generator) and ``stored`` (a :class:`Ref` becomes the value it names)."""
    if isinstance(data, list):
        return [decode(v, make_rng, stored) for v in data]
    if not isinstance(data, dict):
        return data
    if "$nd" in data:
        dtype = data["dtype"]
        if dtype not in DTYPES:
            raise ValueError(f"dtype {dtype!r} may not cross")
        raw = base64.b64decode(data["$nd"])
        return np.frombuffer(raw, dtype=dtype).reshape(data["shape"]).copy()
    if "$ndstr" in data:
        return np.array(data["$ndstr"], dtype=str).reshape(data["shape"])
    if "$np" in data:
        if data["$np"] not in DTYPES:
            raise ValueError(f"dtype {data['$np']!r} may not cross")
        return np.dtype(data["$np"]).type(decode(data["value"]))
    if "$float" in data:
        return float(data["$float"])
    if "$tuple" in data:
        return tuple(decode(v, make_rng, stored) for v in data["$tuple"])
    if "$dict" in data:
        return {k: decode(v, make_rng, stored) for k, v in data["$dict"].items()}
    if "$rng" in data:
        return np.random.default_rng(data["$rng"]) if make_rng else Rng(data["$rng"])
    if "$ref" in data:
        if stored is None:
            return Ref(data["$ref"])
        if data["$ref"] not in stored:
            raise ValueError(f"nothing stored as {data['$ref']!r}")
        return stored[data["$ref"]]
    if "$opaque" in data:
        return Opaque(data["$opaque"], data["repr"])
    raise ValueError(f"unknown tag in {sorted(data)}")


def dumps(value: Any) -> str:
    """One line of JSON (NaN written as a tagged string, so the line is standard JSON)."""
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def loads(line: str) -> Any:
    return json.loads(line)
