"""Deterministic synthetic LinkedIn exports of fictional members, for samples and benchmarks.

write_export(path, style="2026", n_messages=1_000_000)   # streams; seconds, not minutes
write_samples(Path("sample_exports"))                   # the committed samples
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from auditor.synth.export import spec_for, write_spec
from auditor.synth.messages import SynthMessage, generate_messages
from auditor.synth.samples import write_samples

__all__ = ["SynthMessage", "generate_messages", "write_export", "write_samples"]


def write_export(
    dest: Path,
    *,
    style: Literal["2026", "2025", "2024", "2021", "2018"],
    n_messages: int,
    seed: int = 0,
    as_zip: bool = True,
    member: str = "Alex Morgan",
) -> Path:
    """Write a synthetic export with exactly `n_messages` message rows; returns its path.

    With `as_zip`, `dest` is the zip file (or an existing folder to create it in, under the
    usual `..._LinkedInDataExport_MM-DD-YYYY.zip` name); otherwise `dest` is the export folder.
    Same arguments, same content. "2024" is the 12-column header with the draft flags.
    """
    return write_spec(
        Path(dest), spec_for(style), n_messages=n_messages, seed=seed, as_zip=as_zip, member=member
    )
