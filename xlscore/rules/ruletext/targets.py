"""The target a rule text names, to compare with a 目标值 / 标杆值 column."""

from __future__ import annotations

from .core import ParsedRule


def rule_target(r: ParsedRule) -> tuple[float, str] | None:
    """The target a rule text names, as (value, 'percent' | 'count' | 'band'), to compare with a 目标值/标杆值 column."""
    p = r.params
    if r.kind == "step-per-percent" and len(p.get("targets") or []) == 1:
        t = p["targets"][0]
        if t["unit"] == "%":
            return t["value"] / 100, "percent"
        if t["unit"] in ("万元", "元"):
            return None
        return t["value"], "count"
    if r.kind == "threshold-proportional":
        return p["threshold"] / 100, "percent"
    if r.kind == "proportional-target" and p.get("target") is not None:
        return p["target"] / 100, "percent"
    if r.kind == "per-missing-unit" and p.get("target") is not None:
        return p["target"], "count"
    if r.kind == "tolerance-band":
        return p["band"] / 100, "band"
    if r.kind == "satisfaction-bands":
        return p["top"] / 100, "percent"
    return None
