"""Small text formatters shared by the pages."""
from __future__ import annotations


def fmt_duration(seconds: float, tenths_below: float = 10) -> str:
    """12.3 -> "12 s", 75 -> "1 min 15 s"; below ``tenths_below`` seconds with a decimal (3.4 s)."""
    seconds = max(0.0, seconds)
    if seconds < tenths_below:
        return f"{seconds:.1f} s"
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60:02d} s"
    return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"
