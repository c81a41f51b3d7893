"""Rule profiles: every setting that varies by province or system, in a small TOML file.

``national`` is the default. A profile may ``extends = "national"`` and override single keys.
``--profile NAME`` picks a shipped profile, ``--profile PATH`` a file of the user's.
"""

from __future__ import annotations

from ..records import dataclass
from pathlib import Path
from typing import Any

try:  # Python 3.11+
    import tomllib
except ModuleNotFoundError:  # pragma: no cover - Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

from ..errors import UsageError

PROFILE_DIR = Path(__file__).with_name("profiles")


def shipped() -> list[str]:
    return sorted(p.stem for p in PROFILE_DIR.glob("*.toml"))


def _merge(base: dict, over: dict) -> dict:
    import copy
    out = copy.deepcopy(base)
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = _merge(out[k], v)
        else:
            out[k] = v
    return out


def _load_raw(spec: str, seen: tuple[str, ...] = ()) -> dict:
    path = Path(spec)
    if not (path.suffix == ".toml" or path.exists()):
        path = PROFILE_DIR / f"{spec}.toml"
        if not path.exists():
            raise UsageError("profile-unknown", name=spec, known=", ".join(shipped()))
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError("profile-unknown", name=spec, known=", ".join(shipped())) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise UsageError("profile-invalid", name=str(path), reason=str(exc)) from None
    parent = data.pop("extends", None)
    if parent:
        if parent in seen:
            raise UsageError("profile-invalid", name=str(path), reason=f"extends cycle via {parent}")
        data = _merge(_load_raw(parent, seen + (parent,)), data)
    return data


@dataclass(frozen=True)
class Profile:
    name: str
    title_zh: str
    title_en: str
    data: dict

    # ---- typed accessors (one place that knows the file's shape)
    def get(self, section: str, name: str, default: Any = None) -> Any:
        return self.data.get(section, {}).get(name, default)

    @property
    def grade_bands(self) -> list[tuple[float, str]]:
        bands = self.data.get("grades", {}).get("bands", [])
        return sorted(((float(b["min"]), str(b["label"])) for b in bands), reverse=True)

    def grade(self, total: float | None) -> str | None:
        if total is None:
            return None
        for low, label in self.grade_bands:
            if total >= low - 1e-9:
                return label
        return self.grade_bands[-1][1] if self.grade_bands else None

    @property
    def score_tolerance(self) -> float:
        return float(self.get("tolerance", "score", 0.01))

    def title(self, lang: str) -> str:
        return self.title_zh if lang == "zh" else self.title_en


def load_profile(spec: str | None = None) -> Profile:
    data = _load_raw(spec or "national")
    try:
        bands = data["grades"]["bands"]
        assert bands and all("min" in b and "label" in b for b in bands)
    except (KeyError, AssertionError, TypeError):
        raise UsageError("profile-invalid", name=spec or "national", reason="[grades] bands missing") from None
    return Profile(
        name=str(data.get("name", spec)),
        title_zh=str(data.get("title_zh", data.get("name", spec))),
        title_en=str(data.get("title_en", data.get("name", spec))),
        data=data,
    )
